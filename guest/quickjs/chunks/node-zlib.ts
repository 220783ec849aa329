// Chunk "node-zlib": node:zlib, compression by the host's own zlib and brotli (guest/quickjs/node-zlib/).
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { createZlibModule } from '../node-zlib/module.js'

export function create(host: HostBindings): unknown {
  return createZlibModule(host)
}
