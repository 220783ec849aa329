import type { Logger } from 'pino'
import type { Backend, EnvironmentSpec, ExecutionEnvironment, InitResult } from '../isolates/environment.js'

export type Acquired =
  | { readonly ok: true; readonly environment: ExecutionEnvironment; readonly init?: InitResult }
  | { readonly ok: false; readonly init: InitResult & { ok: false } }

/**
 * The execution environments of one function version. Each serves one invocation at a time:
 * an invocation takes a warm idle one (most recently used first, so caches stay hot) or gets
 * a new one, which runs INIT first. An environment that can no longer serve (timed out,
 * crashed, failed INIT) is disposed instead of going back to the pool.
 */
export class EnvironmentPool {
  readonly #backend: Backend
  readonly #spec: EnvironmentSpec
  readonly #logger: Logger
  readonly #idle: ExecutionEnvironment[] = []
  readonly #busy = new Set<ExecutionEnvironment>()
  #closed = false

  constructor(backend: Backend, spec: EnvironmentSpec, logger: Logger) {
    this.#backend = backend
    this.#spec = spec
    this.#logger = logger
  }

  get idleCount(): number {
    return this.#idle.length
  }

  get busyCount(): number {
    return this.#busy.size
  }

  async acquire(): Promise<Acquired> {
    const warm = this.#idle.pop()
    if (warm !== undefined) {
      this.#busy.add(warm)
      return { ok: true, environment: warm }
    }
    const environment = await this.#backend.createEnvironment(this.#spec)
    this.#busy.add(environment)
    let init: InitResult
    try {
      init = await environment.init()
    } catch (error) {
      this.#discard(environment)
      throw error
    }
    if (!init.ok) {
      this.#discard(environment)
      this.#logger.warn({ env: environment.id, errorType: init.error.errorType }, 'INIT failed; environment discarded')
      return { ok: false, init }
    }
    return { ok: true, environment, init }
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

  /** Disposes idle environments now and busy ones as they are released. */
  close(): void {
    this.#closed = true
    for (const environment of this.#idle.splice(0)) environment.dispose()
  }

  #discard(environment: ExecutionEnvironment): void {
    this.#busy.delete(environment)
    environment.dispose()
  }
}
