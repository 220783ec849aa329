/**
 * `EventTarget` (DOM Standard) with Node 20's behaviour: listeners are functions or objects with
 * `handleEvent`, options `capture`, `once`, `passive` and `signal` (removes the listener when it
 * aborts), duplicates ignored, listeners added during a dispatch not called, removed ones not
 * called any more. An exception in a listener does not stop the dispatch: as in Node, it surfaces
 * as an uncaught exception afterwards (the runtime reports it as Lambda's runtime would).
 * Event handler attributes (`signal.onabort = fn`) come from `defineEventHandler`.
 *
 * Hand-written rather than event-target-shim: that package follows the browser (a passive
 * listener's preventDefault is ignored, a listener's exception goes to `reportError` or a
 * console warning) where handlers written for Node expect Node's behaviour and errors, and a
 * compact class is smaller than the shim's browser-oriented warnings machinery.
 */
import { invalidArgType, missingArgs, nodeError } from './errors.js'
import { dispatchState, Event } from './event.js'
import { brand, inspectNested } from './inspect.js'

declare function queueMicrotask(callback: () => void): void

type Callback = ((event: Event) => unknown) | { handleEvent?: (event: Event) => unknown }

interface Listener {
  readonly callback: Callback
  readonly capture: boolean
  readonly once: boolean
  removed: boolean
}

interface ListenerOptions {
  capture?: unknown
  once?: unknown
  passive?: unknown
  signal?: unknown
}

function captureOf(options: unknown): boolean {
  return typeof options === 'boolean' ? options : Boolean((options as ListenerOptions | null | undefined)?.capture)
}

/** Rethrows outside the dispatch, as Node does (process.nextTick), so the other listeners still run. */
function reportException(error: unknown): void {
  queueMicrotask(() => {
    throw error
  })
}

/** How many listeners `target` has for `type` (AbortSignal.any keeps signals with listeners alive). */
export let listenerCount: (target: EventTarget, type: string) => number

export class EventTarget {
  #listeners = new Map<string, Listener[]>()

  static {
    listenerCount = (target, type) => target.#listeners.get(type)?.length ?? 0
  }

  addEventListener(type: string, callback: Callback | null | undefined, options?: boolean | ListenerOptions): void {
    if (arguments.length < 2) throw missingArgs('type', 'listener')
    if (callback === null || callback === undefined) return // allowed, and ignored (Node warns)
    if (typeof callback !== 'function' && typeof callback !== 'object') {
      throw invalidArgType('listener', 'an instance of EventListener', callback)
    }
    const capture = captureOf(options)
    const settings = typeof options === 'object' && options !== null ? options : {}
    // Node checks a signal by its shape: anything with `aborted` will do.
    const signal = settings.signal as EventTarget & { aborted?: unknown } | undefined
    if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
      throw invalidArgType('options.signal', 'an instance of AbortSignal', signal)
    }
    if (signal?.aborted === true) return
    const name = `${type}`
    let list = this.#listeners.get(name)
    if (list === undefined) this.#listeners.set(name, (list = []))
    if (list.some((listener) => listener.callback === callback && listener.capture === capture)) return
    list.push({ callback, capture, once: Boolean(settings.once), removed: false })
    signal?.addEventListener('abort', () => this.removeEventListener(name, callback, { capture }), { once: true })
  }

  removeEventListener(type: string, callback: Callback | null | undefined, options?: boolean | ListenerOptions): void {
    if (arguments.length < 2) throw missingArgs('type', 'listener')
    const name = `${type}`
    const list = this.#listeners.get(name)
    if (list === undefined) return
    const capture = captureOf(options)
    const index = list.findIndex((listener) => listener.callback === callback && listener.capture === capture)
    if (index === -1) return
    ;(list[index] as Listener).removed = true
    list.splice(index, 1)
    if (list.length === 0) this.#listeners.delete(name)
  }

  dispatchEvent(event: Event): boolean {
    if (!(event instanceof Event)) throw invalidArgType('event', 'an instance of Event', event)
    if (!dispatchState.begin(event, this)) throw nodeError(Error, 'ERR_EVENT_RECURSION', `The event "${event.type}" is already being dispatched`)
    try {
      for (const listener of [...(this.#listeners.get(event.type) ?? [])]) {
        if (listener.removed) continue
        if (listener.once) this.removeEventListener(event.type, listener.callback, { capture: listener.capture })
        try {
          const callback = listener.callback
          if (typeof callback === 'function') callback.call(this, event)
          else if (typeof callback.handleEvent === 'function') callback.handleEvent(event)
        } catch (error) {
          reportException(error)
        }
        if (dispatchState.stopped(event)) break
      }
    } finally {
      dispatchState.end(event)
    }
    return !event.defaultPrevented
  }
}

brand(EventTarget, 'EventTarget', function inspectEventTarget(this: EventTarget, depth, options, inspect) {
  const name = this.constructor.name
  return inspectNested(this, name, {}, depth, options, inspect, name)
})

/**
 * An event handler attribute (`onabort`): the handler runs as a listener added when the attribute
 * is first set to a function, keeping that place in the listener order while it is replaced;
 * anything that is not a function or an object clears it.
 */
export function defineEventHandler(prototype: EventTarget, type: string): void {
  const handlers = new WeakMap<EventTarget, { current: Callback | null; listener: (event: Event) => unknown }>()
  Object.defineProperty(prototype, `on${type}`, {
    configurable: true,
    enumerable: true,
    get(this: EventTarget) {
      return handlers.get(this)?.current ?? null
    },
    set(this: EventTarget, value: unknown) {
      const handler = typeof value === 'function' || (typeof value === 'object' && value !== null) ? (value as Callback) : null
      let entry = handlers.get(this)
      if (entry === undefined) {
        if (handler === null) return
        const created = {
          current: handler,
          listener(this: EventTarget, event: Event) {
            const current = created.current
            if (typeof current === 'function') return current.call(this, event)
            if (typeof current?.handleEvent === 'function') return current.handleEvent(event)
            return undefined
          },
        }
        entry = created
        handlers.set(this, entry)
        this.addEventListener(type, entry.listener)
      } else if (handler === null) {
        this.removeEventListener(type, entry.listener)
        handlers.delete(this)
      } else {
        entry.current = handler
      }
    },
  })
}
