/**
 * `Event` and `CustomEvent` (DOM Standard), with Node 20's observable behaviour where it departs
 * from the browser's: no bubbling or capturing (there is no tree), `preventDefault` in a passive
 * listener still counts, `timeStamp` is `performance.now()` at creation, Node's argument errors.
 * EventTarget (event-target.ts) drives the dispatch through `dispatchState`.
 */
import { invalidArgType, missingArgs } from './errors.js'
import { brand, inspectNested } from './inspect.js'

interface EventInit {
  bubbles?: unknown
  cancelable?: unknown
  composed?: unknown
}

/** What EventTarget changes on an event while it dispatches it. */
export interface DispatchState {
  /** Marks the event as dispatched by `target` (or done, with null); returns false if it already is. */
  begin(event: Event, target: object): boolean
  end(event: Event): void
  /** stopImmediatePropagation was called. */
  stopped(event: Event): boolean
  /** Events the platform fires (AbortSignal's abort) are trusted. */
  trust(event: Event): void
}

export let dispatchState: DispatchState

const now = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? 0

export class Event {
  static readonly NONE = 0
  static readonly CAPTURING_PHASE = 1
  static readonly AT_TARGET = 2
  static readonly BUBBLING_PHASE = 3

  #type: string
  #bubbles: boolean
  #cancelable: boolean
  #composed: boolean
  #defaultPrevented = false
  #timeStamp = now()
  #target: object | null = null
  #dispatching = false
  #stopPropagation = false
  #stopImmediate = false
  #trusted = false

  static {
    dispatchState = {
      begin(event, target) {
        if (event.#dispatching) return false
        event.#dispatching = true
        event.#target = target
        return true
      },
      end(event) {
        event.#dispatching = false
      },
      stopped: (event) => event.#stopImmediate,
      trust(event) {
        event.#trusted = true
      },
    }
  }

  constructor(type: string, options?: EventInit | null) {
    if (arguments.length === 0) throw missingArgs('type')
    if (options !== null && options !== undefined && typeof options !== 'object' && typeof options !== 'function') {
      throw invalidArgType('options', 'of type object', options)
    }
    this.#type = `${type}`
    this.#bubbles = Boolean(options?.bubbles)
    this.#cancelable = Boolean(options?.cancelable)
    this.#composed = Boolean(options?.composed)
  }

  initEvent(type: string, bubbles = false, cancelable = false): void {
    if (arguments.length === 0) throw missingArgs('type')
    if (this.#dispatching) return
    this.#type = `${type}`
    this.#bubbles = Boolean(bubbles)
    this.#cancelable = Boolean(cancelable)
  }

  stopImmediatePropagation(): void {
    this.#stopPropagation = true
    this.#stopImmediate = true
  }

  preventDefault(): void {
    this.#defaultPrevented = true
  }

  get target(): object | null {
    return this.#target
  }

  get currentTarget(): object | null {
    return this.#dispatching ? this.#target : null
  }

  get srcElement(): object | null {
    return this.#target
  }

  get type(): string {
    return this.#type
  }

  get cancelable(): boolean {
    return this.#cancelable
  }

  get defaultPrevented(): boolean {
    return this.#cancelable && this.#defaultPrevented
  }

  get timeStamp(): number {
    return this.#timeStamp
  }

  composedPath(): object[] {
    return this.#dispatching && this.#target !== null ? [this.#target] : []
  }

  get returnValue(): boolean {
    return !this.defaultPrevented
  }

  get bubbles(): boolean {
    return this.#bubbles
  }

  get composed(): boolean {
    return this.#composed
  }

  get eventPhase(): number {
    return this.#dispatching ? Event.AT_TARGET : Event.NONE
  }

  get cancelBubble(): boolean {
    return this.#stopPropagation
  }

  set cancelBubble(value: boolean) {
    if (value) this.stopPropagation()
  }

  stopPropagation(): void {
    this.#stopPropagation = true
  }

  get isTrusted(): boolean {
    return this.#trusted
  }
}

brand(Event, 'Event', function inspectEvent(this: Event, depth, options, inspect) {
  const name = this.constructor.name
  const properties = { type: this.type, defaultPrevented: this.defaultPrevented, cancelable: this.cancelable, timeStamp: this.timeStamp }
  return inspectNested(this, name, properties, depth, options, inspect, name)
})

export class CustomEvent<T = unknown> extends Event {
  #detail: T | null

  constructor(type: string, options?: (EventInit & { detail?: T }) | null) {
    if (arguments.length === 0) throw missingArgs('type')
    super(type, options)
    this.#detail = options?.detail ?? null
  }

  get detail(): T | null {
    return this.#detail
  }
}

brand(CustomEvent, 'CustomEvent')
