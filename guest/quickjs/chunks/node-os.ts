// Chunk "node-os": node:os (see node/os.ts).
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { createOs } from '../node/os.js'

export function create(host: HostBindings): unknown {
  return createOs(host)
}
