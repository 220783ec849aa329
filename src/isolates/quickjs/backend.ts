import type { Backend, EnvironmentSpec } from '../environment.js'
import { QuickJsEngine } from './engine.js'
import { QuickJsEnvironment } from './environment.js'
import { loadGuestRuntime } from './guest-artifact.js'

/** The `quickjs` backend: JavaScript functions, each environment in its own QuickJS instance. */
export class QuickJsBackend implements Backend {
  readonly runtime = 'quickjs' as const
  readonly #engine: QuickJsEngine
  readonly #guestSource: string

  private constructor(engine: QuickJsEngine, guestSource: string) {
    this.#engine = engine
    this.#guestSource = guestSource
  }

  static async create(): Promise<QuickJsBackend> {
    const [engine, guestSource] = await Promise.all([QuickJsEngine.load(), loadGuestRuntime()])
    return new QuickJsBackend(engine, guestSource)
  }

  get engineBuildHash(): string {
    return this.#engine.buildHash
  }

  createEnvironment(spec: EnvironmentSpec): Promise<QuickJsEnvironment> {
    return QuickJsEnvironment.create(this.#engine, this.#guestSource, spec)
  }
}
