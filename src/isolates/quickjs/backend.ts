import type { SnapshotIdentity } from '../../snapshots/snapshot-key.js'
import type { Snapshot } from '../../snapshots/snapshot.js'
import type { SnapshotBackend, SnapshotResult } from '../../snapshots/snapshot-service.js'
import type { Backend, EnvironmentSpec } from '../environment.js'
import { QuickJsEngine } from './engine.js'
import { QuickJsEnvironment } from './environment.js'
import { loadGuestArtifacts, type GuestArtifacts } from './guest-artifact.js'

/** The `quickjs` backend: JavaScript functions, each environment in its own QuickJS instance. */
export class QuickJsBackend implements Backend, SnapshotBackend {
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

  get engineVersion(): string {
    return this.#engine.version
  }

  get guestBuildHash(): string {
    return this.#guest.buildHash
  }

  createEnvironment(spec: EnvironmentSpec): Promise<QuickJsEnvironment> {
    return QuickJsEnvironment.create(this.#engine, this.#guest, spec)
  }

  restoreEnvironment(spec: EnvironmentSpec, snapshot: Snapshot): Promise<QuickJsEnvironment> {
    return QuickJsEnvironment.restore(this.#engine, this.#guest, spec, snapshot)
  }

  /** Keeps instances with `snapshot` copied in ready, so a restore only adopts and resumes it. */
  prepareRestores(spec: EnvironmentSpec, snapshot: Snapshot): void {
    this.#engine.keepRestored(spec.config.memoryMb, snapshot.image)
  }

  async createSnapshot(spec: EnvironmentSpec, identity: SnapshotIdentity): Promise<SnapshotResult> {
    const environment = await this.createEnvironment(spec)
    try {
      const init = await environment.init({ toSnapshotPoint: true })
      if (!init.ok) return { ok: false, init }
      const snapshot = environment.captureSnapshot({ ...identity, createdAt: new Date().toISOString() }, init.durationMs)
      return { ok: true, snapshot, init }
    } finally {
      environment.dispose()
    }
  }

  dispose(): void {
    this.#engine.dropPrepared()
  }
}
