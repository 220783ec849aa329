// Chunk "inspect": Node's util.format / util.inspect for console output (see globals/format.ts).
export { formatLogArguments, inspect } from '../globals/format.js'
