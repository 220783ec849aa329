// Chunk "node-path": node:path (see node-util/path.ts).
import { path } from '../node-util/path.js'

export function create(): unknown {
  return path
}
