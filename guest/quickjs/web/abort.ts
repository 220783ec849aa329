/**
 * `AbortController` and `AbortSignal` (DOM Standard) as Node 20 has them: `AbortSignal.abort(reason)`,
 * `AbortSignal.timeout(ms)` (on the guest's timers; the reason is a DOMException 'TimeoutError'),
 * `AbortSignal.any(signals)`, `throwIfAborted()`, `reason`, `onabort`, a trusted 'abort' event,
 * Node's argument errors. The default reason is a DOMException 'AbortError'.
 *
 * `any()` follows the spec's dependent signals: a source holds its dependents weakly, so a
 * long-lived signal combined into one `any()` per request does not keep them all; a dependent
 * with 'abort' listeners is kept alive until it aborts (Node's rule), so its listeners still run.
 */
import { loadChunk } from './chunk-loader.js'
import { illegalConstructor, invalidArgType, invalidThis, nodeError } from './errors.js'
import { dispatchState, Event } from './event.js'
import { defineEventHandler, EventTarget, listenerCount, LISTENERS_CHANGED } from './event-target.js'
import { brand, inspectNested } from './inspect.js'

type DOMExceptionClass = new (message: string, name: string) => Error
const domException = (message: string, name: string): Error =>
  new (loadChunk<{ DOMException: DOMExceptionClass }>('dom-exception').DOMException)(message, name)

type Timers = { setTimeout(callback: () => void, ms: number): { unref?(): unknown } | number }
/** The guest's timers as they were when the chunk loaded (a handler's fake timers do not fire timeouts). */
const timers = { setTimeout: (globalThis as unknown as Timers).setTimeout }

const CONSTRUCT = Symbol('construct')
/** Signals made by any() that have 'abort' listeners: alive until they abort. */
const persistent = new Set<AbortSignal>()

interface Ref<T> {
  deref(): T | undefined
}
const weakRef = <T extends object>(value: T): Ref<T> =>
  typeof WeakRef === 'function' ? new WeakRef(value) : { deref: () => value }

/** Aborts `signal` with `reason` (and its dependents), then fires 'abort' on each: the spec's "signal abort". */
export let abortSignal: (signal: AbortSignal, reason: unknown) => void
export let isAbortSignal: (value: unknown) => value is AbortSignal
let createSignal: () => AbortSignal

export class AbortSignal extends EventTarget {
  #aborted = false
  #reason: unknown = undefined
  /** Signals made by any() from this one. */
  #dependents: Set<Ref<AbortSignal>> | undefined
  /** For a signal made by any(): the (non-dependent) signals it follows. */
  #sources: AbortSignal[] | undefined

  static {
    isAbortSignal = (value): value is AbortSignal => typeof value === 'object' && value !== null && #aborted in value
    createSignal = () => new AbortSignal(CONSTRUCT)
    const fire = (signal: AbortSignal) => {
      persistent.delete(signal)
      const event = new Event('abort')
      dispatchState.trust(event)
      signal.dispatchEvent(event)
    }
    abortSignal = (signal, reason) => {
      if (signal.#aborted) return
      signal.#aborted = true
      signal.#reason = reason
      const dependents: AbortSignal[] = []
      for (const ref of signal.#dependents ?? []) {
        const dependent = ref.deref()
        if (dependent === undefined || dependent.#aborted) continue
        dependent.#aborted = true
        dependent.#reason = reason
        dependents.push(dependent)
      }
      signal.#dependents = undefined
      fire(signal)
      for (const dependent of dependents) fire(dependent)
    }
  }

  constructor(key?: symbol) {
    if (key !== CONSTRUCT) throw illegalConstructor()
    super()
  }

  get aborted(): boolean {
    if (!isAbortSignal(this)) throw invalidThis('AbortSignal')
    return this.#aborted
  }

  get reason(): unknown {
    if (!isAbortSignal(this)) throw invalidThis('AbortSignal')
    return this.#reason
  }

  throwIfAborted(): void {
    if (!isAbortSignal(this)) throw invalidThis('AbortSignal')
    if (this.#aborted) throw this.#reason
  }

  [LISTENERS_CHANGED](type: string): void {
    if (type !== 'abort' || this.#sources === undefined) return
    if (!this.#aborted && listenerCount(this, 'abort') > 0) persistent.add(this)
    else persistent.delete(this)
  }

  static abort(reason?: unknown): AbortSignal {
    const signal = createSignal()
    signal.#aborted = true
    signal.#reason = reason === undefined ? domException('This operation was aborted', 'AbortError') : reason
    return signal
  }

  static timeout(delay: number): AbortSignal {
    if (typeof delay !== 'number') throw invalidArgType('delay', 'of type number', delay)
    if (!Number.isInteger(delay) || delay < 0 || delay > 4_294_967_295) {
      const received = Number.isInteger(delay) && Math.abs(delay) > 2 ** 32 ? withSeparators(delay) : String(delay)
      const range = Number.isInteger(delay) ? '>= 0 && <= 4294967295' : 'an integer'
      throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "delay" is out of range. It must be ${range}. Received ${received}`)
    }
    const signal = createSignal()
    const timer = timers.setTimeout(() => abortSignal(signal, domException('The operation was aborted due to timeout', 'TimeoutError')), delay)
    // Node's timeout does not keep the event loop alive (the guest's timers may not honour it yet).
    if (typeof timer === 'object') timer.unref?.()
    return signal
  }

  static any(signals: AbortSignal[]): AbortSignal {
    if (!Array.isArray(signals)) throw invalidArgType('signals', 'an instance of Array', signals)
    // Node checks the signals by their shape, as EventTarget does.
    signals.forEach((signal, index) => {
      if (signal === null || typeof signal !== 'object' || !('aborted' in signal)) {
        throw invalidArgType(`signals[${index}]`, 'an instance of AbortSignal', signal)
      }
    })
    const result = createSignal()
    const aborted = signals.find((signal) => signal.aborted)
    if (aborted !== undefined) {
      result.#aborted = true
      result.#reason = aborted.reason
      return result
    }
    const sources = new Set<AbortSignal>()
    for (const signal of signals) {
      if (isAbortSignal(signal)) for (const source of signal.#sources ?? [signal]) sources.add(source)
      else {
        // A signal of another implementation: followed through its 'abort' event.
        const foreign = signal as unknown as Partial<EventTarget> & { reason?: unknown }
        if (typeof foreign.addEventListener === 'function') {
          foreign.addEventListener('abort', () => abortSignal(result, foreign.reason), { once: true })
        }
      }
    }
    result.#sources = [...sources]
    const ref = weakRef(result)
    for (const source of sources) (source.#dependents ??= new Set()).add(ref)
    return result
  }
}

function withSeparators(value: number): string {
  const digits = String(Math.abs(value))
  let out = ''
  for (let end = digits.length; end > 0; end -= 3) out = `_${digits.slice(Math.max(0, end - 3), end)}${out}`
  return (value < 0 ? '-' : '') + out.slice(1)
}

defineEventHandler(AbortSignal.prototype, 'abort')
brand(AbortSignal, 'AbortSignal', function inspectSignal(this: AbortSignal, depth, options, inspect) {
  return inspectNested(this, this.constructor.name, { aborted: this.aborted }, depth, options, inspect)
})

export class AbortController {
  #signal = createSignal()

  get signal(): AbortSignal {
    if (!(#signal in this)) throw invalidThis('AbortController')
    return this.#signal
  }

  abort(reason?: unknown): void {
    if (!(#signal in this)) throw invalidThis('AbortController')
    abortSignal(this.#signal, reason === undefined ? domException('This operation was aborted', 'AbortError') : reason)
  }
}

brand(AbortController, 'AbortController', function inspectController(this: AbortController, depth, options, inspect) {
  return inspectNested(this, this.constructor.name, { signal: this.signal }, depth, options, inspect)
})
