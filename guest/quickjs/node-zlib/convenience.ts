import { Buffer } from 'buffer'
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { encode } from '../fs/encoding.js'
import { invalidArgType } from '../fs/errors.js'
import { bufferArgs, copyToArrayBuffer, hostCall, isAnyArrayBuffer, later, outOfRange } from '../host-work.js'

/**
 * node:zlib's convenience methods (gzipSync, gzip(buf, opts, cb), …) and crc32: one host call
 * runs Node's own zlib or brotli over the whole buffer (src/isolates/quickjs/host-zlib.ts). The
 * host validates the options exactly as Node does (its errors come back unchanged) and caps the
 * output at the function's memory (RangeError ERR_BUFFER_TOO_LARGE, like maxOutputLength).
 */

export const MODES = ['deflate', 'inflate', 'gzip', 'gunzip', 'deflateRaw', 'inflateRaw', 'unzip', 'brotliCompress', 'brotliDecompress'] as const
export type Mode = (typeof MODES)[number]

/** The options the host takes (it validates them); anything else Node ignores too. */
const NUMERIC_OPTIONS = ['level', 'windowBits', 'memLevel', 'strategy', 'chunkSize', 'finishFlush', 'maxOutputLength'] as const

/** A number as JSON can carry it: Node treats NaN as "use the default", and ±Infinity as out of range. */
function jsonNumber(value: unknown): unknown {
  if (typeof value !== 'number' || Number.isFinite(value)) return value
  return Number.isNaN(value) ? undefined : Math.sign(value) * Number.MAX_VALUE
}

interface HostOptions {
  readonly json: string
  readonly dictionary: ArrayBuffer | undefined
  readonly info: boolean
}

export function hostOptions(options: unknown): HostOptions {
  if (typeof options !== 'object' || options === null) return { json: '{}', dictionary: undefined, info: false }
  const given = options as Record<string, unknown>
  const picked: Record<string, unknown> = {}
  for (const name of NUMERIC_OPTIONS) if (given[name] !== undefined) picked[name] = jsonNumber(given[name])
  if (given.params !== undefined && given.params !== null && typeof given.params === 'object') {
    const params: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(given.params)) params[key] = jsonNumber(value)
    picked.params = params
  }
  let dictionary: ArrayBuffer | undefined
  if (given.dictionary !== undefined) {
    if (!isAnyArrayBuffer(given.dictionary) && !ArrayBuffer.isView(given.dictionary)) {
      throw invalidArgType('options.dictionary', 'an instance of Buffer, TypedArray, DataView, or ArrayBuffer', given.dictionary)
    }
    dictionary = copyToArrayBuffer(given.dictionary)
  }
  return { json: JSON.stringify(picked), dictionary, info: given.info === true }
}

/** The input of a sync method (Node's zlibBufferSync). */
function syncInput(buffer: unknown): Uint8Array {
  if (typeof buffer === 'string') return encode(buffer, 'utf8')
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  if (isAnyArrayBuffer(buffer)) return new Uint8Array(buffer)
  throw invalidArgType('buffer', 'of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer', buffer)
}

/** The input of a callback method: what its stream's `end(chunk)` accepts. */
function asyncInput(buffer: unknown): Uint8Array {
  if (buffer === null || buffer === undefined) return new Uint8Array(0)
  if (typeof buffer === 'string' || ArrayBuffer.isView(buffer) || isAnyArrayBuffer(buffer)) return syncInput(buffer)
  throw invalidArgType('chunk', 'of type string or an instance of Buffer, TypedArray, or DataView', buffer)
}

/** Errors of the data (a corrupt stream, output over the cap) as opposed to bad arguments. */
export function isDataError(error: unknown): boolean {
  const { errno, code } = (error ?? {}) as { errno?: unknown; code?: unknown }
  return errno !== undefined || code === 'ERR_BUFFER_TOO_LARGE' || code === 'ERR_THAW_DEADLINE_PASSED'
}

export function runZlib(host: HostBindings, mode: Mode, input: Uint8Array, options: HostOptions): Buffer {
  return Buffer.from(hostCall(() => host.zlib(mode, ...bufferArgs(input), options.json, options.dictionary)))
}

export function syncMethod(host: HostBindings, mode: Mode) {
  return function syncBufferWrapper(buffer: unknown, options?: unknown): Buffer | { buffer: Buffer; engine: undefined } {
    const settings = hostOptions(options)
    const result = runZlib(host, mode, syncInput(buffer), settings)
    // `info: true` returns the engine too; there is no engine object in the guest (see docs).
    return settings.info ? { buffer: result, engine: undefined } : result
  }
}

export function callbackMethod(host: HostBindings, mode: Mode) {
  return function asyncBufferWrapper(buffer: unknown, options?: unknown, callback?: unknown): void {
    if (typeof options === 'function') {
      callback = options
      options = {}
    }
    const settings = hostOptions(options)
    if (typeof callback !== 'function') throw invalidArgType('callback', 'of type function', callback)
    const input = asyncInput(buffer)
    let result: Buffer
    try {
      result = runZlib(host, mode, input, settings)
    } catch (error) {
      if (!isDataError(error)) throw error
      later(callback as (...args: unknown[]) => void, error)
      return
    }
    later(callback as (...args: unknown[]) => void, null, result)
  }
}

export function crc32Method(host: HostBindings) {
  return function crc32(data: unknown, value: unknown = 0): number {
    if (typeof data !== 'string' && !ArrayBuffer.isView(data)) {
      throw invalidArgType('data', 'of type string or an instance of Buffer, TypedArray, or DataView', data)
    }
    if (typeof value !== 'number') throw invalidArgType('value', 'of type number', value)
    if (!Number.isInteger(value)) throw outOfRange('value', 'an integer', value)
    if (value < 0 || value > 4294967295) throw outOfRange('value', '>= 0 && <= 4294967295', value)
    const bytes = typeof data === 'string' ? encode(data, 'utf8') : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    return hostCall(() => host.crc32(...bufferArgs(bytes), value))
  }
}
