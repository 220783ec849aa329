import { Buffer } from 'buffer'
import { encode, normalizeEncoding, type Encoding } from './encoding.js'
import { invalidArgType, invalidArgValue } from './errors.js'
import type { OpenFlags } from './volume.js'

/**
 * Argument handling shared by every API: options objects (or an encoding string), open flags,
 * file data, and the bytes handed back to the caller.
 */

/** The bytes `readFileSync` (and the `'buffer'` encodings) return: the guest's Node Buffer. */
export type FileBytes = Buffer

export function fileBytes(bytes: Uint8Array): FileBytes {
  return Buffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length)
}

/** Node's getOptions: undefined, an encoding name, or an object; `defaults` fill the gaps. */
export function getOptions<T extends object>(options: unknown, defaults: T): T & { encoding?: unknown } {
  if (options === undefined || options === null || typeof options === 'function') return { ...defaults }
  if (typeof options === 'string') return { ...defaults, encoding: options === 'buffer' ? options : checkEncoding(options) }
  if (typeof options !== 'object') throw invalidArgType('options', 'one of type string or object', options)
  const merged = { ...defaults, ...(options as object) } as T & { encoding?: unknown }
  if (merged.encoding !== undefined && merged.encoding !== null && merged.encoding !== 'buffer') checkEncoding(merged.encoding)
  return merged
}

/** A valid encoding name, or Node's ERR_INVALID_ARG_VALUE. */
export function checkEncoding(encoding: unknown): Encoding {
  const name = normalizeEncoding(encoding)
  if (name === undefined) throw invalidArgValue('encoding', encoding, 'is invalid encoding')
  return name
}

/** The encoding to decode with, or undefined for bytes (no encoding, null or 'buffer'). */
export function resultEncoding(encoding: unknown): Encoding | undefined {
  return encoding === undefined || encoding === null || encoding === 'buffer' ? undefined : checkEncoding(encoding)
}

export const O_RDONLY = 0
export const O_WRONLY = 1
export const O_RDWR = 2
export const O_CREAT = 0o100
export const O_EXCL = 0o200
export const O_TRUNC = 0o1000
export const O_APPEND = 0o2000
export const O_SYNC = 0o4010000

const FLAGS: Record<string, number> = {
  r: O_RDONLY,
  rs: O_RDONLY | O_SYNC,
  sr: O_RDONLY | O_SYNC,
  'r+': O_RDWR,
  'rs+': O_RDWR | O_SYNC,
  'sr+': O_RDWR | O_SYNC,
  w: O_TRUNC | O_CREAT | O_WRONLY,
  wx: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  xw: O_TRUNC | O_CREAT | O_WRONLY | O_EXCL,
  'w+': O_TRUNC | O_CREAT | O_RDWR,
  'wx+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  'xw+': O_TRUNC | O_CREAT | O_RDWR | O_EXCL,
  a: O_APPEND | O_CREAT | O_WRONLY,
  ax: O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  xa: O_APPEND | O_CREAT | O_WRONLY | O_EXCL,
  as: O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  sa: O_APPEND | O_CREAT | O_WRONLY | O_SYNC,
  'a+': O_APPEND | O_CREAT | O_RDWR,
  'ax+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  'xa+': O_APPEND | O_CREAT | O_RDWR | O_EXCL,
  'as+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
  'sa+': O_APPEND | O_CREAT | O_RDWR | O_SYNC,
}

/** Node's stringToFlags (a flag string or the O_* bits), as what the open asks for. */
export function openFlags(flag: unknown, fallback: string): OpenFlags {
  const bits = flag === undefined || flag === null ? FLAGS[fallback] : typeof flag === 'number' ? flag : FLAGS[String(flag)]
  if (bits === undefined || (typeof flag !== 'number' && typeof flag !== 'string' && flag !== undefined && flag !== null)) {
    throw invalidArgValue('flags', flag)
  }
  const access = bits & 3
  return {
    read: access !== O_WRONLY,
    write: access !== O_RDONLY,
    create: (bits & O_CREAT) !== 0,
    exclusive: (bits & O_EXCL) !== 0,
    truncate: (bits & O_TRUNC) !== 0,
    append: (bits & O_APPEND) !== 0,
  }
}

/** File data as bytes: a string in `encoding`, or any ArrayBufferView. */
export function dataBytes(data: unknown, encoding: unknown): Uint8Array {
  if (typeof data === 'string') return encodeWith(data, encoding)
  if (data instanceof Uint8Array) return data
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  throw invalidArgType('data', 'of type string or an instance of Buffer, TypedArray, or DataView', data)
}

function encodeWith(text: string, encoding: unknown): Uint8Array {
  return encode(text, resultEncoding(encoding) ?? 'utf8')
}

/** Mode bits: a number, or an octal string as Node accepts ("755"). */
export function parseMode(mode: unknown, fallback: number): number {
  if (mode === undefined || mode === null) return fallback
  if (typeof mode === 'number' && Number.isInteger(mode) && mode >= 0 && mode <= 0o37777777777) return mode
  if (typeof mode === 'string' && /^[0-7]+$/.test(mode)) return Number.parseInt(mode, 8)
  if (typeof mode === 'string') throw invalidArgValue('mode', mode, 'must be a 32-bit unsigned integer or an octal string')
  throw invalidArgType('mode', 'of type number', mode)
}
