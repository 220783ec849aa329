import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { encode, normalizeEncoding, useHostTranscoder } from '../fs/encoding.js'
import { invalidArgType } from '../fs/errors.js'
import { codedError, isAnyArrayBuffer } from '../host-work.js'

/**
 * The host bindings for node:crypto, and turning crypto's inputs (strings in an encoding,
 * Buffers, any TypedArray or DataView, ArrayBuffers) into bytes as Node does.
 */

let bound: HostBindings | undefined

/** The crypto module hands over the host bindings once, when it is made. */
export function bindHost(host: HostBindings): void {
  bound = host
  useHostTranscoder(host)
}

export function host(): HostBindings {
  return bound as HostBindings
}

/** The bytes a view covers (no copy). */
export function viewBytes(view: ArrayBufferView | ArrayBufferLike): Uint8Array {
  return ArrayBuffer.isView(view) ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : new Uint8Array(view)
}

/**
 * Node's encoding of crypto strings: its C++ `ParseEncoding`, where an unknown name (or 'buffer')
 * means UTF-8.
 */
export function stringBytes(text: string, encoding: unknown): Uint8Array {
  return encode(text, normalizeEncoding(encoding) ?? 'utf8')
}

/** Buffer.from(text, encoding) for a key or password string: an unknown encoding is an error there. */
export function strictStringBytes(text: string, encoding: unknown): Uint8Array {
  if (encoding === undefined || encoding === null || encoding === 'buffer') return encode(text, 'utf8')
  const known = normalizeEncoding(encoding)
  if (known === undefined) throw codedError(new TypeError(`Unknown encoding: ${String(encoding)}`), 'ERR_UNKNOWN_ENCODING')
  return encode(text, known)
}

/** Hash/Hmac `update(data, encoding)`: a string, or any ArrayBufferView. */
export function updateBytes(data: unknown, encoding: unknown): Uint8Array {
  if (typeof data === 'string') return stringBytes(data, encoding)
  if (ArrayBuffer.isView(data)) return viewBytes(data)
  throw invalidArgType('data', 'of type string or an instance of Buffer, TypedArray, or DataView', data)
}

/** Node's getArrayBufferOrView for passwords, salts and keys: string, ArrayBuffer or view. */
export function bufferSourceBytes(value: unknown, name: string, encoding?: unknown): Uint8Array {
  if (isAnyArrayBuffer(value)) return viewBytes(value)
  if (typeof value === 'string') return strictStringBytes(value, encoding)
  if (ArrayBuffer.isView(value)) return viewBytes(value)
  throw invalidArgType(name, 'of type string or an instance of ArrayBuffer, Buffer, TypedArray, or DataView', value)
}

export function validateString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw invalidArgType(name, 'of type string', value)
}

export function validateFunction(value: unknown, name: string): asserts value is (...args: unknown[]) => void {
  if (typeof value !== 'function') throw invalidArgType(name, 'of type function', value)
}
