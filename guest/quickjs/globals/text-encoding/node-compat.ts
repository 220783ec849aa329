/**
 * What makes TextEncoder/TextDecoder behave like Node's beyond the WHATWG algorithms: Node's
 * error codes (`err.code`), the accepted BufferSource arguments, and the class names,
 * toStringTag and `util.inspect` rendering.
 */

export type BufferSourceLike = ArrayBuffer | ArrayBufferView

/** Adds Node's `code` (an ordinary enumerable property, as on Node's errors: console.log shows it). */
export function errorWithCode<E extends Error>(error: E, code: string): E {
  Object.defineProperty(error, 'code', { value: code, writable: true, configurable: true, enumerable: true })
  return error
}

export function invalidData(encoding: string): TypeError {
  return errorWithCode(
    new TypeError(`The encoded data was not valid for encoding ${encoding}`),
    'ERR_ENCODING_INVALID_ENCODED_DATA',
  )
}

export function toBytes(input: unknown): Uint8Array {
  if (input instanceof Uint8Array) return input
  if (input instanceof ArrayBuffer) return new Uint8Array(input)
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
  const SharedArrayBufferCtor = (globalThis as { SharedArrayBuffer?: new (n: number) => ArrayBufferLike })
    .SharedArrayBuffer
  if (SharedArrayBufferCtor !== undefined && input instanceof SharedArrayBufferCtor) {
    return new Uint8Array(input as ArrayBufferLike)
  }
  throw errorWithCode(
    new TypeError(
      'The "input" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.',
    ),
    'ERR_INVALID_ARG_TYPE',
  )
}

const customInspect = Symbol.for('nodejs.util.inspect.custom')

/**
 * Class names, toStringTag and Node's `util.inspect` rendering are set explicitly: the bundler may
 * rename the class bindings (e.g. `TextDecoder2`) when another module mentions the same name.
 */
export function brandClass(ctor: Function, name: string, inspectFn: (this: never, ...args: never[]) => unknown): void {
  Object.defineProperty(ctor, 'name', { value: name, configurable: true })
  Object.defineProperty(ctor.prototype, Symbol.toStringTag, { value: name, configurable: true })
  Object.defineProperty(ctor.prototype, customInspect, { value: inspectFn, writable: true, configurable: true })
}

export type InspectFn = (value: unknown, options?: unknown) => string
