// Chunk "crypto-subtle": WebCrypto's crypto.subtle (digest, HMAC), loaded on the first read of `crypto.subtle`.
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { createSubtle } from '../node-crypto/subtle.js'

export function create(host: HostBindings): unknown {
  return createSubtle(host)
}
