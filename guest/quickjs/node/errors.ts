/**
 * Node's errors for the guest's node:* modules: the same `code`, class and message as Node 20
 * (ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE, AbortError …), so code that tests `err.code` behaves.
 * Each chunk bundles the few helpers it uses.
 */

/** An error of class `Base` with Node's `code` (an own enumerable property, as in Node). */
export function nodeError<E extends Error>(Base: new (message: string) => E, code: string, message: string): E & { code: string } {
  const error = new Base(message) as E & { code: string }
  error.code = code
  return error
}

/** How Node's messages describe a received value ("Received type number (1)", "Received an instance of Foo"). */
export function describeReceived(value: unknown): string {
  if (value === null || value === undefined) return `Received ${String(value)}`
  if (typeof value === 'function') return `Received function ${(value as { name?: string }).name || '<anonymous>'}`
  if (typeof value === 'object') {
    const name = (value as { constructor?: { name?: string } }).constructor?.name
    return name ? `Received an instance of ${name}` : `Received ${String(value)}`
  }
  let shown = typeof value === 'string' ? `'${value}'` : typeof value === 'bigint' ? `${value}n` : String(value)
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`
  return `Received type ${typeof value} (${shown})`
}

/** ERR_INVALID_ARG_TYPE; `expected` reads like Node's: "of type function", "an instance of AbortSignal". */
export function invalidArgType(name: string, expected: string, value: unknown): TypeError & { code: string } {
  const kind = name.includes('.') ? 'property' : 'argument'
  return nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `The "${name}" ${kind} must be ${expected}. ${describeReceived(value)}`)
}

/** ERR_OUT_OF_RANGE. */
export function outOfRange(name: string, range: string, value: unknown): RangeError & { code: string } {
  return nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be ${range}. Received ${String(value)}`)
}

/** Node's AbortError (not a DOMException): what aborted node:* APIs reject with. */
export class AbortError extends Error {
  code = 'ABORT_ERR'
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AbortError'
  }
}

export interface SignalLike {
  aborted: boolean
  reason?: unknown
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

/** Node's validateAbortSignal: undefined, or something shaped like an AbortSignal. */
export function validateAbortSignal(signal: unknown, name: string): asserts signal is SignalLike | undefined {
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
    throw invalidArgType(name, 'an instance of AbortSignal', signal)
  }
}

export function validateFunction(value: unknown, name: string): asserts value is (...args: unknown[]) => unknown {
  if (typeof value !== 'function') throw invalidArgType(name, 'of type function', value)
}

export function validateObject(value: unknown, name: string): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') throw invalidArgType(name, 'of type object', value)
}
