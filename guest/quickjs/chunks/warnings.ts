// Chunk "warnings": Node's DeprecationWarning lines, once per code across node:util, url and assert (see node-util/warnings.ts).
export { deprecationWarning, emitDeprecation } from '../node-util/warnings.js'
