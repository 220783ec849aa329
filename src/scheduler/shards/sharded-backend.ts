import type { EnvironmentSpec, ExecutionEnvironment } from '../../isolates/environment.js'
import { QuickJsEngine } from '../../isolates/quickjs/engine.js'
import { loadGuestArtifacts } from '../../isolates/quickjs/guest-artifact.js'
import type { SnapshotIdentity } from '../../snapshots/snapshot-key.js'
import type { Snapshot } from '../../snapshots/snapshot.js'
import type { SnapshotResult } from '../../snapshots/snapshot-service.js'
import type { RestoringBackend } from '../environment-starters.js'
import type { ShardRequest, SpecTransfer } from './protocol.js'
import { RemoteEnvironment } from './remote-environment.js'
import { Shard } from './shard.js'

// Sources run as .ts under tests and tsx, as .js once built: the worker entry follows suit.
const SHARD_ENTRY = new URL(`./shard-main${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)

/**
 * The `quickjs` backend with its environments on worker threads ("shards"), so that a guest
 * stuck where no interrupt reaches it can be stopped by terminating its shard. New environments
 * go to the shard with the fewest; a terminated shard is replaced on next use, and the pools
 * start new environments (from snapshots, where there are) for the tenants it held.
 */
export class ShardedQuickJsBackend implements RestoringBackend {
  readonly runtime = 'quickjs' as const
  readonly engineBuildHash: string
  readonly engineVersion: string
  readonly guestBuildHash: string
  readonly #shards: (Shard | undefined)[]
  readonly #specIds = new WeakMap<EnvironmentSpec, number>()
  readonly #snapshotIds = new WeakMap<Snapshot, number>()
  #lastId = 0
  #lastShard = 0

  private constructor(count: number, engineBuildHash: string, engineVersion: string, guestBuildHash: string) {
    this.#shards = Array.from({ length: count }, () => undefined)
    this.engineBuildHash = engineBuildHash
    this.engineVersion = engineVersion
    this.guestBuildHash = guestBuildHash
  }

  static async create(count: number): Promise<ShardedQuickJsBackend> {
    // The shards load the same engine and guest builds; their hashes name snapshots here too.
    const [engine, guest] = await Promise.all([QuickJsEngine.load(), loadGuestArtifacts()])
    return new ShardedQuickJsBackend(count, engine.buildHash, engine.version, guest.buildHash)
  }

  async createEnvironment(spec: EnvironmentSpec): Promise<ExecutionEnvironment> {
    const shard = this.#pick()
    const reply = await shard.request({ op: 'create', specId: await this.#ensureSpec(shard, spec) })
    if (reply.op !== 'created') throw new Error(`Unexpected shard reply ${reply.op}`)
    return new RemoteEnvironment(shard, reply.envId, spec.config.timeoutMs)
  }

  async restoreEnvironment(spec: EnvironmentSpec, snapshot: Snapshot): Promise<ExecutionEnvironment> {
    const shard = this.#pick()
    const [specId, snapshotId] = await Promise.all([this.#ensureSpec(shard, spec), this.#ensureSnapshot(shard, snapshot)])
    const reply = await shard.request({ op: 'create', specId, snapshotId })
    if (reply.op !== 'created') throw new Error(`Unexpected shard reply ${reply.op}`)
    return new RemoteEnvironment(shard, reply.envId, spec.config.timeoutMs)
  }

  prepareRestores(spec: EnvironmentSpec, snapshot: Snapshot): void {
    for (let index = 0; index < this.#shards.length; index++) {
      const shard = this.#shard(index)
      void Promise.all([this.#ensureSpec(shard, spec), this.#ensureSnapshot(shard, snapshot)])
        .then(([specId, snapshotId]) => shard.request({ op: 'prepareRestores', specId, snapshotId }))
        .catch(() => undefined) // a shard that died meanwhile prepares nothing
    }
  }

  async createSnapshot(spec: EnvironmentSpec, identity: SnapshotIdentity): Promise<SnapshotResult> {
    const shard = this.#pick()
    const reply = await shard.request({ op: 'createSnapshot', specId: await this.#ensureSpec(shard, spec), identity })
    if (reply.op !== 'snapshot') throw new Error(`Unexpected shard reply ${reply.op}`)
    return reply.result
  }

  dispose(): void {
    for (const shard of this.#shards) shard?.kill('the host is closing')
    this.#shards.fill(undefined)
  }

  /** The live shard with the fewest environments (ties: round robin). */
  #pick(): Shard {
    let best: Shard | undefined
    for (let step = 0; step < this.#shards.length; step++) {
      const shard = this.#shard((this.#lastShard + step) % this.#shards.length)
      if (best === undefined || shard.environments < best.environments) best = shard
    }
    this.#lastShard = (this.#lastShard + 1) % this.#shards.length
    return best as Shard
  }

  #shard(index: number): Shard {
    let shard = this.#shards[index]
    if (shard === undefined || !shard.alive) {
      shard = new Shard(index, SHARD_ENTRY)
      this.#shards[index] = shard
    }
    return shard
  }

  #ensureSpec(shard: Shard, spec: EnvironmentSpec): Promise<number> {
    return this.#ensure(shard, this.#specIds, spec, (id) => ({ op: 'spec', spec: transferOf(id, spec) }))
  }

  #ensureSnapshot(shard: Shard, snapshot: Snapshot): Promise<number> {
    return this.#ensure(shard, this.#snapshotIds, snapshot, (id) => ({ op: 'snapshot', id, snapshot }))
  }

  /** Gives `value` a host-wide id and sends it to `shard` the first time that shard needs it. */
  async #ensure<T extends object>(shard: Shard, ids: WeakMap<T, number>, value: T, message: (id: number) => ShardRequest): Promise<number> {
    let id = ids.get(value)
    if (id === undefined) {
      id = ++this.#lastId
      ids.set(value, id)
    }
    if (!shard.known.has(id)) {
      // Marked before sending: requests reach the shard in order, so later ones can rely on it.
      shard.known.add(id)
      await shard.request(message(id))
    }
    return id
  }
}

function transferOf(id: number, spec: EnvironmentSpec): SpecTransfer {
  const opt = spec.pkg.filesystem.opt
  return {
    id,
    config: spec.config,
    version: spec.version,
    env: spec.env,
    files: [...spec.pkg.files()],
    codeSha256: spec.pkg.sha256,
    optFiles: opt === undefined ? undefined : [...opt.files()],
  }
}
