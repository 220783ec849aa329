import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { unzipSync } from 'fflate'
import type { CodeSource } from '../config/function-config.js'
import { ThawError } from '../errors.js'

/** Lambda's limit for a function's unzipped code (layers included). */
export const MAX_UNZIPPED_BYTES = 250 * 1024 * 1024

/** Where the code package appears inside every environment. */
export const TASK_ROOT = '/var/task'

/** Lambda's default ephemeral storage (`/tmp`), 512 MB. */
export const DEFAULT_TMP_QUOTA_BYTES = 512 * 1024 * 1024

/**
 * What an environment's filesystem holds besides the code package, fixed per function version
 * (src/functions/layers.ts): the layers merged into one package mounted at `/opt`, and the quota
 * of `/tmp`. It travels with the package because the package is what reaches the host bindings.
 */
export interface MountedFilesystem {
  /** The layers, merged in order; undefined without layers (an empty `/opt`). */
  readonly opt: CodePackage | undefined
  readonly tmpQuotaBytes: number
}

/** "/var/task/lib/a.js" → "lib/a.js": a guest path as a key of the package (other paths unchanged). */
export function packagePath(absolute: string): string {
  return absolute.startsWith(`${TASK_ROOT}/`) ? absolute.slice(TASK_ROOT.length + 1) : absolute
}

/**
 * A function's code: an immutable tree of files, keyed by POSIX paths relative to the package
 * root ("index.mjs", "node_modules/dep/index.js"). Loaded once at deploy from a folder, a map of
 * files or a zip; every environment of the function reads from the same instance.
 */
export class CodePackage {
  readonly #files: ReadonlyMap<string, Uint8Array>
  readonly #directories: ReadonlySet<string>
  readonly #text = new Map<string, string>()
  /** Base64 SHA-256, as Lambda's CodeSha256 (of the zip when the package came as one). */
  readonly sha256: string
  readonly sizeBytes: number

  /** Directory → its entries (name → is a directory), built on the first listing. */
  #listing: Map<string, Map<string, boolean>> | undefined
  /** `/opt` and `/tmp` of the environments that run this package (see withFilesystem). */
  readonly filesystem: MountedFilesystem

  private constructor(files: Map<string, Uint8Array>, sha256: string, filesystem?: MountedFilesystem) {
    this.#files = files
    this.filesystem = filesystem ?? { opt: undefined, tmpQuotaBytes: DEFAULT_TMP_QUOTA_BYTES }
    const directories = new Set<string>([''])
    let size = 0
    for (const [file, bytes] of files) {
      size += bytes.byteLength
      for (let dir = path.posix.dirname(file); dir !== '.' && !directories.has(dir); dir = path.posix.dirname(dir)) {
        directories.add(dir)
      }
    }
    this.#directories = directories
    this.sizeBytes = size
    this.sha256 = sha256
  }

  static async load(source: CodeSource): Promise<CodePackage> {
    if ('dir' in source) return CodePackage.fromFiles(await readFolder(source.dir))
    return CodePackage.loadSync(source)
  }

  /**
   * `load` without awaiting: a folder is read with blocking calls. For layers, which the registry
   * mounts while it creates a version synchronously; `field` names the source in errors.
   */
  static loadSync(source: CodeSource, field = 'code'): CodePackage {
    if ('dir' in source) return CodePackage.fromFiles(readFolderSync(source.dir, `${field}.dir`))
    if ('files' in source) {
      const files = new Map<string, Uint8Array>()
      for (const [name, content] of Object.entries(source.files)) {
        files.set(normalise(name, `${field}.files`), typeof content === 'string' ? Buffer.from(content) : content)
      }
      return CodePackage.fromFiles(files)
    }
    return CodePackage.fromZip(source.zip, `${field}.zip`)
  }

  /** A package from files already checked (e.g. sent to a worker thread), keeping its hash when given. */
  static rebuild(files: Map<string, Uint8Array>, sha256?: string): CodePackage {
    return sha256 === undefined ? CodePackage.fromFiles(files) : new CodePackage(files, sha256)
  }

  static fromZip(zip: Uint8Array, field = 'code.zip'): CodePackage {
    let entries: Record<string, Uint8Array>
    try {
      entries = unzipSync(zip)
    } catch (cause) {
      throw new ThawError('THAW_INVALID_CODE_PACKAGE', `Could not unzip uploaded file: ${(cause as Error).message}`, {
        field,
        cause,
      })
    }
    const files = new Map<string, Uint8Array>()
    for (const [name, bytes] of Object.entries(entries)) {
      if (name.endsWith('/')) continue // a directory entry
      files.set(normalise(name, field), bytes)
    }
    return new CodePackage(checkSize(files), createHash('sha256').update(zip).digest('base64'))
  }

  static fromFiles(files: Map<string, Uint8Array>): CodePackage {
    const hash = createHash('sha256')
    for (const name of [...files.keys()].sort()) {
      const bytes = files.get(name) as Uint8Array
      hash.update(`${name}\0${bytes.byteLength}\0`).update(bytes)
    }
    return new CodePackage(checkSize(files), hash.digest('base64'))
  }

  get fileCount(): number {
    return this.#files.size
  }

  /** The same files (same hash) with `/opt` and `/tmp` of the environments that will run them. */
  withFilesystem(filesystem: MountedFilesystem): CodePackage {
    return new CodePackage(this.#files as Map<string, Uint8Array>, this.sha256, filesystem)
  }

  /** Every file path, in insertion order. */
  files(): IterableIterator<[file: string, bytes: Uint8Array]> {
    return this.#files.entries()
  }

  /** A directory's entries, sorted by name, each with whether it is a directory; undefined if `dir` is none. */
  list(dir: string): (readonly [name: string, isDirectory: boolean])[] | undefined {
    if (this.#listing === undefined) {
      const listing = new Map<string, Map<string, boolean>>([['', new Map()]])
      const entry = (child: string, isDirectory: boolean) => {
        const slash = child.lastIndexOf('/')
        const parent = slash < 0 ? '' : child.slice(0, slash)
        let entries = listing.get(parent)
        if (entries === undefined) listing.set(parent, (entries = new Map()))
        entries.set(child.slice(slash + 1), isDirectory)
      }
      for (const dir of this.#directories) if (dir !== '') entry(dir, true)
      for (const file of this.#files.keys()) entry(file, false)
      this.#listing = listing
    }
    const entries = this.#listing.get(dir)
    return entries === undefined ? undefined : [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  }

  isFile(file: string): boolean {
    return this.#files.has(file)
  }

  isDirectory(dir: string): boolean {
    return this.#directories.has(dir)
  }

  bytes(file: string): Uint8Array | undefined {
    return this.#files.get(file)
  }

  /** The file decoded as UTF-8 (a leading BOM dropped), cached. */
  text(file: string): string | undefined {
    let text = this.#text.get(file)
    if (text === undefined) {
      const bytes = this.#files.get(file)
      if (bytes === undefined) return undefined
      text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes)
      this.#text.set(file, text)
    }
    return text
  }
}

/** "a/./b/../c.js" → "a/c.js"; rejects paths that climb out of the package or are absolute. */
function normalise(name: string, field: string): string {
  const posix = name.replaceAll('\\', '/')
  const normal = path.posix.normalize(posix)
  if (posix.startsWith('/') || normal === '..' || normal.startsWith('../') || normal === '.' || normal === '') {
    throw new ThawError('THAW_INVALID_CODE_PACKAGE', `Code package path "${name}" leaves the package root`, { field })
  }
  return normal
}

function checkSize(files: Map<string, Uint8Array>): Map<string, Uint8Array> {
  let size = 0
  for (const bytes of files.values()) size += bytes.byteLength
  if (size > MAX_UNZIPPED_BYTES) throw tooLarge(size)
  return files
}

function tooLarge(size: number): ThawError {
  return new ThawError(
    'THAW_INVALID_CODE_PACKAGE',
    `Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes (got at least ${size})`,
    { field: 'code' },
  )
}

/** readFolder with blocking calls (layers; see CodePackage.loadSync). */
function readFolderSync(root: string, field: string): Map<string, Uint8Array> {
  let isFolder: boolean
  try {
    isFolder = statSync(root).isDirectory()
  } catch (cause) {
    throw new ThawError('THAW_INVALID_CODE_PACKAGE', `Code folder ${root} cannot be read: ${(cause as Error).message}`, { field, cause })
  }
  if (!isFolder) throw new ThawError('THAW_INVALID_CODE_PACKAGE', `Code folder ${root} is not a folder`, { field })
  const files = new Map<string, Uint8Array>()
  let total = 0
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const absolute = path.join(entry.parentPath, entry.name)
    const isFile = entry.isFile() || (entry.isSymbolicLink() && statSync(absolute, { throwIfNoEntry: false })?.isFile())
    if (!isFile) continue
    const bytes = readFileSync(absolute)
    total += bytes.byteLength
    if (total > MAX_UNZIPPED_BYTES) throw tooLarge(total)
    files.set(path.relative(root, absolute).split(path.sep).join('/'), bytes)
  }
  return files
}

async function readFolder(root: string): Promise<Map<string, Uint8Array>> {
  const info = await stat(root).catch((cause: unknown) => {
    throw new ThawError('THAW_INVALID_CODE_PACKAGE', `Code folder ${root} cannot be read: ${(cause as Error).message}`, {
      field: 'code.dir',
      cause,
    })
  })
  if (!info.isDirectory()) {
    throw new ThawError('THAW_INVALID_CODE_PACKAGE', `Code folder ${root} is not a folder`, { field: 'code.dir' })
  }
  const files = new Map<string, Uint8Array>()
  let total = 0
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const absolute = path.join(entry.parentPath, entry.name)
    // Follow symlinks to files (pnpm-style node_modules), skip everything that is not a file.
    const isFile = entry.isFile() || (entry.isSymbolicLink() && (await stat(absolute).catch(() => undefined))?.isFile())
    if (!isFile) continue
    const bytes = await readFile(absolute)
    total += bytes.byteLength
    if (total > MAX_UNZIPPED_BYTES) throw tooLarge(total)
    files.set(path.relative(root, absolute).split(path.sep).join('/'), bytes)
  }
  return files
}
