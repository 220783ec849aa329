/**
 * What one phase of an environment (INIT, a restore, or an invocation) may spend: a wall-clock
 * deadline and a fuel budget. Fuel is counted in QuickJS interrupt polls (one every ~10,000
 * interpreter steps); the same polls check the deadline, so a busy guest stops at either. A guest
 * that waits (timers, awaits) polls nothing: the deadline timer catches it.
 */

/**
 * How many polls a millisecond holds depends on the code: measured here, ~0.6 per ms for a loop
 * doing arithmetic, ~16 per ms for an empty loop. The budget derived from a timeout is a backstop
 * 6× above the fastest rate, so the wall clock ends runaway guests; `maxFuel` is the
 * deterministic limit, the same on any machine.
 */
export const FUEL_PER_MS = 100

export type Exhausted = 'fuel' | 'deadline'

export class Meter {
  #deadlineMs = Number.POSITIVE_INFINITY
  #timer: NodeJS.Timeout | undefined
  #onDeadline: () => void = () => undefined
  #fuelUsed = 0
  #fuelBudget = Number.POSITIVE_INFINITY
  #exhausted: Exhausted | undefined
  /** The phase's timeout, for Lambda's "Task timed out after N.NN seconds". */
  timeoutMs = 0

  /** When the current phase must end (epoch ms); infinite between phases. */
  get deadlineMs(): number {
    return this.#deadlineMs
  }

  get fuelUsed(): number {
    return this.#fuelUsed
  }

  /** Milliseconds left before the phase's deadline (Infinity outside a phase). */
  get remainingMs(): number {
    return this.#deadlineMs - Date.now()
  }

  /** Why the guest was stopped, if it was. */
  get exhausted(): Exhausted | undefined {
    return this.#exhausted ?? (Date.now() > this.#deadlineMs ? 'deadline' : undefined)
  }

  /** Starts a phase; `onDeadline` runs if it is still going at the deadline (see armTimer). */
  start(deadlineMs: number, timeoutMs: number, fuelBudget: number, onDeadline: () => void): void {
    this.stop()
    this.#deadlineMs = deadlineMs
    this.timeoutMs = timeoutMs
    this.#fuelUsed = 0
    this.#fuelBudget = fuelBudget
    this.#exhausted = undefined
    this.#onDeadline = onDeadline
  }

  /**
   * Arms the wall-clock timer. Only needed once the guest waits on something: a phase that ends
   * in the same turn (most warm invocations) never pays for a Node timer.
   */
  armTimer(): void {
    if (this.#timer !== undefined || !Number.isFinite(this.#deadlineMs)) return
    this.#timer = setTimeout(() => {
      this.#exhausted ??= 'deadline'
      this.#onDeadline()
    }, Math.max(0, this.#deadlineMs - Date.now()))
  }

  /** The interrupt poll: counts fuel; true when the guest must stop. */
  poll(): boolean {
    this.#fuelUsed += 1
    if (this.#fuelUsed > this.#fuelBudget) this.#exhausted = 'fuel'
    else if (Date.now() > this.#deadlineMs) this.#exhausted = 'deadline'
    return this.#exhausted !== undefined
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#deadlineMs = Number.POSITIVE_INFINITY
    this.#fuelBudget = Number.POSITIVE_INFINITY
  }
}
