import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import type { FsModules } from './module.js'

/**
 * `fs`, `node:fs`, `fs/promises` and `node:fs/promises` as builtins of the runtime, without the
 * filesystem: the first import or require of any of them asks the host for the "fs" chunk, which
 * creates the filesystem (and `/tmp`) and its modules. An environment that never touches fs
 * parses none of it, and defining them costs every environment only four map entries. This file
 * is part of the runtime itself, so it stays small.
 */

export function defineFsBuiltins(modules: { defineLazyBuiltin(name: string, load: () => unknown): void }, host: HostBindings): void {
  let made: FsModules | undefined
  const load = () => (made ??= (host.loadChunk('fs') as { create(host: HostBindings): FsModules }).create(host))
  for (const name of ['fs', 'node:fs']) modules.defineLazyBuiltin(name, () => load().fs)
  for (const name of ['fs/promises', 'node:fs/promises']) modules.defineLazyBuiltin(name, () => load().promises)
}
