/**
 * node:assert and node:assert/strict, following Node 20's lib/assert.js (MIT): the same checks,
 * argument validation, error codes and messages, over the shared deep equality (chunk
 * "deep-equal") and the AssertionError of assertion-error.ts.
 *
 * Why not the `assert` npm package (v2.1.0): bundled it is ~74 KB minified (it pulls util@0.12
 * and a dozen es-shims packages), and its messages come from util@0.12's Node 0.x-era inspect.
 *
 * Known differences: when `assert(value)` / `assert.ok(value)` fails without a message, Node
 * quotes the failing source line ("The expression evaluated to a falsy value: assert.ok(x)"),
 * which it reads from the caller's file; the guest gives the message Node uses when the source
 * cannot be read (`false == true`). `assert.CallTracker` (deprecated in Node 20) is not provided.
 */
import type { Warnings } from './diagnostics.js'
import { invalidArgType, invalidArgValue, nodeError, describeReceived, validateFunction } from './errors.js'
import type { AssertionErrorClass, AssertionErrorOptions } from './assertion-error.js'
import type { DeepEqualChunk } from './shared-chunks.js'

declare const require: (id: string) => unknown
type Types = { isRegExp(value: unknown): boolean; isPromise(value: unknown): boolean; isNativeError(value: unknown): boolean }
const types = (): Types => require('util/types') as Types

type Inspect = (value: unknown, options?: Record<string, unknown>) => string
type AnyFunction = (...args: unknown[]) => unknown

const NO_EXCEPTION = {}
const isError = (value: unknown): value is Error => value instanceof Error || types().isNativeError(value)
const missingArgs = (): TypeError => nodeError(TypeError, 'ERR_MISSING_ARGS', 'The "actual" and "expected" arguments must be specified')

export function createAssert(inspect: Inspect, AssertionError: AssertionErrorClass, comparisons: () => DeepEqualChunk, warnings: () => Warnings) {
  function innerFail(options: AssertionErrorOptions): never {
    if (options.message instanceof Error) throw options.message
    throw new AssertionError(options)
  }

  function innerOk(fn: Function, argLen: number, value: unknown, message: unknown): void {
    if (value) return
    let generatedMessage = false
    let text = message
    if (argLen === 0) {
      generatedMessage = true
      text = 'No value argument passed to `assert.ok()`'
    } else if (message == null) {
      // Node quotes the caller's source here when it can read it (see the header comment).
      generatedMessage = true
      text = undefined
    } else if (isError(message)) {
      throw message
    }
    const error = new AssertionError({ actual: value, expected: true, message: text, operator: '==', stackStartFn: fn })
    error.generatedMessage = generatedMessage
    throw error
  }

  function ok(...args: unknown[]): void {
    innerOk(ok, args.length, args[0], args[1])
  }
  const assert = ok as typeof ok & Record<string, unknown>

  let warned = false
  function fail(actual?: unknown, expected?: unknown, message?: unknown, operator?: string, stackStartFn?: Function): never {
    const argsLen = arguments.length
    let internalMessage = false
    let text = message
    let value = actual
    let op = operator
    if (actual == null && argsLen <= 1) {
      internalMessage = true
      text = 'Failed'
    } else if (argsLen === 1) {
      text = actual
      value = undefined
    } else {
      if (!warned) {
        warned = true
        warnings().deprecationWarning('assert.fail() with more than one argument is deprecated. Please use assert.strictEqual() instead or only pass a message.', 'DEP0094')
      }
      if (argsLen === 2) op = '!='
    }
    if (text instanceof Error) throw text
    const error = new AssertionError({ actual: value, expected, operator: op === undefined ? 'fail' : op, stackStartFn: stackStartFn || fail, message: text })
    if (internalMessage) error.generatedMessage = true
    throw error
  }

  function equal(this: unknown, actual: unknown, expected: unknown, message?: unknown): void {
    if (arguments.length < 2) throw missingArgs()
    // eslint-disable-next-line eqeqeq
    if (actual != expected && (!Number.isNaN(actual) || !Number.isNaN(expected))) innerFail({ actual, expected, message, operator: '==', stackStartFn: equal })
  }
  function notEqual(actual: unknown, expected: unknown, message?: unknown): void {
    if (arguments.length < 2) throw missingArgs()
    // eslint-disable-next-line eqeqeq
    if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) innerFail({ actual, expected, message, operator: '!=', stackStartFn: notEqual })
  }
  function deepEqual(actual: unknown, expected: unknown, message?: unknown): void {
    if (arguments.length < 2) throw missingArgs()
    if (!comparisons().isDeepEqual(actual, expected)) innerFail({ actual, expected, message, operator: 'deepEqual', stackStartFn: deepEqual })
  }
  function notDeepEqual(actual: unknown, expected: unknown, message?: unknown): void {
    if (arguments.length < 2) throw missingArgs()
    if (comparisons().isDeepEqual(actual, expected)) innerFail({ actual, expected, message, operator: 'notDeepEqual', stackStartFn: notDeepEqual })
  }
  function deepStrictEqual(actual: unknown, expected: unknown, message?: unknown): void {
    if (arguments.length < 2) throw missingArgs()
    if (!comparisons().isDeepStrictEqual(actual, expected)) innerFail({ actual, expected, message, operator: 'deepStrictEqual', stackStartFn: deepStrictEqual })
  }
  function notDeepStrictEqual(actual: unknown, expected: unknown, message?: unknown): void {
    if (arguments.length < 2) throw missingArgs()
    if (comparisons().isDeepStrictEqual(actual, expected)) innerFail({ actual, expected, message, operator: 'notDeepStrictEqual', stackStartFn: notDeepStrictEqual })
  }
  function strictEqual(actual: unknown, expected: unknown, message?: unknown): void {
    if (arguments.length < 2) throw missingArgs()
    if (!Object.is(actual, expected)) innerFail({ actual, expected, message, operator: 'strictEqual', stackStartFn: strictEqual })
  }
  function notStrictEqual(actual: unknown, expected: unknown, message?: unknown): void {
    if (arguments.length < 2) throw missingArgs()
    if (Object.is(actual, expected)) innerFail({ actual, expected, message, operator: 'notStrictEqual', stackStartFn: notStrictEqual })
  }

  /** The keys of an error or validation object that are compared, for the diff in the message. */
  function comparison(obj: Record<string, unknown>, keys: string[], actual?: Record<string, unknown>): object {
    const result: Record<string, unknown> = {}
    for (const key of keys) {
      if (!(key in obj)) continue
      const value = obj[key]
      if (actual !== undefined && typeof actual[key] === 'string' && types().isRegExp(value) && (value as RegExp).exec(actual[key] as string) !== null) {
        result[key] = actual[key]
      } else {
        result[key] = value
      }
    }
    // Node shows these as instances of a class named Comparison.
    return Object.setPrototypeOf(result, Comparison.prototype) as object
  }

  function compareExceptionKey(actual: Record<string, unknown>, expected: Record<string, unknown>, key: string, message: unknown, keys: string[], fn: Function): void {
    if (key in actual && comparisons().isDeepStrictEqual(actual[key], expected[key])) return
    if (!message) {
      const error = new AssertionError({ actual: comparison(actual, keys), expected: comparison(expected, keys, actual), operator: 'deepStrictEqual', stackStartFn: fn })
      error.actual = actual
      error.expected = expected
      error.operator = fn.name
      throw error
    }
    innerFail({ actual, expected, message, operator: fn.name, stackStartFn: fn })
  }

  function expectedException(actual: unknown, expected: unknown, message: unknown, fn: Function): void {
    let generatedMessage = false
    let text = message
    if (typeof expected !== 'function') {
      if (types().isRegExp(expected)) {
        const str = String(actual)
        if ((expected as RegExp).exec(str) !== null) return
        if (!text) {
          generatedMessage = true
          text = `The input did not match the regular expression ${inspect(expected)}. Input:\n\n${inspect(str)}\n`
        }
      } else if (typeof actual !== 'object' || actual === null) {
        const error = new AssertionError({ actual, expected, message: text, operator: 'deepStrictEqual', stackStartFn: fn })
        error.operator = fn.name
        throw error
      } else {
        // A validation object (or an error): each of its keys must match.
        const keys = Object.keys(expected as object)
        if (expected instanceof Error) keys.push('name', 'message')
        else if (keys.length === 0) throw invalidArgValue('error', expected, 'may not be an empty object', inspect(expected))
        for (const key of keys) {
          const actualValue = (actual as Record<string, unknown>)[key]
          const expectedValue = (expected as Record<string, unknown>)[key]
          if (typeof actualValue === 'string' && types().isRegExp(expectedValue) && (expectedValue as RegExp).exec(actualValue) !== null) continue
          compareExceptionKey(actual as Record<string, unknown>, expected as Record<string, unknown>, key, text, keys, fn)
        }
        return
      }
    } else if ((expected as { prototype?: unknown }).prototype !== undefined && actual instanceof (expected as new () => unknown)) {
      return
    } else if (Object.prototype.isPrototypeOf.call(Error, expected)) {
      if (!text) {
        generatedMessage = true
        const expectedName = (expected as Function).name
        text = `The error is expected to be an instance of "${expectedName}". Received `
        if (isError(actual)) {
          const name = (actual.constructor && actual.constructor.name) || actual.name
          text += expectedName === name ? 'an error with identical name but a different prototype.' : `"${name}"`
          if (actual.message) text += `\n\nError message:\n\n${actual.message}`
        } else {
          text += `"${inspect(actual, { depth: -1 })}"`
        }
      }
    } else {
      // A validation function must return true.
      const result = Reflect.apply(expected as AnyFunction, {}, [actual])
      if (result === true) return
      if (!text) {
        generatedMessage = true
        const name = (expected as Function).name ? `"${(expected as Function).name}" ` : ''
        text = `The ${name}validation function is expected to return "true". Received ${inspect(result)}`
        if (isError(actual)) text += `\n\nCaught error:\n\n${String(actual)}`
      }
    }
    const error = new AssertionError({ actual, expected, message: text, operator: fn.name, stackStartFn: fn })
    error.generatedMessage = generatedMessage
    throw error
  }

  function getActual(fn: unknown): unknown {
    validateFunction(fn, 'fn')
    try {
      ;(fn as AnyFunction)()
    } catch (error) {
      return error
    }
    return NO_EXCEPTION
  }

  const isPromiseLike = (value: unknown): boolean =>
    types().isPromise(value) ||
    (value !== null && typeof value === 'object' && typeof (value as Promise<unknown>).then === 'function' && typeof (value as Promise<unknown>).catch === 'function')

  async function waitForActual(promiseFn: unknown): Promise<unknown> {
    let resultPromise: unknown
    if (typeof promiseFn === 'function') {
      resultPromise = (promiseFn as AnyFunction)()
      if (!isPromiseLike(resultPromise)) {
        throw nodeError(TypeError, 'ERR_INVALID_RETURN_VALUE', `Expected instance of Promise to be returned from the "promiseFn" function but got ${describeReceived(resultPromise)}.`)
      }
    } else if (isPromiseLike(promiseFn)) {
      resultPromise = promiseFn
    } else {
      throw invalidArgType('promiseFn', ['Function', 'Promise'], promiseFn)
    }
    try {
      await resultPromise
    } catch (error) {
      return error
    }
    return NO_EXCEPTION
  }

  function expectsError(stackStartFn: Function, actual: unknown, ...args: unknown[]): void {
    let [error, message] = args
    if (typeof error === 'string') {
      if (args.length === 2) throw invalidArgType('error', ['Object', 'Error', 'Function', 'RegExp'], error)
      if (typeof actual === 'object' && actual !== null) {
        if ((actual as Error).message === error) {
          throw nodeError(TypeError, 'ERR_AMBIGUOUS_ARGUMENT', `The "error/message" argument is ambiguous. The error message "${(actual as Error).message}" is identical to the message.`)
        }
      } else if (actual === error) {
        throw nodeError(TypeError, 'ERR_AMBIGUOUS_ARGUMENT', `The "error/message" argument is ambiguous. The error "${String(actual)}" is identical to the message.`)
      }
      message = error
      error = undefined
    } else if (error != null && typeof error !== 'object' && typeof error !== 'function') {
      throw invalidArgType('error', ['Object', 'Error', 'Function', 'RegExp'], error)
    }
    if (actual === NO_EXCEPTION) {
      let details = ''
      if (error && (error as { name?: string }).name) details += ` (${(error as { name?: string }).name})`
      details += message ? `: ${message as string}` : '.'
      const fnType = stackStartFn === rejects ? 'rejection' : 'exception'
      innerFail({ actual: undefined, expected: error, operator: stackStartFn.name, message: `Missing expected ${fnType}${details}`, stackStartFn })
    }
    if (!error) return
    expectedException(actual, error, message, stackStartFn)
  }

  function hasMatchingError(actual: unknown, expected: unknown): boolean {
    if (typeof expected !== 'function') {
      if (types().isRegExp(expected)) return (expected as RegExp).exec(String(actual)) !== null
      throw invalidArgType('expected', ['Function', 'RegExp'], expected)
    }
    if ((expected as { prototype?: unknown }).prototype !== undefined && actual instanceof (expected as new () => unknown)) return true
    if (Object.prototype.isPrototypeOf.call(Error, expected)) return false
    return Reflect.apply(expected as AnyFunction, {}, [actual]) === true
  }

  function expectsNoError(stackStartFn: Function, actual: unknown, errorArg?: unknown, messageArg?: unknown): void {
    if (actual === NO_EXCEPTION) return
    let error = errorArg
    let message = messageArg
    if (typeof error === 'string') {
      message = error
      error = undefined
    }
    if (!error || hasMatchingError(actual, error)) {
      const details = message ? `: ${message as string}` : '.'
      const fnType = stackStartFn === doesNotReject ? 'rejection' : 'exception'
      innerFail({
        actual,
        expected: error,
        operator: stackStartFn.name,
        message: `Got unwanted ${fnType}${details}\nActual message: "${(actual as Error | undefined) && (actual as Error).message}"`,
        stackStartFn,
      })
    }
    throw actual
  }

  function throws(promiseFn: unknown, ...args: unknown[]): void {
    expectsError(throws, getActual(promiseFn), ...args)
  }
  async function rejects(promiseFn: unknown, ...args: unknown[]): Promise<void> {
    expectsError(rejects, await waitForActual(promiseFn), ...args)
  }
  function doesNotThrow(fn: unknown, ...args: unknown[]): void {
    expectsNoError(doesNotThrow, getActual(fn), ...args)
  }
  async function doesNotReject(fn: unknown, ...args: unknown[]): Promise<void> {
    expectsNoError(doesNotReject, await waitForActual(fn), ...args)
  }

  function ifError(err: unknown): void {
    if (err === null || err === undefined) return
    let message = 'ifError got unwanted exception: '
    if (typeof err === 'object' && typeof (err as Error).message === 'string') {
      const error = err as Error
      message += error.message.length === 0 && error.constructor ? error.constructor.name : error.message
    } else {
      message += inspect(err)
    }
    throw new AssertionError({ actual: err, expected: null, operator: 'ifError', message, stackStartFn: ifError })
  }

  function internalMatch(string: unknown, regexp: unknown, message: unknown, fn: Function): void {
    if (!types().isRegExp(regexp)) throw invalidArgType('regexp', 'RegExp', regexp)
    const shouldMatch = fn === match
    if (typeof string === 'string' && ((regexp as RegExp).exec(string) !== null) === shouldMatch) return
    if (message instanceof Error) throw message
    const generatedMessage = !message
    const text =
      message ||
      (typeof string !== 'string'
        ? `The "string" argument must be of type string. Received type ${typeof string} (${inspect(string)})`
        : `${shouldMatch ? 'The input did not match the regular expression ' : 'The input was expected to not match the regular expression '}${inspect(regexp)}. Input:\n\n${inspect(string)}\n`)
    const error = new AssertionError({ actual: string, expected: regexp, message: text, operator: fn.name, stackStartFn: fn })
    error.generatedMessage = generatedMessage
    throw error
  }
  function match(string: unknown, regexp: unknown, message?: unknown): void {
    internalMatch(string, regexp, message, match)
  }
  function doesNotMatch(string: unknown, regexp: unknown, message?: unknown): void {
    internalMatch(string, regexp, message, doesNotMatch)
  }

  // Key order as in Node 20 (Object.keys(require('assert'))), without the deprecated CallTracker.
  Object.assign(assert, {
    fail,
    AssertionError,
    ok,
    equal,
    notEqual,
    deepEqual,
    notDeepEqual,
    deepStrictEqual,
    notDeepStrictEqual,
    strictEqual,
    notStrictEqual,
    throws,
    rejects,
    doesNotThrow,
    doesNotReject,
    ifError,
    match,
    doesNotMatch,
  })

  function strict(...args: unknown[]): void {
    innerOk(strict, args.length, args[0], args[1])
  }
  assert.strict = Object.assign(strict, assert, {
    equal: strictEqual,
    deepEqual: deepStrictEqual,
    notEqual: notStrictEqual,
    notDeepEqual: notDeepStrictEqual,
  })
  ;(assert.strict as Record<string, unknown>).strict = assert.strict
  return assert
}

/** The class Node's messages name for the compared subsets of an error's keys. */
class Comparison {}
