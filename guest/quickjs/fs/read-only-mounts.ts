import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { S_IFDIR, S_IFREG, type EntryInfo } from './stats.js'

/**
 * The read-only parts of the tree. `/var/task` (the code package) and `/opt` (the layers) live
 * on the host and are read through its bindings on every access: nothing is cached in the guest
 * heap, so neither memory nor snapshots grow with the package. The root `/` and `/var` are fixed
 * folders that only hold the mount points.
 */

/** A mount lookup: the entry, or why there is none. */
export type Lookup = EntryInfo | 'ENOENT' | 'ENOTDIR'

/** What every mount answers (only `/tmp` also writes). */
export interface Mount {
  readonly readOnly: boolean
  stat(rel: readonly string[]): Lookup
  /** The bytes of a file that exists. */
  read(rel: readonly string[]): Uint8Array
  /** The entries of a folder that exists. */
  list(rel: readonly string[]): (readonly [name: string, isDirectory: boolean])[]
}

/** Files of the read-only mounts carry the zip epoch, the same in every environment. */
const READ_ONLY_TIME_MS = Date.UTC(1980, 0, 1)

function readOnlyInfo(kind: 'file' | 'dir', size: number, ino: number, dev: number): EntryInfo {
  return {
    kind,
    size,
    mode: kind === 'dir' ? S_IFDIR | 0o755 : S_IFREG | 0o644,
    ino,
    dev,
    nlink: kind === 'dir' ? 2 : 1,
    uid: 0,
    gid: 0,
    atimeMs: READ_ONLY_TIME_MS,
    mtimeMs: READ_ONLY_TIME_MS,
    ctimeMs: READ_ONLY_TIME_MS,
    birthtimeMs: READ_ONLY_TIME_MS,
  }
}

/** A package on the host, mounted at `root` ("/var/task" or "/opt"). */
export class HostMount implements Mount {
  readonly readOnly = true
  readonly #host: HostBindings
  readonly #root: string
  readonly #dev: number

  constructor(host: HostBindings, root: string, dev: number) {
    this.#host = host
    this.#root = root
    this.#dev = dev
  }

  stat(rel: readonly string[]): Lookup {
    const path = this.#path(rel)
    const found = this.#host.statPath(path)
    if (found === undefined) return 'ENOENT'
    if (found === -2) return 'ENOTDIR'
    return readOnlyInfo(found === -1 ? 'dir' : 'file', found === -1 ? 4096 : found, inode(path), this.#dev)
  }

  read(rel: readonly string[]): Uint8Array {
    return new Uint8Array(this.#host.readFileBytes(this.#path(rel)) ?? new ArrayBuffer(0))
  }

  list(rel: readonly string[]): (readonly [string, boolean])[] {
    const listing = this.#host.listDirectory(this.#path(rel))
    if (!listing) return []
    return listing.split('/').map((entry) => [entry.slice(1), entry.charCodeAt(0) === 100 /* d */] as const)
  }

  #path(rel: readonly string[]): string {
    return rel.length === 0 ? this.#root : `${this.#root}/${rel.join('/')}`
  }
}

/**
 * `/` and `/var`: the folders above the mount points. The mount points themselves are only
 * looked up here when an entry is removed or renamed (they belong to this read-only folder).
 */
export class RootMount implements Mount {
  readonly readOnly = true
  readonly #dev: number

  constructor(dev: number) {
    this.#dev = dev
  }

  stat(rel: readonly string[]): Lookup {
    const path = rel.join('/')
    const ino = FOLDERS.indexOf(path)
    return ino < 0 ? 'ENOENT' : readOnlyInfo('dir', 4096, ino + 2, this.#dev)
  }

  read(): Uint8Array {
    return new Uint8Array(0)
  }

  list(rel: readonly string[]): (readonly [string, boolean])[] {
    return rel.length === 0 ? [['opt', true], ['tmp', true], ['var', true]] : [['task', true]]
  }
}

const FOLDERS = ['', 'var', 'tmp', 'opt', 'var/task']

/** A stable inode number for a read-only path (FNV-1a), so that it is the same on every stat. */
function inode(path: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < path.length; index++) hash = Math.imul(hash ^ path.charCodeAt(index), 0x01000193)
  return (hash >>> 0) + 1000
}
