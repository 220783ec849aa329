import type { Logger } from 'pino'
import type { ExecutionEnvironment, InitResult } from '../isolates/environment.js'
import type { EnvironmentStarter } from './environment-starters.js'

export type Acquired =
  | { readonly ok: true; readonly environment: ExecutionEnvironment; readonly init?: InitResult; readonly snapshotInit?: InitResult }
  | { readonly ok: false; readonly init: InitResult & { ok: false } }

/** How far the pool is in keeping its provisioned environments up. */
export interface ProvisionState {
  /** How many environments the pool is asked to keep initialised. */
  readonly requested: number
  /** How many of them are up now (idle or serving). */
  readonly allocated: number
  /** Why the last provisioned environment failed to start (its INIT failed), if one did. */
  readonly failure: string | undefined
}

/**
 * The execution environments of one function version. Each serves one invocation at a time:
 * an invocation takes a warm idle one (most recently used first, so caches stay hot) or gets a
 * new one from the starter (cold INIT, or a restore from the version's snapshot). An environment
 * that can no longer serve (timed out, crashed, failed to start) is disposed instead of going
 * back to the pool.
 *
 * Provisioned concurrency: `provision(n)` starts n environments ahead of any invocation and keeps
 * them. They serve like any idle environment (and are taken first), but idle eviction leaves them,
 * and one that dies is replaced in the background.
 */
export class EnvironmentPool {
  readonly #start: EnvironmentStarter
  readonly #logger: Logger
  readonly #idle: ExecutionEnvironment[] = []
  readonly #busy = new Set<ExecutionEnvironment>()
  /** The environments kept for provisioned concurrency (idle or busy). */
  readonly #provisioned = new Set<ExecutionEnvironment>()
  #provisionTarget = 0
  #provisionStarter: EnvironmentStarter | undefined
  #provisionStarting = 0
  #provisionFailure: string | undefined
  #provisionWaiters: Array<() => void> = []
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

  get provisionState(): ProvisionState {
    return { requested: this.#provisionTarget, allocated: this.#provisioned.size, failure: this.#provisionFailure }
  }

  async acquire(): Promise<Acquired> {
    // An idle environment can stop being usable while it waits (its shard was terminated).
    for (let warm = this.#takeIdle(); warm !== undefined; warm = this.#takeIdle()) {
      if (!warm.reusable) {
        this.#drop(warm)
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
      this.#drop(environment)
      return
    }
    // A provisioned environment over a lowered target serves on as an ordinary one.
    if (this.#provisioned.has(environment) && this.#provisioned.size > this.#provisionTarget) this.#provisioned.delete(environment)
    this.#idle.push(environment)
  }

  /**
   * Keeps `count` environments started and initialised (0: none), started with `starter` (the
   * pool's own by default). Returns at once; the environments start in the background, and
   * `provisioned()` resolves when they are all up or one failed. Lowering the count lets the
   * surplus go: idle ones are disposed, busy ones finish and become ordinary environments.
   */
  provision(count: number, starter: EnvironmentStarter = this.#start): void {
    if (this.#closed) return
    this.#provisionTarget = count
    this.#provisionStarter = starter
    this.#provisionFailure = undefined
    for (const environment of [...this.#provisioned]) {
      if (this.#provisioned.size <= count) break
      const at = this.#idle.indexOf(environment)
      if (at < 0) continue
      this.#idle.splice(at, 1)
      this.#provisioned.delete(environment)
      environment.dispose()
    }
    this.#fill()
    this.#settle()
  }

  /** Resolves once every provisioned environment is up, or one failed to start (see provisionState). */
  provisioned(): Promise<ProvisionState> {
    return new Promise((resolve) => {
      this.#provisionWaiters.push(() => resolve(this.provisionState))
      this.#settle()
    })
  }

  /** Disposes the idle environments that are not provisioned (busy ones keep serving); returns how many went. */
  evictIdle(): number {
    const evicted = this.#idle.filter((environment) => !this.#provisioned.has(environment))
    this.#idle.splice(0, this.#idle.length, ...this.#idle.filter((environment) => this.#provisioned.has(environment)))
    for (const environment of evicted) environment.dispose()
    return evicted.length
  }

  /** Disposes idle environments now and busy ones as they are released; provisions no more. */
  close(): void {
    this.#closed = true
    this.#provisionTarget = 0
    this.#provisioned.clear()
    for (const environment of this.#idle.splice(0)) environment.dispose()
    this.#settle()
  }

  /** A provisioned idle environment first (it is what they are kept for), else the most recent. */
  #takeIdle(): ExecutionEnvironment | undefined {
    if (this.#provisioned.size === 0) return this.#idle.pop() // the common case: no scan
    for (let at = this.#idle.length - 1; at >= 0; at -= 1) {
      const environment = this.#idle[at] as ExecutionEnvironment
      if (this.#provisioned.has(environment)) return this.#idle.splice(at, 1)[0]
    }
    return this.#idle.pop()
  }

  /** Disposes an environment that can no longer serve; a provisioned one is replaced. */
  #drop(environment: ExecutionEnvironment): void {
    environment.dispose()
    if (this.#provisioned.delete(environment)) {
      this.#logger.info({ env: environment.id }, 'provisioned environment lost; starting a replacement')
      this.#fill()
    }
  }

  /** Starts environments until the provisioned ones (up or starting) reach the target. */
  #fill(): void {
    const starter = this.#provisionStarter
    if (starter === undefined || this.#closed) return
    // After a failed INIT, no more attempts until the configuration is put again (Lambda: FAILED).
    while (this.#provisionFailure === undefined && this.#provisioned.size + this.#provisionStarting < this.#provisionTarget) {
      this.#provisionStarting += 1
      void starter().then(
        (started) => {
          this.#provisionStarting -= 1
          if (!started.ok) {
            const { errorType, errorMessage } = started.init.error
            this.#provisionFailure = `FUNCTION_ERROR_INIT_FAILURE: ${errorType}: ${errorMessage}`
            this.#logger.warn({ errorType }, 'provisioned environment failed to start')
          } else if (this.#closed) {
            started.environment.dispose()
          } else {
            // Over a target lowered meanwhile it is still a warm environment: an ordinary idle one.
            if (this.#provisioned.size < this.#provisionTarget) this.#provisioned.add(started.environment)
            this.#idle.push(started.environment)
          }
          this.#settle()
        },
        (error: unknown) => {
          this.#provisionStarting -= 1
          this.#provisionFailure = `FUNCTION_ERROR_INIT_FAILURE: ${(error as Error).message}`
          this.#settle()
        },
      )
    }
  }

  #settle(): void {
    const done = this.#closed || this.#provisionFailure !== undefined || this.#provisioned.size >= this.#provisionTarget
    if (!done) return
    for (const resolve of this.#provisionWaiters.splice(0)) resolve()
  }
}
