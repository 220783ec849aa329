import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ThawError } from '../../errors.js'
import { findPackageRoot } from '../../package-root.js'

/**
 * The guest runtime and its lazily loaded chunks, built from guest/quickjs/ by
 * `npm run build:guest`. The host never imports guest sources; it only reads the artifacts.
 */
export interface GuestArtifacts {
  readonly runtime: string
  /** Chunk name → a script whose completion value is the chunk's exports. */
  readonly chunks: ReadonlyMap<string, string>
  /** SHA-256 of all of it: a snapshot's heap holds objects these scripts made. */
  readonly buildHash: string
}

export async function loadGuestArtifacts(): Promise<GuestArtifacts> {
  const dir = path.join(findPackageRoot(fileURLToPath(import.meta.url)), 'build', 'guest')
  try {
    const runtime = await readFile(path.join(dir, 'quickjs-runtime.js'), 'utf8')
    const chunks = new Map<string, string>()
    for (const file of await readdir(path.join(dir, 'chunks'))) {
      const source = await readFile(path.join(dir, 'chunks', file), 'utf8')
      // The chunk's `var __thaw_chunk` stays local to this function instead of becoming a global.
      chunks.set(file.replace(/\.js$/, ''), `(function () {\n${source}\nreturn __thaw_chunk\n})()`)
    }
    const hash = createHash('sha256').update(runtime)
    for (const [name, source] of [...chunks].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(name).update(source)
    return { runtime, chunks, buildHash: hash.digest('hex') }
  } catch (cause) {
    throw new ThawError('THAW_ENGINE_FAILURE', `The QuickJS guest runtime is not built (${dir}): run \`npm run build:guest\``, {
      cause,
    })
  }
}
