// Chunk "node-buffer": node:buffer (see node/buffer.ts).
import { bufferModule } from '../node/buffer.js'

export function create(): unknown {
  return bufferModule
}
