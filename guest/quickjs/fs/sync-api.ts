import { decode, utf8 } from './encoding.js'
import { codedError, invalidArgType, uvError, type Site } from './errors.js'
import { dataBytes, fileBytes, getOptions, openFlags, parseMode, resultEncoding, type FileBytes } from './options.js'
import { childPath, toFsPath, type FsPath } from './paths.js'
import { platform } from './platform.js'
import { Dirent, Stats } from './stats.js'
import { F_OK, type Volume } from './volume.js'

/**
 * The synchronous `node:fs` functions: Node's argument handling and option defaults over the
 * Volume. Everything else (promises, callbacks) is built from these.
 */

export type SyncApi = ReturnType<typeof createSyncApi>

const TEMP_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

export function createSyncApi(volume: Volume) {
  const site = (syscall: string, path: FsPath, dest?: FsPath): Site =>
    dest === undefined ? { syscall, path: path.original } : { syscall, path: path.original, dest: dest.original }

  function readFileSync(path: unknown, options?: unknown): string | FileBytes {
    const { encoding, flag } = getOptions(options, { flag: 'r' as unknown })
    const file = toFsPath(path)
    const bytes = volume.readFile(file, openFlags(flag, 'r'), site('open', file))
    // Node accepts 'buffer' as an option, reads, then fails to decode with it.
    if (encoding === 'buffer') throw codedError('ERR_UNKNOWN_ENCODING', 'Unknown encoding: buffer')
    const decodeAs = resultEncoding(encoding)
    return decodeAs === undefined ? fileBytes(bytes) : decode(bytes, decodeAs)
  }

  function writeWith(defaultFlag: string, path: unknown, data: unknown, options: unknown): void {
    const { encoding, flag, mode } = getOptions(options, { encoding: 'utf8' as unknown, flag: defaultFlag as unknown, mode: 0o666 as unknown })
    const file = toFsPath(path)
    const bytes = dataBytes(data, encoding)
    volume.writeFile(file, bytes, openFlags(flag, defaultFlag), parseMode(mode, 0o666), site('open', file))
  }

  function writeFileSync(path: unknown, data: unknown, options?: unknown): void {
    writeWith('w', path, data, options)
  }

  function appendFileSync(path: unknown, data: unknown, options?: unknown): void {
    writeWith('a', path, data, options)
  }

  function existsSync(path: unknown): boolean {
    try {
      volume.stat(toFsPath(path), { syscall: 'access' })
      return true
    } catch {
      return false
    }
  }

  function accessSync(path: unknown, mode: unknown = F_OK): void {
    const file = toFsPath(path)
    if (typeof mode !== 'number') throw invalidArgType('mode', 'of type number', mode)
    volume.access(file, mode, site('access', file))
  }

  function mkdirSync(path: unknown, options?: unknown): string | undefined {
    const { recursive, mode } =
      typeof options === 'number' || typeof options === 'string'
        ? { recursive: false, mode: options }
        : getOptions(options, { recursive: false as unknown, mode: 0o777 as unknown })
    if (typeof recursive !== 'boolean') throw invalidArgType('options.recursive', 'of type boolean', recursive)
    const dir = toFsPath(path)
    const first = volume.mkdir(dir, recursive, parseMode(mode, 0o777), site('mkdir', dir))
    return recursive ? first : undefined
  }

  function mkdtempSync(prefix: unknown, options?: unknown): string | FileBytes {
    const { encoding } = getOptions(options, {})
    if (typeof prefix !== 'string') throw invalidArgType('prefix', 'of type string or an instance of Buffer or URL', prefix)
    const pattern = toFsPath(`${prefix}XXXXXX`)
    for (let attempt = 0; ; attempt++) {
      const random = platform.crypto.getRandomValues(new Uint8Array(6))
      let suffix = ''
      for (const byte of random) suffix += TEMP_CHARS[byte % TEMP_CHARS.length] as string
      const dir = toFsPath(`${prefix}${suffix}`)
      try {
        volume.mkdir(dir, false, 0o700, { syscall: 'mkdtemp', path: pattern.original })
      } catch (error) {
        if ((error as { code?: string }).code === 'EEXIST' && attempt < 100) continue
        throw error
      }
      return encoding === 'buffer' ? fileBytes(utf8(dir.original)) : dir.original
    }
  }

  function readdirSync(path: unknown, options?: unknown): (string | FileBytes | Dirent)[] {
    const { encoding, withFileTypes, recursive } = getOptions(options, { withFileTypes: false as unknown, recursive: false as unknown })
    const dir = toFsPath(path)
    const name = (text: string) => (encoding === 'buffer' ? fileBytes(utf8(text)) : text)
    const out: (string | FileBytes | Dirent)[] = []
    const walk = (folder: FsPath, prefix: string, syscall: Site) => {
      const entries = volume.readdir(folder, syscall)
      for (const [entry, isDirectory] of entries) {
        const relative = prefix === '' ? entry : `${prefix}/${entry}`
        out.push(withFileTypes === true ? new Dirent(entry, folder.original, isDirectory) : name(relative))
      }
      if (recursive !== true) return
      for (const [entry, isDirectory] of entries) {
        if (isDirectory) walk(childPath(folder, entry), prefix === '' ? entry : `${prefix}/${entry}`, syscall)
      }
    }
    walk(dir, '', site('scandir', dir))
    return out
  }

  function statWith(syscall: string, path: unknown, options: unknown): Stats | undefined {
    const { throwIfNoEntry, bigint } = getOptions(options, { throwIfNoEntry: true as unknown, bigint: false as unknown })
    if (bigint === true) throw codedError('ERR_METHOD_NOT_IMPLEMENTED', 'The bigint option of stat is not supported in Thaw', 'Error')
    const file = toFsPath(path)
    try {
      return new Stats(volume.stat(file, site(syscall, file)))
    } catch (error) {
      // As in Node 20, only ENOENT: a file where a folder should be (ENOTDIR) still throws.
      if (throwIfNoEntry === false && (error as { code?: string }).code === 'ENOENT') return undefined
      throw error
    }
  }

  function statSync(path: unknown, options?: unknown): Stats | undefined {
    return statWith('stat', path, options)
  }

  function lstatSync(path: unknown, options?: unknown): Stats | undefined {
    return statWith('lstat', path, options)
  }

  function unlinkSync(path: unknown): void {
    const file = toFsPath(path)
    volume.remove(file, false, site('unlink', file))
  }

  function rmdirSync(path: unknown, options?: unknown): void {
    const { recursive } = getOptions(options, { recursive: false as unknown })
    const dir = toFsPath(path)
    if (recursive === true) return volume.rm(dir, true, false, site('rmdir', dir))
    volume.remove(dir, true, site('rmdir', dir))
  }

  function rmSync(path: unknown, options?: unknown): void {
    const { recursive, force } = getOptions(options, { recursive: false as unknown, force: false as unknown })
    if (typeof recursive !== 'boolean') throw invalidArgType('options.recursive', 'of type boolean', recursive)
    if (typeof force !== 'boolean') throw invalidArgType('options.force', 'of type boolean', force)
    const target = toFsPath(path)
    volume.rm(target, recursive, force, site('rm', target))
  }

  function renameSync(oldPath: unknown, newPath: unknown): void {
    const from = toFsPath(oldPath, 'oldPath')
    const to = toFsPath(newPath, 'newPath')
    volume.rename(from, to, site('rename', from, to))
  }

  function copyFileSync(src: unknown, dest: unknown, mode: unknown = 0): void {
    const from = toFsPath(src, 'src')
    const to = toFsPath(dest, 'dest')
    if (typeof mode !== 'number') throw invalidArgType('mode', 'of type number', mode)
    const where = site('copyfile', from, to)
    if (volume.stat(from, where).kind === 'dir') throw uvError('EISDIR', where)
    const bytes = volume.readFile(from, openFlags('r', 'r'), where)
    volume.writeFile(to, bytes, openFlags((mode & 1) !== 0 ? 'wx' : 'w', 'w'), 0o666, where)
  }

  function realpathSync(path: unknown, options?: unknown): string | FileBytes {
    const { encoding } = getOptions(options, {})
    const file = toFsPath(path)
    volume.stat(file, site('lstat', file))
    return encoding === 'buffer' ? fileBytes(utf8(file.path)) : file.path
  }
  realpathSync.native = realpathSync

  return {
    accessSync,
    appendFileSync,
    copyFileSync,
    existsSync,
    lstatSync,
    mkdirSync,
    mkdtempSync,
    readdirSync,
    readFileSync,
    realpathSync,
    renameSync,
    rmdirSync,
    rmSync,
    statSync,
    unlinkSync,
    writeFileSync,
  }
}
