// Chunk "deep-equal": Node's deep equality for util.isDeepStrictEqual and node:assert (see node-util/deep-equal.ts).
export { isDeepEqual, isDeepStrictEqual } from '../node-util/deep-equal.js'
