// Chunk "node-module": node:module (see node/module.ts).
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { createModule, type ModuleSystemAccess } from '../node/module.js'

export function create(_host: HostBindings, system: ModuleSystemAccess): unknown {
  return createModule(system)
}
