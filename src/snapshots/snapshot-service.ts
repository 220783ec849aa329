import type { Logger } from 'pino'
import type { EnvironmentSpec, InitResult } from '../isolates/environment.js'
import { configHash, snapshotIdentity, snapshotKey, type SnapshotIdentity } from './snapshot-key.js'
import type { Snapshot } from './snapshot.js'
import type { SnapshotStore } from './store.js'

/** What a backend must offer for its environments to be snapshotted and restored. */
export interface SnapshotBackend {
  readonly engineBuildHash: string
  readonly engineVersion: string
  readonly guestBuildHash: string
  /** Runs INIT to the snapshot point in a throwaway environment and captures it. */
  createSnapshot(spec: EnvironmentSpec, identity: SnapshotIdentity): Promise<SnapshotResult>
}

export type SnapshotResult =
  | { readonly ok: true; readonly snapshot: Snapshot; readonly init?: InitResult }
  | { readonly ok: false; readonly init: InitResult & { readonly ok: false } }

/**
 * Finds or makes the snapshot of a function version: from memory, else from the store on disk
 * (verified), else by running INIT once. One creation at a time per snapshot: concurrent callers
 * share it.
 */
export class SnapshotService {
  readonly #store: SnapshotStore | undefined
  readonly #logger: Logger
  readonly #snapshots = new Map<string, Promise<SnapshotResult>>()
  /** Results whose INIT has been shown to someone (an invocation's log, or the publish log). */
  readonly #claimed = new WeakSet<SnapshotResult>()
  /** Identity and key per spec: hashing the configuration on every restore would cost ~50 µs. */
  readonly #keys = new WeakMap<EnvironmentSpec, { identity: SnapshotIdentity; key: string }>()

  constructor(store: SnapshotStore | undefined, logger: Logger) {
    this.#store = store
    this.#logger = logger
  }

  identityOf(spec: EnvironmentSpec, backend: SnapshotBackend): SnapshotIdentity {
    return snapshotIdentity({
      engineBuildHash: backend.engineBuildHash,
      engineVersion: backend.engineVersion,
      guestBuildHash: backend.guestBuildHash,
      functionName: spec.config.name,
      functionVersion: spec.version,
      codeSha256: spec.pkg.sha256,
      layersSha256: spec.pkg.filesystem.opt?.sha256 ?? '',
      configHash: configHash(spec.config),
    })
  }

  obtain(spec: EnvironmentSpec, backend: SnapshotBackend): Promise<SnapshotResult> {
    let keyed = this.#keys.get(spec)
    if (keyed === undefined) {
      const identity = this.identityOf(spec, backend)
      keyed = { identity, key: snapshotKey(identity) }
      this.#keys.set(spec, keyed)
    }
    const { identity, key } = keyed
    let result = this.#snapshots.get(key)
    if (result === undefined) {
      result = this.#load(spec, backend, identity)
      this.#snapshots.set(key, result)
      // A failed INIT is not cached: the next attempt runs INIT again, as Lambda retries it.
      void result.then((outcome) => outcome.ok || this.#snapshots.delete(key), () => this.#snapshots.delete(key))
    }
    return result
  }

  /**
   * The INIT that made this snapshot, the first time it is asked for (so that exactly one
   * invocation, or the publish, shows its output); undefined afterwards or when read from disk.
   */
  claimInit(result: SnapshotResult): InitResult | undefined {
    if (this.#claimed.has(result)) return undefined
    this.#claimed.add(result)
    return result.init
  }

  async #load(spec: EnvironmentSpec, backend: SnapshotBackend, identity: SnapshotIdentity): Promise<SnapshotResult> {
    const stored = await this.#store?.read(identity)
    if (stored !== undefined) {
      this.#logger.debug({ function: identity.functionName, version: identity.functionVersion }, 'snapshot loaded from disk')
      return { ok: true, snapshot: stored }
    }
    const created = await backend.createSnapshot(spec, identity)
    if (created.ok && this.#store !== undefined) {
      const file = await this.#store.write(created.snapshot)
      this.#logger.info({ function: identity.functionName, version: identity.functionVersion, file }, 'snapshot stored')
    }
    return created
  }
}
