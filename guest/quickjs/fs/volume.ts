import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { rmDirectoryError, uvError, type Site } from './errors.js'
import { MemoryDir, MemoryFile, MemoryMount } from './memory-mount.js'
import type { FsPath } from './paths.js'
import { HostMount, RootMount, type Mount } from './read-only-mounts.js'
import type { EntryInfo } from './stats.js'

/**
 * The whole tree an environment sees, with POSIX semantics and Linux's choice of error when
 * several apply (a path is looked up before write access is checked: a missing parent is ENOENT
 * even on a read-only mount). `/tmp` is the only writable mount; `/var/task` and `/opt` answer
 * EROFS to any change, as do `/` and `/var`; any other path does not exist.
 */

/** What an open asks for (see flags.ts). */
export interface OpenFlags {
  readonly read: boolean
  readonly write: boolean
  readonly create: boolean
  readonly exclusive: boolean
  readonly truncate: boolean
  readonly append: boolean
}

export const F_OK = 0
export const X_OK = 1
export const W_OK = 2

export interface Opened {
  readonly mount: Mount
  readonly rel: readonly string[]
  readonly directory: boolean
  /** The file when it is one of `/tmp`'s. */
  readonly file: MemoryFile | undefined
}

const DEV = { root: 64769, tmp: 64770, task: 64771, opt: 64772 } as const

export class Volume {
  readonly tmp: MemoryMount
  readonly #root = new RootMount(DEV.root)
  readonly #task: HostMount
  readonly #opt: HostMount

  constructor(host: HostBindings) {
    this.tmp = new MemoryMount(host.tmpQuotaBytes(), DEV.tmp)
    this.#task = new HostMount(host, '/var/task', DEV.task)
    this.#opt = new HostMount(host, '/opt', DEV.opt)
  }

  /** The entry at `path`; throws ENOENT / ENOTDIR (and ENAMETOOLONG) with `site`. */
  stat(path: FsPath, site: Site): EntryInfo {
    const [mount, rel] = this.#locate(path, site)
    const found = mount.stat(rel)
    if (typeof found === 'string') throw uvError(found, site)
    if (path.trailingSlash && found.kind !== 'dir') throw uvError('ENOTDIR', site)
    return found
  }

  /** Reads a whole file after opening it with `flags` (which may create or truncate it). */
  readFile(path: FsPath, flags: OpenFlags, site: Site): Uint8Array {
    const opened = this.open(path, flags, 0o666, site)
    if (opened.directory) throw uvError('EISDIR', { syscall: 'read' })
    return opened.file !== undefined ? opened.file.content.read() : opened.mount.read(opened.rel)
  }

  /** Writes a whole file: replaced, appended to, or written over from its start, as `flags` say. */
  writeFile(path: FsPath, bytes: Uint8Array, flags: OpenFlags, permissions: number, site: Site): void {
    const opened = this.open(path, flags, permissions, site)
    // Opened read-only ("r"): the write itself fails, as on a descriptor opened O_RDONLY.
    if (!flags.write) throw uvError('EBADF', { syscall: 'write' }, true)
    this.tmp.write(opened.file as MemoryFile, bytes, flags.append ? 'append' : flags.truncate ? 'replace' : 'overwrite')
  }

  /**
   * open(2): finds or creates the file. Only `/tmp` gets past here with write access; elsewhere
   * a write is EROFS once the path itself checks out. `file` is set for a file in `/tmp`.
   */
  open(path: FsPath, flags: OpenFlags, permissions: number, site: Site): Opened {
    const [mount, rel] = this.#locate(path, site)
    const found = mount === this.tmp ? this.tmp.find(rel) : mount.stat(rel)
    if (typeof found !== 'string') {
      if (flags.create && flags.exclusive) throw uvError('EEXIST', site)
      const file = found instanceof MemoryFile ? found : undefined
      if (found instanceof MemoryDir || (file === undefined && (found as EntryInfo).kind === 'dir')) {
        if (flags.write) throw uvError('EISDIR', site)
        return { mount, rel, directory: true, file }
      }
      if (path.trailingSlash) throw uvError('ENOTDIR', site)
      if (flags.write && file === undefined) throw uvError('EROFS', site)
      if (flags.truncate && flags.write) this.tmp.truncate(file as MemoryFile)
      return { mount, rel, directory: false, file }
    }
    if (found === 'ENOTDIR' || !flags.create) throw uvError(found, site)
    const parent = this.#parent(mount, rel, site)
    if (path.trailingSlash) throw uvError('EISDIR', site)
    if (mount.readOnly || !(parent instanceof MemoryDir)) throw uvError('EROFS', site)
    const file = this.tmp.createFile(parent, rel[rel.length - 1] as string, permissions & ~0o022)
    return { mount, rel, directory: false, file }
  }

  /** mkdir(2), or with `recursive` Node's mkdirp: returns the first folder it created. */
  mkdir(path: FsPath, recursive: boolean, permissions: number, site: Site): string | undefined {
    const [mount, rel] = this.#locate(path, site)
    const found = mount.stat(rel)
    if (typeof found !== 'string') {
      if (recursive && found.kind === 'dir') return undefined
      throw uvError('EEXIST', site)
    }
    if (found === 'ENOTDIR') throw uvError('ENOTDIR', site)
    if (rel.length > 1 && recursive && mount.stat(rel.slice(0, -1)) === 'ENOENT') {
      const parentPath = { ...path, segments: path.segments.slice(0, -1), path: path.path.slice(0, path.path.lastIndexOf('/')) || '/' }
      const first = this.mkdir(parentPath, true, permissions, site)
      this.mkdir(path, false, permissions, site)
      return first ?? path.path
    }
    const parent = this.#parent(mount, rel, site)
    if (mount.readOnly || !(parent instanceof MemoryDir)) throw uvError('EROFS', site)
    this.tmp.createDir(parent, rel[rel.length - 1] as string, permissions & ~0o022)
    return path.path
  }

  /** The entries of a folder (scandir). */
  readdir(path: FsPath, site: Site): (readonly [name: string, isDirectory: boolean])[] {
    const [mount, rel] = this.#locate(path, site)
    const found = mount.stat(rel)
    if (typeof found === 'string') throw uvError(found, site)
    if (found.kind !== 'dir') throw uvError('ENOTDIR', site)
    return mount.list(rel)
  }

  /** unlink(2) (`dir` false) or rmdir(2) (`dir` true). */
  remove(path: FsPath, dir: boolean, site: Site): void {
    const [mount, rel, entry] = this.#container(path, site)
    // Linux asks for write access to the parent's mount before it looks at the entry itself.
    this.#parent(mount, rel, site)
    if (mount.readOnly) throw uvError('EROFS', site)
    const parent = this.tmp.find(rel.slice(0, -1)) as MemoryDir
    const node = this.tmp.find(rel)
    if (typeof node === 'string') throw uvError(node, site)
    if (node instanceof MemoryDir) {
      if (!dir) throw uvError('EISDIR', site)
      if (node.entries.size > 0) throw uvError('ENOTEMPTY', site)
    } else if (dir || path.trailingSlash) {
      throw uvError('ENOTDIR', site)
    }
    this.tmp.remove(parent, entry)
  }

  /** Node 20's rm: lstat, then unlink a file, or with `recursive` remove a folder and everything in it. */
  rm(path: FsPath, recursive: boolean, force: boolean, site: Site): void {
    let info: EntryInfo
    try {
      info = this.stat(path, { syscall: 'lstat', path: path.original })
    } catch (error) {
      if (force && (error as { code?: string }).code === 'ENOENT') return
      throw error
    }
    if (info.kind === 'dir' && !recursive) throw rmDirectoryError(path.original)
    if (info.kind !== 'dir') return this.remove(path, false, { ...site, syscall: 'unlink' })
    const [mount, rel, entry] = this.#container(path, site)
    if (mount.readOnly) throw uvError('EROFS', { ...site, syscall: 'rmdir' })
    this.tmp.remove(this.tmp.find(rel.slice(0, -1)) as MemoryDir, entry)
  }

  /** rename(2) within `/tmp`: EXDEV across mounts, EROFS elsewhere. */
  rename(from: FsPath, to: FsPath, site: Site): void {
    const [fromMount, fromRel, fromName] = this.#container(from, site)
    const [toMount, toRel, toName] = this.#container(to, site)
    const source = fromMount.stat(fromRel)
    if (typeof source === 'string') throw uvError(source, site)
    if (from.trailingSlash && source.kind !== 'dir') throw uvError('ENOTDIR', site)
    this.#parent(toMount, toRel, site)
    if (fromMount !== toMount) throw uvError('EXDEV', site)
    if (fromMount.readOnly) throw uvError('EROFS', site)
    if (from.path === to.path) return
    if (to.path.startsWith(`${from.path}/`)) throw uvError('EINVAL', site)
    const target = this.tmp.find(toRel)
    if (typeof target !== 'string') {
      if (source.kind === 'file' && target instanceof MemoryDir) throw uvError('EISDIR', site)
      if (source.kind === 'dir' && target instanceof MemoryFile) throw uvError('ENOTDIR', site)
      if (target instanceof MemoryDir && target.entries.size > 0) throw uvError('ENOTEMPTY', site)
    } else if (to.trailingSlash && source.kind !== 'dir') {
      throw uvError('ENOTDIR', site)
    }
    const fromParent = this.tmp.find(fromRel.slice(0, -1)) as MemoryDir
    const toParent = this.tmp.find(toRel.slice(0, -1)) as MemoryDir
    this.tmp.move(fromParent, fromName, toParent, toName)
  }

  /** access(2): existence, then write access (EROFS outside /tmp), then execute permission. */
  access(path: FsPath, mode: number, site: Site): void {
    const [mount] = this.#locate(path, site)
    const info = this.stat(path, site)
    if ((mode & W_OK) !== 0 && mount.readOnly) throw uvError('EROFS', site)
    if ((mode & X_OK) !== 0 && (info.mode & 0o111) === 0) throw uvError('EACCES', site)
  }

  /** The mount holding `path` and the path inside it. */
  #locate(path: FsPath, site: Site): [Mount, readonly string[]] {
    if (path.invalid !== undefined) throw uvError(path.invalid, site)
    const [first, second] = path.segments
    if (first === 'tmp') return [this.tmp, path.segments.slice(1)]
    if (first === 'opt') return [this.#opt, path.segments.slice(1)]
    if (first === 'var' && second === 'task') return [this.#task, path.segments.slice(2)]
    return [this.#root, path.segments]
  }

  /**
   * The mount whose folder holds the entry `path` names, the path inside it and the entry's
   * name. A mount point itself ("/tmp") belongs to the read-only root above it.
   */
  #container(path: FsPath, site: Site): [Mount, readonly string[], string] {
    const [mount, rel] = this.#locate(path, site)
    if (rel.length > 0) return [mount, rel, rel[rel.length - 1] as string]
    if (path.segments.length === 0) throw uvError('EBUSY', site)
    return [this.#root, path.segments, path.segments[path.segments.length - 1] as string]
  }

  /** The folder an entry at `rel` goes in: ENOENT or ENOTDIR when there is none. */
  #parent(mount: Mount, rel: readonly string[], site: Site): MemoryDir | undefined {
    const parentRel = rel.slice(0, -1)
    const found = mount.stat(parentRel)
    if (typeof found === 'string') throw uvError(found, site)
    if (found.kind !== 'dir') throw uvError('ENOTDIR', site)
    if (mount !== this.tmp) return undefined
    return this.tmp.find(parentRel) as MemoryDir
  }
}

