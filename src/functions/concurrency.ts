import { ThawError } from '../errors.js'

/** Lambda's default account concurrency, and what must stay unreserved of it (lambda-interfaces §6.2). */
export const ACCOUNT_CONCURRENCY = 1000
export const MIN_UNRESERVED_CONCURRENCY = 100

/**
 * Reserved concurrency per function: a cap on its invocations in flight, over all its versions
 * and aliases. Counting invocations (not environments) is the same thing, since an environment
 * runs one invocation at a time; it also makes the limit exact and immediate.
 */
export class ConcurrencyLimits {
  readonly #reserved = new Map<string, number>()
  readonly #running = new Map<string, number>()

  reserve(functionName: string, count: number): void {
    if (!Number.isInteger(count) || count < 0) {
      throw new ThawError('THAW_INVALID_CONFIG', `ReservedConcurrentExecutions must be a whole number ≥ 0, got ${count}`, { field: 'ReservedConcurrentExecutions' })
    }
    const others = this.totalReserved() - (this.#reserved.get(functionName) ?? 0)
    if (ACCOUNT_CONCURRENCY - others - count < MIN_UNRESERVED_CONCURRENCY) {
      throw new ThawError(
        'THAW_INVALID_CONFIG',
        `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED_CONCURRENCY}].`,
        { field: 'ReservedConcurrentExecutions' },
      )
    }
    this.#reserved.set(functionName, count)
  }

  /** Reserved over every function: what the account's unreserved pool does not have. */
  totalReserved(): number {
    let total = 0
    for (const reserved of this.#reserved.values()) total += reserved
    return total
  }

  reserved(functionName: string): number | undefined {
    return this.#reserved.get(functionName)
  }

  unreserve(functionName: string): void {
    this.#reserved.delete(functionName)
  }

  /**
   * Counts one invocation in; throws the throttle when the function is at its cap (0: always).
   * Call the returned function once the invocation is over.
   */
  acquire(functionName: string): () => void {
    const running = this.#running.get(functionName) ?? 0
    const reserved = this.#reserved.get(functionName)
    if (reserved !== undefined && running >= reserved) {
      throw new ThawError('THAW_TOO_MANY_REQUESTS', 'Rate Exceeded.', { field: 'ReservedConcurrentExecutions' })
    }
    this.#running.set(functionName, running + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (this.#running.get(functionName) ?? 1) - 1
      if (left === 0) this.#running.delete(functionName)
      else this.#running.set(functionName, left)
    }
  }

  forgetFunction(functionName: string): void {
    this.#reserved.delete(functionName)
  }
}
