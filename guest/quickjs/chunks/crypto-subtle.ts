// Chunk "crypto-subtle": WebCrypto's crypto.subtle (digest, HMAC) and the CryptoKey and SubtleCrypto
// globals, loaded on the first use of any of them.
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { createSubtle } from '../node-crypto/subtle.js'

export { CryptoKey, SubtleCrypto } from '../node-crypto/subtle.js'

export function create(host: HostBindings): unknown {
  return createSubtle(host)
}
