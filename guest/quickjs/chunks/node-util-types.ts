// Chunk "node-util-types": node:util/types (see node-util/types.ts).
import { types } from '../node-util/types.js'

export function create(): unknown {
  return types
}
