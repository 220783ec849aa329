/**
 * `util.promisify` and `util.callbackify`, with Node's semantics: a function's own
 * `[util.promisify.custom]` wins, the promisified function keeps the original's prototype and
 * own properties (name, length …), and callbackify's callback runs on the next tick, a falsy
 * rejection becoming an `ERR_FALSY_VALUE_REJECTION` error.
 */
import { validateFunction } from './errors.js'
import { nextTick } from './guest-globals.js'

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown

export const kCustomPromisified = Symbol.for('nodejs.util.promisify.custom')

/** Copies the own properties of `from` onto `to` (Node: name, length and any others). */
function copyOwnProperties(to: Function, from: Function, adjust?: (descriptors: Record<PropertyKey, PropertyDescriptor>) => void): void {
  const descriptors = Object.getOwnPropertyDescriptors(from) as Record<PropertyKey, PropertyDescriptor>
  adjust?.(descriptors)
  // A function's own `prototype` cannot be redefined when it is not configurable and not writable.
  const own = Object.getOwnPropertyDescriptor(to, 'prototype')
  if (own !== undefined && !own.configurable && !own.writable) delete descriptors.prototype
  Object.defineProperties(to, descriptors)
}

function defineCustom(fn: Function): void {
  Object.defineProperty(fn, kCustomPromisified, { value: fn, enumerable: false, writable: false, configurable: true })
}

export function promisify(original: unknown): Function {
  validateFunction(original, 'original')
  const custom = (original as unknown as Record<symbol, unknown>)[kCustomPromisified]
  if (custom) {
    validateFunction(custom, 'util.promisify.custom')
    defineCustom(custom)
    return custom
  }
  function fn(this: unknown, ...args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      args.push((err: unknown, ...values: unknown[]) => {
        if (err) reject(err)
        else resolve(values[0])
      })
      Reflect.apply(original as AnyFunction, this, args)
    })
  }
  Object.setPrototypeOf(fn, Object.getPrototypeOf(original))
  defineCustom(fn)
  copyOwnProperties(fn, original)
  return fn
}
promisify.custom = kCustomPromisified

export function callbackify(original: unknown): Function {
  validateFunction(original, 'original')
  function callbackified(this: unknown, ...args: unknown[]): void {
    const maybeCallback = args.pop()
    validateFunction(maybeCallback, 'last argument')
    const callback = (maybeCallback as AnyFunction).bind(this)
    ;(Reflect.apply(original as AnyFunction, this, args) as Promise<unknown>).then(
      (value) => nextTick(() => callback(null, value)),
      (reason) => {
        let error = reason
        if (!error) {
          error = Object.assign(new Error('Promise was rejected with falsy value'), { code: 'ERR_FALSY_VALUE_REJECTION', reason })
        }
        nextTick(() => callback(error))
      },
    )
  }
  copyOwnProperties(callbackified, original, (descriptors) => {
    const length = descriptors.length
    if (length !== undefined && typeof length.value === 'number') length.value++
    const name = descriptors.name
    if (name !== undefined && typeof name.value === 'string') name.value += 'Callbackified'
  })
  return callbackified
}

/** The `[util.promisify.custom]` of the global setTimeout / setImmediate (Node's timers/promises forms). */
export function installTimerPromisifiers(global: Record<string, unknown>): void {
  const define = (name: string, promised: Function): void => {
    const timer = global[name]
    if (typeof timer !== 'function' || Object.prototype.hasOwnProperty.call(timer, kCustomPromisified)) return
    Object.defineProperty(timer, kCustomPromisified, { value: promised, enumerable: false, writable: true, configurable: true })
  }
  const schedule = (name: string, args: unknown[]): void => {
    ;(global[name] as (...args: unknown[]) => unknown)(...args)
  }
  define('setTimeout', function setTimeout(delay?: number, value?: unknown): Promise<unknown> {
    return new Promise((resolve) => schedule('setTimeout', [resolve, delay, value]))
  })
  define('setImmediate', function setImmediate(value?: unknown): Promise<unknown> {
    return new Promise((resolve) => schedule('setImmediate', [resolve, value]))
  })
}

