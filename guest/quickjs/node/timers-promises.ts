/**
 * node:timers/promises over the guest's timers (guest/quickjs/timers.ts): promise forms of
 * setTimeout and setImmediate, setInterval as an async iterator, and `scheduler.wait` /
 * `scheduler.yield`, each cancellable with an AbortSignal as in Node 20. `ref: false` is
 * accepted; timers keep an environment's event loop alive either way.
 */
import { AbortError, invalidArgType, validateAbortSignal, validateObject, type SignalLike } from './errors.js'

type Handle = unknown
interface Timers {
  setTimeout(callback: () => void, delay?: number): Handle
  clearTimeout(handle: Handle): void
  setInterval(callback: () => void, delay?: number): Handle
  clearInterval(handle: Handle): void
  setImmediate(callback: () => void): Handle
  clearImmediate(handle: Handle): void
}
const timers = globalThis as unknown as Timers

interface Options {
  signal?: SignalLike
  ref?: unknown
}

function validateOptions(options: unknown): Options {
  validateObject(options, 'options')
  validateAbortSignal(options.signal, 'options.signal')
  if (options.ref !== undefined && typeof options.ref !== 'boolean') throw invalidArgType('options.ref', 'of type boolean', options.ref)
  return options as Options
}

const aborted = (signal: SignalLike | undefined) => new AbortError(undefined, { cause: signal?.reason })

/** A promise settled by a timer, rejected with an AbortError when `signal` aborts first. */
function timerPromise<T>(options: unknown, start: (done: () => void) => Handle, clear: (handle: Handle) => void, value: T): Promise<T> {
  let signal: SignalLike | undefined
  try {
    signal = validateOptions(options).signal
  } catch (error) {
    return Promise.reject(error)
  }
  if (signal?.aborted) return Promise.reject(aborted(signal))
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clear(handle)
      reject(aborted(signal))
    }
    const handle = start(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve(value)
    })
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

export function setTimeout<T = void>(delay?: number, value?: T, options: unknown = {}): Promise<T> {
  return timerPromise(options, (done) => timers.setTimeout(done, delay), (handle) => timers.clearTimeout(handle), value as T)
}

export function setImmediate<T = void>(value?: T, options: unknown = {}): Promise<T> {
  return timerPromise(options, (done) => timers.setImmediate(done), (handle) => timers.clearImmediate(handle), value as T)
}

/** Yields `value` once per `delay`; ticks that came while the consumer was busy are all yielded. */
export async function* setInterval<T = void>(delay?: number, value?: T, options: unknown = {}): AsyncGenerator<T> {
  const { signal } = validateOptions(options)
  if (signal?.aborted) throw aborted(signal)
  let notYielded = 0
  let wake: (() => void) | undefined
  const interval = timers.setInterval(() => {
    notYielded++
    wake?.()
    wake = undefined
  }, delay)
  const onAbort = () => {
    timers.clearInterval(interval)
    wake?.()
    wake = undefined
  }
  signal?.addEventListener('abort', onAbort, { once: true })
  const isAborted = () => signal?.aborted === true
  try {
    while (!isAborted()) {
      if (notYielded === 0) await new Promise<void>((resolve) => (wake = () => resolve()))
      for (; notYielded > 0 && !isAborted(); notYielded--) yield value as T
    }
    throw aborted(signal)
  } finally {
    timers.clearInterval(interval)
    signal?.removeEventListener('abort', onAbort)
  }
}

/** Node's experimental scheduler (the Prioritized Task Scheduling API's wait and yield). */
export class Scheduler {
  wait(delay: number, options?: unknown): Promise<void> {
    return setTimeout(delay, undefined, options ?? {})
  }

  yield(): Promise<void> {
    return setImmediate()
  }
}

export const scheduler = new Scheduler()
