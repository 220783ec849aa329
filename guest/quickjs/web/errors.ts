/**
 * Node's argument errors for the web platform classes (Node's own AbortSignal, EventTarget, Blob
 * throw these, with `code`); the fetch classes throw plain TypeErrors with undici's messages.
 */
export { invalidArgType } from '../fs/errors.js'

type ErrorClass = new (message: string) => Error

/** An error with Node's `code` (an own enumerable property, as on Node's errors). */
export function nodeError(type: ErrorClass, code: string, message: string): Error {
  const error = new type(message)
  Object.defineProperty(error, 'code', { value: code, writable: true, configurable: true, enumerable: true })
  return error
}

/** ERR_MISSING_ARGS: `The "type" argument must be specified`, `The "a" and "b" arguments must be specified`. */
export function missingArgs(...names: string[]): Error {
  const list = names.map((name) => `"${name}"`)
  const subject = list.length === 1 ? `${list[0]} argument` : `${list.slice(0, -1).join(', ')} and ${list.at(-1)} arguments`
  return nodeError(TypeError, 'ERR_MISSING_ARGS', `The ${subject} must be specified`)
}

/** ERR_ILLEGAL_CONSTRUCTOR, for classes only the platform creates (AbortSignal). */
export function illegalConstructor(): Error {
  return nodeError(TypeError, 'ERR_ILLEGAL_CONSTRUCTOR', 'Illegal constructor')
}

/** ERR_INVALID_THIS: a method called on an object of the wrong class. */
export function invalidThis(type: string): Error {
  return nodeError(TypeError, 'ERR_INVALID_THIS', `Value of "this" must be of type ${type}`)
}
