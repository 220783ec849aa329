// Chunk "node-util": node:util (see node-util/util.ts).
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { createUtil } from '../node-util/util.js'

export function create(host: HostBindings): unknown {
  return createUtil(host)
}
