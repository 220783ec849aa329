// Chunk "node-buffer": node:buffer (see node/buffer.ts).
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { bufferModule, useHostTranscoder } from '../node/buffer.js'

export function create(host: HostBindings): unknown {
  useHostTranscoder(host)
  return bufferModule
}
