import { decode } from './encoding.js'
import { codedError, invalidArgType, invalidArgValue } from './errors.js'

/**
 * Path arguments: what Node accepts (a string, a `file:` URL, bytes), checked the way Node and
 * Linux check them, then resolved against the working directory and normalised. The result is
 * purely lexical: `..` climbs from the path written, never above `/` (there are no symlinks, so
 * this names the same file the kernel would find, except that Linux also fails on a `..` after a
 * missing folder or a file).
 */

/** Lambda's working directory: relative paths start in the code package. */
export const CWD = '/var/task'
/** Linux's PATH_MAX (with its NUL) and NAME_MAX, in bytes. */
export const PATH_MAX = 4096
export const NAME_MAX = 255

export interface FsPath {
  /** As the caller gave it: error messages show this, as Node's do. */
  readonly original: string
  /** Absolute and normalised ("/" for the root). */
  readonly path: string
  /** The normalised path's components (empty for the root). */
  readonly segments: readonly string[]
  /** Ends in "/" (or "/."): must name a directory. */
  readonly trailingSlash: boolean
  /** What Linux would refuse before looking anything up: an empty path, or one that is too long. */
  readonly invalid?: 'ENOENT' | 'ENAMETOOLONG'
}

export function toFsPath(value: unknown, name = 'path'): FsPath {
  const original = pathString(value, name)
  if (original.includes('\u0000')) {
    throw invalidArgValue(name, original, 'must be a string, Uint8Array, or URL without null bytes')
  }
  if (original === '') return { original, path: '', segments: [], trailingSlash: false, invalid: 'ENOENT' }
  const absolute = original.charCodeAt(0) === 47 /* / */ ? original : `${CWD}/${original}`
  const segments: string[] = []
  for (const part of absolute.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') segments.pop()
    else segments.push(part)
  }
  return {
    original,
    path: `/${segments.join('/')}`,
    segments,
    trailingSlash: segments.length > 0 && (original.endsWith('/') || original.endsWith('/.')),
    invalid: tooLong(original) ? 'ENAMETOOLONG' : undefined,
  }
}

/** A child of `parent` by name (readdir recursion, mkdtemp). */
export function childPath(parent: FsPath, name: string): FsPath {
  const original = parent.original.endsWith('/') ? parent.original + name : `${parent.original}/${name}`
  return toFsPath(original)
}

function pathString(value: unknown, name: string): string {
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return decode(value, 'utf8')
  if (isUrl(value)) return fileUrlPath(value)
  throw invalidArgType(name, 'of type string or an instance of Buffer or URL', value)
}

/** Node's `isURL`: duck-typed, so that checking does not load the URL implementation. */
function isUrl(value: unknown): value is { href: string; protocol: string; hostname: string; pathname: string } {
  if (typeof value !== 'object' || value === null) return false
  const url = value as Record<string, unknown>
  return typeof url.href === 'string' && typeof url.protocol === 'string' && url.auth === undefined && url.path === undefined
}

function fileUrlPath(url: { protocol: string; hostname: string; pathname: string }): string {
  if (url.protocol !== 'file:') throw codedError('ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file')
  if (url.hostname !== '') {
    throw codedError('ERR_INVALID_FILE_URL_HOST', 'File URL host must be "localhost" or empty on linux')
  }
  if (/%2f/i.test(url.pathname)) {
    throw codedError('ERR_INVALID_FILE_URL_PATH', 'File URL path must not include encoded / characters')
  }
  return decodeURIComponent(url.pathname)
}

/** Longer than PATH_MAX - 1 bytes, or a component longer than NAME_MAX bytes (UTF-8). */
function tooLong(path: string): boolean {
  if (path.length >= PATH_MAX) return true
  // A UTF-16 unit is at most 3 bytes of UTF-8: short paths cannot be too long.
  if (path.length * 3 <= NAME_MAX) return false
  let component = 0
  let total = 0
  for (let index = 0; index < path.length; index++) {
    const code = path.charCodeAt(index)
    if (code === 47) {
      component = 0
      total++
      continue
    }
    // UTF-8 length: a surrogate pair is 4 bytes, counted 2 per half.
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdfff ? 2 : 3
    component += bytes
    total += bytes
    if (component > NAME_MAX) return true
  }
  return total >= PATH_MAX
}
