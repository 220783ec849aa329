/**
 * `fs.Stats` and `fs.Dirent` as Node 20 shapes them, and the facts every mount reports about an
 * entry (EntryInfo).
 */

export const S_IFMT = 0o170000
export const S_IFREG = 0o100000
export const S_IFDIR = 0o040000
export const S_IFLNK = 0o120000

/** What a mount knows about one entry; Stats is built from it. */
export interface EntryInfo {
  readonly kind: 'file' | 'dir'
  readonly size: number
  /** Type and permission bits, as `st_mode`. */
  readonly mode: number
  readonly ino: number
  readonly dev: number
  readonly nlink: number
  readonly uid: number
  readonly gid: number
  readonly atimeMs: number
  readonly mtimeMs: number
  readonly ctimeMs: number
  readonly birthtimeMs: number
}

/** What Stats and Dirent share: the file-type checks for kinds that an in-memory tree never holds. */
abstract class FileKind {
  abstract isFile(): boolean
  abstract isDirectory(): boolean

  isBlockDevice(): boolean {
    return false
  }

  isCharacterDevice(): boolean {
    return false
  }

  isFIFO(): boolean {
    return false
  }

  isSocket(): boolean {
    return false
  }
}

export class Stats extends FileKind {
  dev: number
  mode: number
  nlink: number
  uid: number
  gid: number
  rdev = 0
  blksize = 4096
  ino: number
  size: number
  blocks: number
  atimeMs: number
  mtimeMs: number
  ctimeMs: number
  birthtimeMs: number
  atime: Date
  mtime: Date
  ctime: Date
  birthtime: Date

  constructor(info: EntryInfo) {
    super()
    this.dev = info.dev
    this.mode = info.mode
    this.nlink = info.nlink
    this.uid = info.uid
    this.gid = info.gid
    this.ino = info.ino
    this.size = info.size
    this.blocks = Math.ceil(info.size / 4096) * 8
    this.atimeMs = info.atimeMs
    this.mtimeMs = info.mtimeMs
    this.ctimeMs = info.ctimeMs
    this.birthtimeMs = info.birthtimeMs
    this.atime = new Date(info.atimeMs)
    this.mtime = new Date(info.mtimeMs)
    this.ctime = new Date(info.ctimeMs)
    this.birthtime = new Date(info.birthtimeMs)
  }

  isFile(): boolean {
    return (this.mode & S_IFMT) === S_IFREG
  }

  isDirectory(): boolean {
    return (this.mode & S_IFMT) === S_IFDIR
  }

  isSymbolicLink(): boolean {
    return (this.mode & S_IFMT) === S_IFLNK
  }

}

export class Dirent extends FileKind {
  name: string
  /** The folder listed (Node 20.12+), and its older alias `path`. */
  parentPath: string
  path: string
  readonly #directory: boolean

  constructor(name: string, parentPath: string, directory: boolean) {
    super()
    this.name = name
    this.parentPath = parentPath
    this.path = parentPath
    this.#directory = directory
  }

  isFile(): boolean {
    return !this.#directory
  }

  isDirectory(): boolean {
    return this.#directory
  }

  isSymbolicLink(): boolean {
    return false
  }

}

for (const [ctor, name] of [
  [Stats, 'Stats'],
  [Dirent, 'Dirent'],
] as const) {
  // The bundler may rename class bindings; Node's names show in util.inspect and stack traces.
  Object.defineProperty(ctor, 'name', { value: name, configurable: true })
}
