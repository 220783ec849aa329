/**
 * Node's filesystem errors. System errors are shaped as Node's `uvException` makes them: an
 * `Error` whose message is "<CODE>: <libuv description>, <syscall> '<path>'[ -> '<dest>']" with
 * own enumerable `errno` (negative), `code`, `syscall`, and `path` / `dest` when there are any,
 * the paths as the caller gave them. Argument errors are TypeErrors with Node's `code`.
 */

const UV_ERRORS = {
  EPERM: [-1, 'operation not permitted'],
  ENOENT: [-2, 'no such file or directory'],
  EBADF: [-9, 'bad file descriptor'],
  EACCES: [-13, 'permission denied'],
  EBUSY: [-16, 'resource busy or locked'],
  EEXIST: [-17, 'file already exists'],
  EXDEV: [-18, 'cross-device link not permitted'],
  ENOTDIR: [-20, 'not a directory'],
  EISDIR: [-21, 'illegal operation on a directory'],
  EINVAL: [-22, 'invalid argument'],
  ENOSPC: [-28, 'no space left on device'],
  EROFS: [-30, 'read-only file system'],
  ENAMETOOLONG: [-36, 'name too long'],
  ENOTEMPTY: [-39, 'directory not empty'],
} as const

export type ErrorCode = keyof typeof UV_ERRORS

/** Where an error happened: the system call and the caller's path(s). */
export interface Site {
  readonly syscall: string
  readonly path?: string
  readonly dest?: string
}

/**
 * `afterSyscall`: `code` comes after `syscall`, as on the errors Node builds from a call context
 * (a write on a descriptor) rather than from libuv's request (the property order shows in logs).
 */
export function uvError(code: ErrorCode, site: Site, afterSyscall = false): Error {
  const [errno, description] = UV_ERRORS[code]
  let message = `${code}: ${description}, ${site.syscall}`
  if (site.path !== undefined) message += ` '${site.path}'`
  if (site.dest !== undefined) message += ` -> '${site.dest}'`
  const error = new Error(message) as Error & Record<string, unknown>
  error.errno = errno
  if (!afterSyscall) error.code = code
  error.syscall = site.syscall
  error.code = code
  if (site.path !== undefined) error.path = site.path
  if (site.dest !== undefined) error.dest = site.dest
  return error
}

/** Node 20's `rm` of a directory without `recursive`: a SystemError with code ERR_FS_EISDIR. */
export function rmDirectoryError(path: string): Error {
  const error = new Error(`Path is a directory: rm returned EISDIR (is a directory) ${path}`) as Error & Record<string, unknown>
  Object.defineProperty(error, 'name', { value: 'SystemError', writable: true, configurable: true })
  error.code = 'ERR_FS_EISDIR'
  error.info = { code: 'EISDIR', message: 'is a directory', path, syscall: 'rm', errno: 21 }
  error.errno = 21
  error.syscall = 'rm'
  error.path = path
  return error
}

function withCode<E extends Error>(error: E, code: string): E {
  Object.defineProperty(error, 'code', { value: code, writable: true, configurable: true, enumerable: true })
  return error
}

/** ERR_INVALID_ARG_TYPE: `expected` reads like "of type string or an instance of Buffer or URL". */
export function invalidArgType(name: string, expected: string, value: unknown): TypeError {
  const subject = name.includes('.') ? `The "${name}" property` : `The "${name}" argument`
  return withCode(new TypeError(`${subject} must be ${expected}. Received ${received(value)}`), 'ERR_INVALID_ARG_TYPE')
}

/** ERR_INVALID_ARG_VALUE: "The argument 'name' <reason>. Received <value>". */
export function invalidArgValue(name: string, value: unknown, reason = 'is invalid'): TypeError {
  const subject = name.includes('.') ? `The property '${name}'` : `The argument '${name}'`
  return withCode(new TypeError(`${subject} ${reason}. Received ${inspectValue(value)}`), 'ERR_INVALID_ARG_VALUE')
}

/** An error with a code and a message only (ERR_INVALID_URL_SCHEME and the like). */
export function codedError(code: string, message: string, type: 'Error' | 'TypeError' = 'TypeError'): Error {
  return withCode(type === 'TypeError' ? new TypeError(message) : new Error(message), code)
}

/** Node's description of a wrong argument ("undefined", "type number (1)", "an instance of Map"). */
function received(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'function') return `function ${(value as { name?: string }).name || '<anonymous>'}`
  if (typeof value === 'object') {
    const name = (value as { constructor?: { name?: string } }).constructor?.name
    return name ? `an instance of ${name}` : inspectValue(value)
  }
  let shown = inspectValue(value)
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`
  return `type ${typeof value} (${shown})`
}

/** A short util.inspect: strings quoted and escaped as Node shows them. */
function inspectValue(value: unknown): string {
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'"
    const escaped = value.replace(/[\x00-\x1f\x7f\\]/g, (char) => ESCAPES[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`)
    return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote
  }
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'symbol') return value.toString()
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value) ?? String(value)
    } catch {
      return String(value)
    }
  }
  return Object.is(value, -0) ? '-0' : String(value)
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\r': '\\r', '\\': '\\\\' }
