import { Buffer } from 'buffer'
import { invalidArgType } from '../fs/errors.js'
import { isAnyArrayBuffer, later, outOfRange } from '../host-work.js'
import { host, validateFunction } from './data.js'

/**
 * node:crypto's random functions over host entropy (the same source as the global crypto's
 * getRandomValues; reseeded environments after a snapshot restore get fresh entropy from the host).
 * The callback forms compute at once and call back in a later turn, as Node does after its thread pool.
 */

/** Node's kMaxPossibleLength (min of kMaxLength and 2^31 - 1). */
const MAX_LENGTH = 2147483647
/** The host hands out at most this much entropy per call. */
const ENTROPY_PER_CALL = 65536
/** randomInt's range limit: 6 random bytes. */
const RAND_MAX = 0xffff_ffff_ffff

function fill(target: Uint8Array): void {
  for (let offset = 0; offset < target.length; offset += ENTROPY_PER_CALL) {
    const length = Math.min(ENTROPY_PER_CALL, target.length - offset)
    target.set(new Uint8Array(host().randomBytes(length)), offset)
  }
}

function validateNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value)
}

function assertOffset(offset: unknown, elementSize: number, length: number): number {
  validateNumber(offset, 'offset')
  const bytes = offset * elementSize
  const max = Math.min(length, MAX_LENGTH)
  if (Number.isNaN(bytes) || bytes > max || bytes < 0) throw outOfRange('offset', `>= 0 && <= ${max}`, bytes)
  return bytes >>> 0
}

function assertSize(size: unknown, elementSize: number, offset: number, length: number): number {
  validateNumber(size, 'size')
  const bytes = size * elementSize
  if (Number.isNaN(bytes) || bytes > MAX_LENGTH || bytes < 0) throw outOfRange('size', `>= 0 && <= ${MAX_LENGTH}`, bytes)
  if (bytes + offset > length) throw outOfRange('size + offset', `<= ${length}`, bytes + offset)
  return bytes >>> 0
}

type Target = ArrayBufferView | ArrayBufferLike

function checkTarget(buf: unknown): asserts buf is Target {
  if (!isAnyArrayBuffer(buf) && !ArrayBuffer.isView(buf)) throw invalidArgType('buf', 'an instance of ArrayBuffer or ArrayBufferView', buf)
}

function bytesOf(buf: Target, offset: number, size: number): Uint8Array {
  return ArrayBuffer.isView(buf) ? new Uint8Array(buf.buffer, buf.byteOffset + offset, size) : new Uint8Array(buf, offset, size)
}

export function randomFillSync<T extends Target>(buf: T, offset: unknown = 0, size?: unknown): T {
  checkTarget(buf)
  const elementSize = (buf as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT || 1
  const start = assertOffset(offset, elementSize, buf.byteLength)
  const length = size === undefined ? buf.byteLength - start : assertSize(size, elementSize, start, buf.byteLength)
  if (length > 0) fill(bytesOf(buf, start, length))
  return buf
}

export function randomFill(buf: unknown, offset?: unknown, size?: unknown, callback?: unknown): void {
  checkTarget(buf)
  const elementSize = (buf as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT || 1
  // Node's argument shuffling, quirks included: a size given as a function means "to the end".
  if (typeof offset === 'function') {
    callback = offset
    offset = 0
    size = (buf as { length?: number }).length
  } else if (typeof size === 'function') {
    callback = size
    offset = (offset as number) * elementSize
    size = ((buf as { length?: number }).length as number) - (offset as number)
  } else {
    validateFunction(callback, 'callback')
  }
  const start = assertOffset(offset, elementSize, buf.byteLength)
  const length = size === undefined ? buf.byteLength - start : assertSize(size, elementSize, start, buf.byteLength)
  if (length > 0) fill(bytesOf(buf, start, length))
  later(callback as (...args: unknown[]) => void, null, buf)
}

export function randomBytes(size: unknown, callback?: unknown): Buffer | undefined {
  const length = assertSize(size, 1, 0, Number.POSITIVE_INFINITY)
  if (callback !== undefined) validateFunction(callback, 'callback')
  const buf = Buffer.alloc(length)
  fill(buf)
  if (callback === undefined) return buf
  later(callback, null, buf)
  return undefined
}

function randomUint48(): number {
  const bytes = new Uint8Array(host().randomBytes(6))
  let value = 0
  for (const byte of bytes) value = value * 256 + byte
  return value
}

export function randomInt(min: unknown, max?: unknown, callback?: unknown): number | undefined {
  const minNotSpecified = typeof max === 'undefined' || typeof max === 'function'
  if (minNotSpecified) {
    callback = max
    max = min
    min = 0
  }
  const isSync = typeof callback === 'undefined'
  if (!isSync) validateFunction(callback, 'callback')
  if (!Number.isSafeInteger(min)) throw invalidArgType('min', 'a safe integer', min)
  if (!Number.isSafeInteger(max)) throw invalidArgType('max', 'a safe integer', max)
  const [low, high] = [min as number, max as number]
  if (high <= low) throw outOfRange('max', `greater than the value of "min" (${low})`, high)
  const range = high - low
  if (!(range <= RAND_MAX)) throw outOfRange(`max${minNotSpecified ? '' : ' - min'}`, `<= ${RAND_MAX}`, range)
  // Rejection sampling over 48 random bits, as Node does, so every value is equally likely.
  const limit = RAND_MAX - (RAND_MAX % range)
  let sample = randomUint48()
  while (sample >= limit) sample = randomUint48()
  const value = low + (sample % range)
  if (isSync) return value
  // Node calls back with `undefined` (not null) as randomInt's error.
  later(callback as (...args: unknown[]) => void, undefined, value)
  return undefined
}

export function randomUUID(options?: unknown): string {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw invalidArgType('options', 'of type object', options)
  const disable = (options as { disableEntropyCache?: unknown } | undefined)?.disableEntropyCache ?? false
  if (typeof disable !== 'boolean') throw invalidArgType('options.disableEntropyCache', 'of type boolean', disable)
  const bytes = new Uint8Array(host().randomBytes(16))
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  let hex = ''
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
