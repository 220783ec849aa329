/**
 * `EventTarget` (DOM Standard) with Node 20's behaviour: listeners are functions or objects with
 * `handleEvent`, options `capture`, `once`, `passive` and `signal` (removes the listener when it
 * aborts), duplicates ignored. As in Node, each type's listeners are a linked list walked during
 * the dispatch: a listener removed meanwhile is not called, one added meanwhile is (unless the
 * walk has already passed the last listener). An exception in a listener does not stop the
 * dispatch: as in Node, it surfaces as an uncaught exception afterwards (the runtime reports it
 * as Lambda's runtime would). Event handler attributes (`signal.onabort = fn`) come from
 * `defineEventHandler`.
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

/** A registered listener: a node of the type's list (Node's layout, see dispatchEvent). */
interface Listener {
  readonly callback: Callback
  readonly capture: boolean
  readonly once: boolean
  removed: boolean
  previous: Listener | undefined
  next: Listener | undefined
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
/** A subclass's method called after a listener was added or removed (not on the prototype's names). */
export const LISTENERS_CHANGED = Symbol('listenersChanged')
type Observed = { [LISTENERS_CHANGED]?: (type: string) => void }

export class EventTarget {
  /** Per type, the sentinel before the first listener. */
  #lists = new Map<string, Listener>()

  static {
    listenerCount = (target, type) => {
      let count = 0
      for (let node = target.#lists.get(type)?.next; node !== undefined; node = node.next) count++
      return count
    }
  }

  #find(type: string, callback: unknown, capture: boolean): Listener | undefined {
    for (let node = this.#lists.get(type)?.next; node !== undefined; node = node.next) {
      if (node.callback === callback && node.capture === capture) return node
    }
    return undefined
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
    const signal = settings.signal as (EventTarget & { aborted?: unknown }) | undefined
    if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
      throw invalidArgType('options.signal', 'an instance of AbortSignal', signal)
    }
    if (signal?.aborted === true) return
    const name = `${type}`
    if (this.#find(name, callback, capture) !== undefined) return
    let last = this.#lists.get(name)
    if (last === undefined) {
      last = { callback: () => {}, capture: false, once: false, removed: false, previous: undefined, next: undefined }
      this.#lists.set(name, last)
    }
    while (last.next !== undefined) last = last.next
    last.next = { callback, capture, once: Boolean(settings.once), removed: false, previous: last, next: undefined }
    ;(this as Observed)[LISTENERS_CHANGED]?.(name)
    signal?.addEventListener('abort', () => this.removeEventListener(name, callback, { capture }), { once: true })
  }

  removeEventListener(type: string, callback: Callback | null | undefined, options?: boolean | ListenerOptions): void {
    if (arguments.length < 2) throw missingArgs('type', 'listener')
    const node = this.#find(`${type}`, callback, captureOf(options))
    if (node === undefined) return
    // The node keeps its `next`: a dispatch standing on it goes on from there.
    node.removed = true
    ;(node.previous as Listener).next = node.next
    if (node.next !== undefined) node.next.previous = node.previous
    ;(this as Observed)[LISTENERS_CHANGED]?.(`${type}`)
  }

  dispatchEvent(event: Event): boolean {
    if (!(event instanceof Event)) throw invalidArgType('event', 'an instance of Event', event)
    if (!dispatchState.begin(event, this)) throw nodeError(Error, 'ERR_EVENT_RECURSION', `The event "${event.type}" is already being dispatched`)
    try {
      let node = this.#lists.get(event.type)?.next
      while (node !== undefined && !dispatchState.stopped(event)) {
        const next = node.next
        if (!node.removed) {
          if (node.once) this.removeEventListener(event.type, node.callback, { capture: node.capture })
          try {
            const callback = node.callback
            if (typeof callback === 'function') callback.call(this, event)
            else if (typeof callback.handleEvent === 'function') callback.handleEvent(event)
          } catch (error) {
            reportException(error)
          }
        }
        node = next
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
 * An event handler attribute (`onabort`), as Node has it: the first assignment adds a listener
 * that calls whatever the attribute holds when it is a function; the attribute keeps any value
 * (Node returns what was set) and the listener keeps its place in the order.
 */
export function defineEventHandler(prototype: EventTarget, type: string): void {
  const handlers = new WeakMap<EventTarget, { value: unknown }>()
  Object.defineProperty(prototype, `on${type}`, {
    configurable: true,
    enumerable: true,
    get(this: EventTarget) {
      return handlers.get(this)?.value ?? null
    },
    set(this: EventTarget, value: unknown) {
      const existing = handlers.get(this)
      if (existing !== undefined) {
        existing.value = value
        return
      }
      const holder = { value }
      handlers.set(this, holder)
      this.addEventListener(type, function (this: EventTarget, event: Event) {
        if (typeof holder.value === 'function') return (holder.value as (event: Event) => unknown).call(this, event)
        return undefined
      })
    },
  })
}
