/**
 * What the guest modules backed by host work (node:crypto, node:zlib, WebCrypto's subtle) share:
 * calling the host's work bindings, handing them bytes, Node's argument errors, and Node's timing
 * for callbacks.
 */

/**
 * Runs a host work binding. Its errors cross as plain Errors naming their class (see HostBindings);
 * they are rethrown here as that class with Node's `errno` and `code`, and a stack in guest code.
 */
export function hostCall<T>(work: () => T): T {
  try {
    return work()
  } catch (error) {
    throw fromHost(error)
  }
}

function fromHost(error: unknown): unknown {
  if (!(error instanceof Error)) return error
  const Type = error.name === 'TypeError' ? TypeError : error.name === 'RangeError' ? RangeError : Error
  const rebuilt = new Type(error.message) as Error & { errno?: unknown; code?: unknown }
  const { errno, code } = error as { errno?: unknown; code?: unknown }
  if (errno !== undefined) rebuilt.errno = errno
  if (code !== undefined) rebuilt.code = code
  return rebuilt
}

/**
 * A view as the host bindings take it: (buffer, byteOffset, byteLength). The host receives a copy
 * of the whole ArrayBuffer, so a small view of a much larger buffer is copied out first.
 */
export function bufferArgs(data: ArrayBufferView | ArrayBufferLike): [ArrayBuffer, number, number] {
  if (data instanceof ArrayBuffer) return [data, 0, data.byteLength]
  if (!ArrayBuffer.isView(data)) return [new Uint8Array(data).slice().buffer, 0, data.byteLength]
  const buffer = data.buffer as ArrayBuffer
  // A view of a SharedArrayBuffer is copied too: the host takes only ArrayBuffers.
  if (buffer instanceof ArrayBuffer && data.byteLength * 2 >= buffer.byteLength) return [buffer, data.byteOffset, data.byteLength]
  return [new Uint8Array(buffer, data.byteOffset, data.byteLength).slice().buffer, 0, data.byteLength]
}

/** Node's isAnyArrayBuffer: an ArrayBuffer or a SharedArrayBuffer. */
export function isAnyArrayBuffer(value: unknown): value is ArrayBufferLike {
  return value instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && value instanceof SharedArrayBuffer)
}

/** A copy of the bytes of a view or ArrayBuffer, in an ArrayBuffer of their own. */
export function copyToArrayBuffer(data: ArrayBufferView | ArrayBufferLike): ArrayBuffer {
  if (!ArrayBuffer.isView(data)) return new Uint8Array(data).slice().buffer
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice().buffer
}

declare function setImmediate(callback: (...args: unknown[]) => void, ...args: unknown[]): unknown

/** Calls a Node-style callback in a later turn of the event loop, where Node delivers the results of its thread-pool work. */
export function later(callback: (...args: unknown[]) => void, ...args: unknown[]): void {
  setImmediate(callback, ...args)
}

function withCode<E extends Error>(error: E, code: string): E {
  Object.defineProperty(error, 'code', { value: code, writable: true, configurable: true, enumerable: true })
  return error
}

/** Node's ERR_FEATURE_UNAVAILABLE_ON_PLATFORM, naming what is missing. */
export function featureUnavailable(feature: string): TypeError {
  return withCode(
    new TypeError(`The feature ${feature} is unavailable on the current platform, which is being used to run Node.js (Thaw's QuickJS sandbox; see docs/compatibility.md)`),
    'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM',
  )
}

/**
 * A function that only throws featureUnavailable, called or constructed (classes such as Cipheriv
 * too); named as Node's, so it shows right in stacks and inspect.
 */
export function unavailableFunction(module: string, name: string): (...args: unknown[]) => never {
  return {
    [name]: function (): never {
      throw featureUnavailable(`${module}.${name}`)
    },
  }[name] as (...args: unknown[]) => never
}

/** Node's ERR_OUT_OF_RANGE: "The value of "name" is out of range. It must be <range>. Received <value>". */
export function outOfRange(name: string, range: string, value: unknown): RangeError {
  let received: string
  if (Number.isInteger(value) && Math.abs(value as number) > 2 ** 32) received = separateThousands(String(value))
  else if (typeof value === 'bigint') received = `${value > 2n ** 32n || value < -(2n ** 32n) ? separateThousands(String(value)) : String(value)}n`
  else if (typeof value === 'string') received = `'${value}'`
  else received = Object.is(value, -0) ? '-0' : String(value)
  return withCode(new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${received}`), 'ERR_OUT_OF_RANGE')
}

function separateThousands(digits: string): string {
  const sign = digits.startsWith('-') ? '-' : ''
  let rest = sign === '' ? digits : digits.slice(1)
  let grouped = ''
  for (; rest.length > 3; rest = rest.slice(0, -3)) grouped = `_${rest.slice(-3)}${grouped}`
  return sign + rest + grouped
}

/** An error with Node's code (ERR_CRYPTO_HASH_FINALIZED and the like). */
export function codedError<T extends Error>(error: T, code: string): T {
  return withCode(error, code)
}
