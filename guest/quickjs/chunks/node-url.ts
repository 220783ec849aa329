// Chunk "node-url": node:url (see node-util/url.ts and node-util/url-legacy.ts).
import { createUrl } from '../node-util/url.js'

export function create(): unknown {
  return createUrl()
}
