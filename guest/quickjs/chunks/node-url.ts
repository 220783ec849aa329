// Chunk "node-url": node:url (see node-util/url.ts and node-util/url-legacy.ts).
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { createUrl } from '../node-util/url.js'

export function create(host: HostBindings): unknown {
  return createUrl(host)
}
