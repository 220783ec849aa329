import { BUILTIN_MODULES, type HostBindings } from '../../../runtime-api/in-process-protocol.js'
import type { FsModules } from './module.js'

/**
 * `fs`, `node:fs`, `fs/promises` and `node:fs/promises` as builtins of the runtime, without the
 * filesystem: each module object starts with one accessor per export, and the first access asks
 * the host for the "fs" chunk, which creates the filesystem (and `/tmp`) and fills the modules
 * in with ordinary writable properties, as Node's are. An environment that never touches fs
 * parses none of it. This file is part of the runtime itself, so it stays small.
 */

export function defineFsBuiltins(define: (name: string, exports: unknown) => void, host: HostBindings): void {
  let modules: FsModules | undefined
  const load = () => (modules ??= (host.loadChunk('fs') as { create(host: HostBindings): FsModules }).create(host))
  const promises = lazyModule(BUILTIN_MODULES['fs/promises'] ?? [], () => load().promises)
  // `require('fs').promises` is the very object `require('fs/promises')` returns, as in Node.
  const fs = lazyModule(BUILTIN_MODULES.fs ?? [], () => ({ ...load().fs, promises }))
  define('fs', fs)
  define('node:fs', fs)
  define('fs/promises', promises)
  define('node:fs/promises', promises)
}

function lazyModule(names: readonly string[], source: () => Record<string, unknown>): Record<string, unknown> {
  const module: Record<string, unknown> = {}
  let filled = false
  const fill = () => {
    if (filled) return
    filled = true
    const exports = source()
    for (const name of names) {
      Object.defineProperty(module, name, { value: exports[name], writable: true, enumerable: true, configurable: true })
    }
  }
  for (const name of names) {
    Object.defineProperty(module, name, {
      enumerable: true,
      configurable: true,
      get() {
        fill()
        return module[name]
      },
      set(value: unknown) {
        fill()
        module[name] = value
      },
    })
  }
  return module
}
