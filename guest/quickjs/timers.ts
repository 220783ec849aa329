/**
 * setTimeout / setInterval / setImmediate, driven by the host. The guest keeps the timers; the
 * host only learns when the earliest one is due (through the outbox) and calls `fire(now)` then.
 * Between invocations the host does not fire them: the environment is frozen, as on Lambda.
 */

type Callback = (...args: unknown[]) => void

interface Timer {
  readonly id: number
  readonly callback: Callback
  readonly args: unknown[]
  dueMs: number
  readonly repeatMs: number | undefined
}

/** What Node returns from setTimeout: an object that is also usable as a number. */
class Timeout {
  readonly #id: number
  readonly #queue: TimerQueue
  constructor(id: number, queue: TimerQueue) {
    this.#id = id
    this.#queue = queue
  }
  ref(): this {
    return this
  }
  unref(): this {
    return this
  }
  hasRef(): boolean {
    return true
  }
  refresh(): this {
    this.#queue.refresh(this.#id)
    return this
  }
  [Symbol.toPrimitive](): number {
    return this.#id
  }
}

export class TimerQueue {
  readonly #timers = new Map<number, Timer>()
  #lastId = 0
  readonly #onChange: () => void
  /** Called with an error thrown by a timer callback (an uncaught exception). */
  readonly #onUncaught: (error: unknown) => void

  constructor(onChange: () => void, onUncaught: (error: unknown) => void) {
    this.#onChange = onChange
    this.#onUncaught = onUncaught
  }

  get size(): number {
    return this.#timers.size
  }

  /** Epoch ms when the earliest timer is due, or -1. */
  nextWake(): number {
    let earliest = -1
    for (const timer of this.#timers.values()) if (earliest < 0 || timer.dueMs < earliest) earliest = timer.dueMs
    return earliest
  }

  add(callback: unknown, delayMs: unknown, args: unknown[], repeat: boolean): Timeout {
    if (typeof callback !== 'function') {
      const error = new TypeError(`The "callback" argument must be of type function. Received ${typeof callback}`)
      Object.assign(error, { code: 'ERR_INVALID_ARG_TYPE' })
      throw error
    }
    let delay = Number(delayMs)
    if (!(delay >= 1 && delay <= 2_147_483_647)) delay = 1 // Node's rule for NaN, < 1 and overflow
    const id = ++this.#lastId
    this.#timers.set(id, { id, callback: callback as Callback, args, dueMs: Date.now() + delay, repeatMs: repeat ? delay : undefined })
    this.#onChange()
    return new Timeout(id, this)
  }

  clear(handle: unknown): void {
    const id = typeof handle === 'number' ? handle : handle instanceof Timeout ? Number(handle) : undefined
    if (id !== undefined && this.#timers.delete(id)) this.#onChange()
  }

  refresh(id: number): void {
    const timer = this.#timers.get(id)
    if (timer !== undefined) {
      timer.dueMs = Date.now() + (timer.repeatMs ?? 1)
      this.#onChange()
    }
  }

  /** Runs every timer due at `nowMs`, earliest first. */
  fire(nowMs: number): void {
    const due = [...this.#timers.values()].filter((timer) => timer.dueMs <= nowMs).sort((a, b) => a.dueMs - b.dueMs || a.id - b.id)
    for (const timer of due) {
      if (!this.#timers.has(timer.id)) continue // cleared by an earlier callback
      if (timer.repeatMs === undefined) this.#timers.delete(timer.id)
      else timer.dueMs = nowMs + timer.repeatMs
      try {
        timer.callback(...timer.args)
      } catch (error) {
        this.#onUncaught(error)
      }
    }
    this.#onChange()
  }

  install(global: Record<string, unknown>): void {
    global.setTimeout = (callback: unknown, delay?: unknown, ...args: unknown[]) => this.add(callback, delay, args, false)
    global.setInterval = (callback: unknown, delay?: unknown, ...args: unknown[]) => this.add(callback, delay, args, true)
    global.setImmediate = (callback: unknown, ...args: unknown[]) => this.add(callback, 0, args, false)
    global.clearTimeout = (handle: unknown) => this.clear(handle)
    global.clearInterval = (handle: unknown) => this.clear(handle)
    global.clearImmediate = (handle: unknown) => this.clear(handle)
  }
}
