import { uvError } from './errors.js'
import { FileContent } from './file-content.js'
import type { Lookup, Mount } from './read-only-mounts.js'
import { S_IFDIR, S_IFREG, type EntryInfo } from './stats.js'

/**
 * `/tmp`: a tree of folders and files in the guest's own heap. Being ordinary guest objects, it
 * is private to its environment, stays across warm invocations, and is inside every snapshot
 * with the rest of the heap. The quota counts the bytes of file contents only (what `du
 * --apparent-size` would show); names, folders and per-file bookkeeping are not counted, as
 * they are bounded by the environment's memory like any other guest object.
 */

/** The sandbox user's ids on Lambda (sbx_user1051). */
const UID = 993
const GID = 990

abstract class MemoryNode {
  readonly ino: number
  mode: number
  birthtimeMs: number
  mtimeMs: number
  ctimeMs: number
  atimeMs: number

  constructor(ino: number, mode: number) {
    const now = Date.now()
    this.ino = ino
    this.mode = mode
    this.birthtimeMs = this.mtimeMs = this.ctimeMs = this.atimeMs = now
  }

  touch(): void {
    this.mtimeMs = this.ctimeMs = Date.now()
  }
}

export class MemoryFile extends MemoryNode {
  readonly content = new FileContent()
}

export class MemoryDir extends MemoryNode {
  readonly entries = new Map<string, MemoryFile | MemoryDir>()
  /** How many entries are folders (st_nlink is 2 + this). */
  subdirs = 0
}

export type MemoryEntry = MemoryFile | MemoryDir

/** How a write lands: replacing the content, after it, or over its start ("r+"). */
export type WriteMode = 'replace' | 'append' | 'overwrite'

export class MemoryMount implements Mount {
  readonly readOnly = false
  readonly quotaBytes: number
  readonly root: MemoryDir
  readonly #dev: number
  #usedBytes = 0
  #nextIno = 3

  constructor(quotaBytes: number, dev: number) {
    this.quotaBytes = quotaBytes
    this.#dev = dev
    this.root = new MemoryDir(2, S_IFDIR | 0o1777)
  }

  get usedBytes(): number {
    return this.#usedBytes
  }

  /** The entry at `rel`, or why there is none. */
  find(rel: readonly string[]): MemoryEntry | 'ENOENT' | 'ENOTDIR' {
    let node: MemoryEntry = this.root
    for (const name of rel) {
      if (!(node instanceof MemoryDir)) return 'ENOTDIR'
      const child: MemoryEntry | undefined = node.entries.get(name)
      if (child === undefined) return 'ENOENT'
      node = child
    }
    return node
  }

  stat(rel: readonly string[]): Lookup {
    const node = this.find(rel)
    return typeof node === 'string' ? node : this.info(node)
  }

  info(node: MemoryEntry): EntryInfo {
    const dir = node instanceof MemoryDir
    return {
      kind: dir ? 'dir' : 'file',
      size: dir ? 4096 : node.content.size,
      mode: node.mode,
      ino: node.ino,
      dev: this.#dev,
      nlink: dir ? 2 + node.subdirs : 1,
      uid: UID,
      gid: GID,
      atimeMs: node.atimeMs,
      mtimeMs: node.mtimeMs,
      ctimeMs: node.ctimeMs,
      birthtimeMs: node.birthtimeMs,
    }
  }

  read(rel: readonly string[]): Uint8Array {
    const node = this.find(rel)
    return node instanceof MemoryFile ? node.content.read() : new Uint8Array(0)
  }

  list(rel: readonly string[]): (readonly [string, boolean])[] {
    const node = this.find(rel)
    if (!(node instanceof MemoryDir)) return []
    return Array.from(node.entries, ([name, child]) => [name, child instanceof MemoryDir] as const)
  }

  createFile(parent: MemoryDir, name: string, permissions: number): MemoryFile {
    const file = new MemoryFile(this.#nextIno++, S_IFREG | (permissions & 0o7777))
    this.#link(parent, name, file)
    return file
  }

  createDir(parent: MemoryDir, name: string, permissions: number): MemoryDir {
    const dir = new MemoryDir(this.#nextIno++, S_IFDIR | (permissions & 0o7777))
    this.#link(parent, name, dir)
    return dir
  }

  /** Writes all of `bytes` or nothing: ENOSPC when the quota cannot take the growth. */
  write(file: MemoryFile, bytes: Uint8Array, mode: WriteMode): void {
    const size = file.content.size
    const newSize = mode === 'append' ? size + bytes.length : mode === 'replace' ? bytes.length : Math.max(size, bytes.length)
    const growth = newSize - size
    if (growth > 0 && this.#usedBytes + growth > this.quotaBytes) throw uvError('ENOSPC', { syscall: 'write' })
    if (mode === 'append') file.content.append(bytes)
    else if (mode === 'replace') file.content.replace(bytes)
    else file.content.overwrite(bytes)
    this.#usedBytes += growth
    file.touch()
  }

  truncate(file: MemoryFile): void {
    if (file.content.size === 0) return
    this.#usedBytes -= file.content.size
    file.content.truncate()
    file.touch()
  }

  /** Unlinks `name` from `parent`, giving back the space of everything under it. */
  remove(parent: MemoryDir, name: string): void {
    const node = parent.entries.get(name)
    if (node === undefined) return
    this.#usedBytes -= bytesUnder(node)
    parent.entries.delete(name)
    if (node instanceof MemoryDir) parent.subdirs--
    parent.touch()
  }

  /** Moves an entry; whatever `toName` held is replaced (the caller checked that it may be). */
  move(fromParent: MemoryDir, fromName: string, toParent: MemoryDir, toName: string): void {
    const node = fromParent.entries.get(fromName)
    if (node === undefined) return
    this.remove(toParent, toName)
    fromParent.entries.delete(fromName)
    if (node instanceof MemoryDir) fromParent.subdirs--
    fromParent.touch()
    this.#link(toParent, toName, node)
    node.ctimeMs = Date.now()
  }

  #link(parent: MemoryDir, name: string, node: MemoryEntry): void {
    parent.entries.set(name, node)
    if (node instanceof MemoryDir) parent.subdirs++
    parent.touch()
  }
}

function bytesUnder(node: MemoryEntry): number {
  if (node instanceof MemoryFile) return node.content.size
  let total = 0
  for (const child of node.entries.values()) total += bytesUnder(child)
  return total
}
