/**
 * node:events: the `events` package (Node's EventEmitter for browsers, v3.3.0) keeps the listener
 * bookkeeping; on top of it the parts of Node 20 it lacks: the `captureRejections` option,
 * `errorMonitor`, ERR_UNHANDLED_ERROR, Node's MaxListenersExceededWarning (through
 * process.emitWarning), and the statics `on`, `once` with an AbortSignal, `getEventListeners`,
 * `getMaxListeners`, `setMaxListeners`, `addAbortListener`.
 */
import './symbol-dispose.js'
import Package from 'events/'
import { AbortError, invalidArgType, nodeError, validateAbortSignal, validateFunction, validateObject, type SignalLike } from './errors.js'

type Listener = (...args: unknown[]) => unknown
type Emitter = Record<string | symbol, unknown> & {
  _events?: Record<string | symbol, Listener | Listener[] & { warned?: boolean }>
  _maxListeners?: number
  on(type: string | symbol, listener: Listener): unknown
  once(type: string | symbol, listener: Listener): unknown
  removeListener(type: string | symbol, listener: Listener): unknown
  emit(type: string | symbol, ...args: unknown[]): boolean
  listeners(type: string | symbol): Listener[]
  getMaxListeners(): number
  setMaxListeners(n: number): unknown
}
interface EventTargetLike {
  addEventListener(type: string, listener: (event: unknown) => void, options?: unknown): void
  removeEventListener(type: string, listener: (event: unknown) => void, options?: unknown): void
}

const kCapture = Symbol('kCapture')
const kShapeMode = Symbol('shapeMode')
const kRejection = Symbol.for('nodejs.rejection')
const errorMonitor = Symbol('events.errorMonitor')
const proto = Package.prototype as unknown as Emitter

/** Node's constructor: a plain function (old-style `EventEmitter.call(this)` subclasses work). */
function EventEmitter(this: Emitter, options?: { captureRejections?: unknown }): void {
  EventEmitter.init.call(this, options)
}
EventEmitter.prototype = proto
Object.defineProperty(proto, 'constructor', { value: EventEmitter, writable: true, configurable: true })
proto[kCapture] = false

EventEmitter.init = function init(this: Emitter, options?: { captureRejections?: unknown }): void {
  if (this._events === undefined || this._events === (Object.getPrototypeOf(this) as Emitter)._events) {
    this._events = Object.create(null) as Emitter['_events']
    ;(this as { _eventsCount?: number })._eventsCount = 0
  }
  this._maxListeners = this._maxListeners || undefined
  this[kShapeMode] = false
  if (options?.captureRejections !== undefined) {
    if (typeof options.captureRejections !== 'boolean') throw invalidArgType('options.captureRejections', 'of type boolean', options.captureRejections)
    this[kCapture] = options.captureRejections
  } else {
    this[kCapture] = proto[kCapture]
  }
}

proto.emit = function emit(this: Emitter, type: string | symbol, ...args: unknown[]): boolean {
  const events = this._events
  let doError = type === 'error'
  if (events !== undefined) {
    if (doError && events[errorMonitor] !== undefined) this.emit(errorMonitor, ...args)
    doError = doError && events.error === undefined
  } else if (!doError) {
    return false
  }
  if (doError) {
    const error = args[0]
    if (error instanceof Error) throw error // Unhandled 'error' event
    const unhandled = nodeError(Error, 'ERR_UNHANDLED_ERROR', `Unhandled error. (${describe(error)})`)
    ;(unhandled as { context?: unknown }).context = error
    throw unhandled // Unhandled 'error' event
  }
  const handler = events?.[type]
  if (handler === undefined) return false
  const listeners = typeof handler === 'function' ? [handler] : handler.slice()
  for (const listener of listeners) {
    const result = listener.apply(this, args)
    if (result !== undefined && result !== null && this[kCapture] === true) captureRejection(this, result, type, args)
  }
  return true
} as Emitter['emit']

/** captureRejections: a listener's rejected promise becomes an 'error' event (or the kRejection method). */
function captureRejection(emitter: Emitter, result: unknown, type: string | symbol, args: unknown[]): void {
  const then = (result as { then?: unknown }).then
  if (typeof then !== 'function') return
  then.call(result, undefined, (error: unknown) => {
    ;(globalThis as unknown as { process: { nextTick(f: () => void): void } }).process.nextTick(() => {
      const handler = emitter[kRejection]
      if (typeof handler === 'function') return void handler.call(emitter, error, type, ...args)
      const previous = emitter[kCapture]
      try {
        emitter[kCapture] = false // an 'error' listener that rejects must not loop
        emitter.emit('error', error)
      } finally {
        emitter[kCapture] = previous
      }
    })
  })
}

/** util.inspect for ERR_UNHANDLED_ERROR's message; the chunk plugs in the guest's (see useInspect). */
let describe: (value: unknown) => string = String

export function useInspect(inspect: (value: unknown) => string): void {
  describe = (value) => {
    try {
      return inspect(value)
    } catch {
      return String(value)
    }
  }
}

/** Node's validateNumber(value, name, 0), with its quirky messages ("The value of "setMaxListeners" …"). */
function validateCount(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value)
  if (!(value >= 0)) throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be >= 0. Received ${String(value)}`)
}

// Node's checks and messages (ERR_INVALID_ARG_TYPE …) before the package's own.
for (const method of ['once', 'prependOnceListener', 'removeListener', 'off'] as const) {
  const original = proto[method] as (this: Emitter, type: string | symbol, listener: Listener) => Emitter
  proto[method] = Object.defineProperty(
    function (this: Emitter, type: string | symbol, listener: Listener): Emitter {
      validateFunction(listener, 'listener')
      return original.call(this, type, listener)
    },
    'name',
    { value: method },
  )
}
const packageSetMaxListeners = proto.setMaxListeners as (this: Emitter, n: number) => Emitter
proto.setMaxListeners = function setMaxListeners(this: Emitter, n: unknown): Emitter {
  validateCount(n, 'setMaxListeners')
  return packageSetMaxListeners.call(this, n)
}

// Node's leak warning, through process.emitWarning, instead of the package's console.warn.
for (const method of ['addListener', 'on', 'prependListener'] as const) {
  const add = proto[method] as (this: Emitter, type: string | symbol, listener: Listener) => Emitter
  const wrapped = function (this: Emitter, type: string | symbol, listener: Listener): Emitter {
    validateFunction(listener, 'listener')
    const existing = this._events?.[type]
    const max = this.getMaxListeners()
    const count = existing === undefined ? 1 : typeof existing === 'function' ? 2 : existing.length + 1
    const warn = max > 0 && count > max && Array.isArray(existing) && existing.warned !== true
    if (warn) existing.warned = true
    const result = add.call(this, type, listener)
    if (warn) {
      const name = (this.constructor as { name?: string } | undefined)?.name ?? 'EventEmitter'
      const warning = Object.assign(
        new Error(`Possible EventEmitter memory leak detected. ${count} ${String(type)} listeners added to [${name}]. MaxListeners is ${max}. Use emitter.setMaxListeners() to increase limit`),
        { name: 'MaxListenersExceededWarning', emitter: this, type, count },
      )
      ;(globalThis as unknown as { process: { emitWarning(w: Error): void } }).process.emitWarning(warning)
    }
    return result
  }
  Object.defineProperty(wrapped, 'name', { value: method })
  proto[method] = wrapped
}

/** Resolves with the arguments of the next `name` event; rejects on 'error' or when `signal` aborts. */
async function once(emitter: unknown, name: string | symbol, options: { signal?: unknown } = {}): Promise<unknown[]> {
  validateObject(options, 'options')
  const signal = options.signal
  validateAbortSignal(signal, 'options.signal')
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason })
  return new Promise((resolve, reject) => {
    const abort = () => {
      removeAll()
      reject(new AbortError(undefined, { cause: signal?.reason }))
    }
    let removeAll = () => signal?.removeEventListener('abort', abort)
    if (isEmitter(emitter)) {
      const onError = (error: unknown) => {
        removeAll()
        reject(error)
      }
      const onEvent = (...args: unknown[]) => {
        removeAll()
        resolve(args)
      }
      removeAll = () => {
        emitter.removeListener(name, onEvent)
        if (name !== 'error') emitter.removeListener('error', onError)
        signal?.removeEventListener('abort', abort)
      }
      emitter.once(name, onEvent)
      if (name !== 'error') emitter.once('error', onError)
    } else if (isEventTarget(emitter)) {
      const onEvent = (event: unknown) => {
        removeAll()
        resolve([event])
      }
      removeAll = () => {
        emitter.removeEventListener(String(name), onEvent)
        signal?.removeEventListener('abort', abort)
      }
      emitter.addEventListener(String(name), onEvent, { once: true })
    } else {
      throw invalidArgType('emitter', 'an instance of EventEmitter or EventTarget', emitter)
    }
    signal?.addEventListener('abort', abort, { once: true })
  })
}

/** An async iterator over `event`'s arguments; 'error' ends it with the error, `signal` with an AbortError. */
function on(emitter: unknown, event: string | symbol, options: { signal?: unknown; close?: readonly string[] } = {}): AsyncIterableIterator<unknown[]> {
  validateObject(options, 'options')
  const signal = options.signal
  validateAbortSignal(signal, 'options.signal')
  if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason })
  const queued: unknown[][] = []
  const waiting: Array<{ resolve: (result: IteratorResult<unknown[]>) => void; reject: (error: unknown) => void }> = []
  let failure: unknown
  let finished = false
  const listen = (type: string | symbol, listener: Listener) => {
    if (isEmitter(emitter)) emitter.on(type, listener)
    else if (isEventTarget(emitter)) emitter.addEventListener(String(type), listener)
    else throw invalidArgType('emitter', 'an instance of EventEmitter or EventTarget', emitter)
  }
  const unlisten = (type: string | symbol, listener: Listener) => {
    if (isEmitter(emitter)) emitter.removeListener(type, listener)
    else (emitter as EventTargetLike).removeEventListener(String(type), listener)
  }
  const onEvent = (...args: unknown[]) => {
    const next = waiting.shift()
    if (next !== undefined) next.resolve({ value: args, done: false })
    else queued.push(args)
  }
  const onError = (error: unknown) => {
    const next = waiting.shift()
    if (next !== undefined) next.reject(error)
    else failure = error
    void iterator.return()
  }
  const onClose = () => void iterator.return()
  const abort = () => onError(new AbortError(undefined, { cause: signal?.reason }))
  const iterator: AsyncIterableIterator<unknown[]> & { return(): Promise<IteratorResult<unknown[]>> } = {
    next() {
      const args = queued.shift()
      if (args !== undefined) return Promise.resolve({ value: args, done: false })
      if (failure !== undefined) {
        const error = failure
        failure = undefined
        return Promise.reject(error)
      }
      if (finished) return Promise.resolve({ value: undefined, done: true })
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }))
    },
    return() {
      if (!finished) {
        finished = true
        unlisten(event, onEvent)
        if (event !== 'error' && isEmitter(emitter)) unlisten('error', onError)
        for (const type of options.close ?? []) unlisten(type, onClose)
        signal?.removeEventListener('abort', abort)
        for (const next of waiting.splice(0)) next.resolve({ value: undefined, done: true })
      }
      return Promise.resolve({ value: undefined, done: true })
    },
    throw(error: unknown) {
      if (!(error instanceof Error)) return Promise.reject(invalidArgType('EventEmitter.AsyncIterator', 'an instance of Error', error))
      onError(error)
      return Promise.reject(error)
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
  listen(event, onEvent)
  if (event !== 'error' && isEmitter(emitter)) listen('error', onError)
  for (const type of options.close ?? []) listen(type, onClose)
  signal?.addEventListener('abort', abort, { once: true })
  return iterator
}

function isEmitter(value: unknown): value is Emitter {
  return typeof (value as Emitter | null)?.on === 'function' && typeof (value as Emitter).removeListener === 'function'
}

function isEventTarget(value: unknown): value is EventTargetLike {
  return typeof (value as EventTargetLike | null)?.addEventListener === 'function'
}

/** The listeners of an EventEmitter (an EventTarget keeps its own private: none are reported). */
function getEventListeners(emitterOrTarget: unknown, type: string | symbol): Listener[] {
  if (isEmitter(emitterOrTarget)) return emitterOrTarget.listeners(type)
  if (isEventTarget(emitterOrTarget)) return []
  throw invalidArgType('emitter', 'an instance of EventEmitter or EventTarget', emitterOrTarget)
}

function getMaxListeners(emitterOrTarget: unknown): number {
  if (isEmitter(emitterOrTarget)) return emitterOrTarget.getMaxListeners()
  if (isEventTarget(emitterOrTarget)) return ((emitterOrTarget as unknown as Record<symbol, number | undefined>)[kMaxEventTargetListeners] ?? Package.defaultMaxListeners)
  throw invalidArgType('emitter', 'an instance of EventEmitter or EventTarget', emitterOrTarget)
}

const kMaxEventTargetListeners = Symbol('events.maxEventTargetListeners')

function setMaxListeners(n: unknown = Package.defaultMaxListeners, ...targets: unknown[]): void {
  validateCount(n, 'setMaxListeners')
  if (targets.length === 0) Package.defaultMaxListeners = n
  for (const target of targets) {
    if (isEmitter(target)) target.setMaxListeners(n)
    else if (isEventTarget(target)) (target as unknown as Record<symbol, number>)[kMaxEventTargetListeners] = n
    else throw invalidArgType('eventTargets', 'an instance of EventEmitter or EventTarget', target)
  }
}

/** Runs `listener` once `signal` aborts (at once if it has); returns a Disposable that stops listening. */
function addAbortListener(signal: unknown, listener: unknown): object {
  if (signal === undefined) throw invalidArgType('signal', 'an instance of AbortSignal', signal)
  validateAbortSignal(signal, 'signal')
  validateFunction(listener, 'listener')
  const run = () => (listener as () => void)()
  if (signal.aborted) queueMicrotask(run)
  else signal.addEventListener('abort', run, { once: true })
  const dispose = () => (signal as SignalLike).removeEventListener('abort', run)
  return { [(Symbol as unknown as { dispose: symbol }).dispose]: dispose }
}

declare function queueMicrotask(callback: () => void): void

// The module: EventEmitter itself with Node 20's statics, in Node's order.
const statics: Record<string, unknown> = {
  addAbortListener,
  once,
  on,
  getEventListeners,
  getMaxListeners,
  EventEmitter,
  usingDomains: false,
  captureRejectionSymbol: kRejection,
}
Object.assign(EventEmitter, statics)
Object.defineProperty(EventEmitter, 'captureRejections', {
  enumerable: true,
  get: () => proto[kCapture],
  set(value: unknown) {
    if (typeof value !== 'boolean') throw invalidArgType('EventEmitter.captureRejections', 'of type boolean', value)
    proto[kCapture] = value
  },
})
Object.assign(EventEmitter, { errorMonitor })
Object.defineProperty(EventEmitter, 'defaultMaxListeners', {
  enumerable: true,
  get: () => Package.defaultMaxListeners,
  set(value: unknown) {
    validateCount(value, 'defaultMaxListeners')
    Package.defaultMaxListeners = value
  },
})
Object.assign(EventEmitter, { setMaxListeners, listenerCount: Package.listenerCount })

export default EventEmitter
