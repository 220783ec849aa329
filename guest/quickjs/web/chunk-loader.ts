/**
 * How a web platform chunk reaches the classes of another chunk. Each chunk is its own bundle, so
 * importing another chunk's module would give a second copy of its classes (and break
 * `instanceof`); instead the runtime hands every chunk's `install` the environment's loader
 * (guest/quickjs/lazy-chunks.ts), which evaluates each chunk once. Classes are taken from the chunk
 * itself, never from the user-writable global, so a handler that replaces `globalThis.URL` does
 * not change how a Request parses its URL (as in Node, whose internals keep their own references).
 */

/** Loads a chunk by name (evaluated at most once per environment) and returns its exports. */
export type ChunkLoader = (name: string) => unknown

interface Installer {
  install(target: Record<string, unknown>, loadChunk: ChunkLoader): void
}

let loader: ChunkLoader | undefined
const installed = new Map<string, Record<string, unknown>>()

/**
 * Remembers the environment's loader for this bundle. Each web chunk exports this function and
 * calls it from its `install`; `loadChunk` calls it on a chunk it loads without installing it.
 */
export function setChunkLoader(load: ChunkLoader): void {
  loader ??= load
}

/** The exports of chunk `name`. */
export function loadChunk<T>(name: string): T {
  if (loader === undefined) throw new Error(`Cannot load the ${name} chunk before this chunk is installed`)
  const exports = loader(name) as T & { setChunkLoader?: (load: ChunkLoader) => void }
  exports.setChunkLoader?.(loader)
  return exports
}

/** The globals chunk `name` installs, read from a private object the chunk installs them on. */
export function chunkGlobals<T>(name: string): T {
  let globals = installed.get(name)
  if (globals === undefined) {
    globals = {}
    loadChunk<Installer>(name).install(globals, loader as ChunkLoader)
    installed.set(name, globals)
  }
  return globals as T
}

/** Defines `values` on `global` as the web platform's interface objects are: writable, configurable, not enumerable. */
export function defineGlobals(global: Record<string, unknown>, values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) {
    Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false })
  }
}
