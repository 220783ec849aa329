// Chunk "node-crypto": node:crypto, hashing and randomness done by the host (guest/quickjs/node-crypto/).
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { createCryptoModule } from '../node-crypto/module.js'

export function create(host: HostBindings): unknown {
  return createCryptoModule(host)
}
