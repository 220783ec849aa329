import type { Logger } from 'pino'
import type { ExecutionEnvironment, InitResult } from '../isolates/environment.js'
import type { EnvironmentStarter } from './environment-starters.js'

export type Acquired =
  | { readonly ok: true; readonly environment: ExecutionEnvironment; readonly init?: InitResult; readonly snapshotInit?: InitResult }
  | { readonly ok: false; readonly init: InitResult & { ok: false } }

/**
 * The execution environments of one function version. Each serves one invocation at a time:
 * an invocation takes a warm idle one (most recently used first, so caches stay hot) or gets a
 * new one from the starter (cold INIT, or a restore from the version's snapshot). An environment
 * that can no longer serve (timed out, crashed, failed to start) is disposed instead of going
 * back to the pool.
 */
export class EnvironmentPool {
  readonly #start: EnvironmentStarter
  readonly #logger: Logger
  readonly #idle: ExecutionEnvironment[] = []
  readonly #busy = new Set<ExecutionEnvironment>()
  #closed = false

  constructor(start: EnvironmentStarter, logger: Logger) {
    this.#start = start
    this.#logger = logger
  }

  get idleCount(): number {
    return this.#idle.length
  }

  get busyCount(): number {
    return this.#busy.size
  }

  async acquire(): Promise<Acquired> {
    // An idle environment can stop being usable while it waits (its shard was terminated).
    for (let warm = this.#idle.pop(); warm !== undefined; warm = this.#idle.pop()) {
      if (!warm.reusable) {
        warm.dispose()
        continue
      }
      this.#busy.add(warm)
      return { ok: true, environment: warm }
    }
    const started = await this.#start()
    if (!started.ok) {
      this.#logger.warn({ phase: started.init.phase, errorType: started.init.error.errorType }, 'environment failed to start')
      return started
    }
    this.#busy.add(started.environment)
    return started
  }

  release(environment: ExecutionEnvironment): void {
    if (!this.#busy.delete(environment)) return
    if (this.#closed || !environment.reusable) {
      if (!environment.reusable) this.#logger.debug({ env: environment.id }, 'environment reset')
      environment.dispose()
      return
    }
    this.#idle.push(environment)
  }

  /** Disposes the idle environments (busy ones keep serving); returns how many went. */
  evictIdle(): number {
    const idle = this.#idle.splice(0)
    for (const environment of idle) environment.dispose()
    return idle.length
  }

  /** Disposes idle environments now and busy ones as they are released. */
  close(): void {
    this.#closed = true
    for (const environment of this.#idle.splice(0)) environment.dispose()
  }
}
