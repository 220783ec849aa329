import type { Backend, EnvironmentSpec } from '../environment.js'
import { QuickJsEngine } from './engine.js'
import { QuickJsEnvironment } from './environment.js'
import { loadGuestArtifacts, type GuestArtifacts } from './guest-artifact.js'

/** The `quickjs` backend: JavaScript functions, each environment in its own QuickJS instance. */
export class QuickJsBackend implements Backend {
  readonly runtime = 'quickjs' as const
  readonly #engine: QuickJsEngine
  readonly #guest: GuestArtifacts

  private constructor(engine: QuickJsEngine, guest: GuestArtifacts) {
    this.#engine = engine
    this.#guest = guest
  }

  static async create(): Promise<QuickJsBackend> {
    const [engine, guest] = await Promise.all([QuickJsEngine.load(), loadGuestArtifacts()])
    return new QuickJsBackend(engine, guest)
  }

  get engineBuildHash(): string {
    return this.#engine.buildHash
  }

  createEnvironment(spec: EnvironmentSpec): Promise<QuickJsEnvironment> {
    return QuickJsEnvironment.create(this.#engine, this.#guest, spec)
  }
}
