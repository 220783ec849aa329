import { NODE_MODULE_NAMES, nodeModuleChunk } from '../../runtime-api/builtin-modules.js'
import type { HostBindings } from '../../runtime-api/in-process-protocol.js'
import { defineLazyGlobal } from './globals/lazy.js'

/**
 * Node's builtin modules (`buffer`, `events`, …) as lazy builtins of the runtime: each one's code
 * is a chunk (guest/quickjs/chunks/node-*.ts) the host evaluates on the first `import` or
 * `require` of either of its names. Chunks reach the other builtins they use through the same
 * loader (see the `guest-builtins` plugin in guest/build.ts), so every module exists once per
 * environment and `Buffer.isBuffer` holds across them. This file is part of the runtime itself,
 * so it stays small.
 */

/** What a `node-*` chunk exports: a factory for the module's exports. */
export interface NodeModuleChunk {
  /** `modules` is for node:module's createRequire. */
  create(host: HostBindings, modules: Builtins): unknown
}

interface Builtins {
  defineLazyBuiltin(name: string, load: () => unknown): void
  builtin(name: string): unknown
  createRequire(fromPath: string): unknown
}

export function defineNodeBuiltins(modules: Builtins, global: Record<string, unknown>, host: HostBindings): void {
  for (const name of NODE_MODULE_NAMES) {
    let made: { exports: unknown } | undefined
    const load = () => (made ??= { exports: (host.loadChunk(nodeModuleChunk(name)) as NodeModuleChunk).create(host, modules) }).exports
    modules.defineLazyBuiltin(name, load)
    modules.defineLazyBuiltin(`node:${name}`, load)
  }
  // Node's globals that belong to a module.
  defineLazyGlobal(global, 'Buffer', () => (modules.builtin('buffer') as { Buffer: unknown }).Buffer)
}
