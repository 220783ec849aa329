// Chunk "inspect": Node's util.format / util.inspect for console output (see globals/format.ts).
export { formatLogArguments, inspect, inspectDefaults } from '../globals/format.js'
