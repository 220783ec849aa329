import type { FunctionConfig } from '../../config/function-config.js'
import type { EnvironmentInvokeResult, InitOptions, InitResult } from '../../isolates/environment.js'
import type { Snapshot } from '../../snapshots/snapshot.js'
import type { SnapshotResult } from '../../snapshots/snapshot-service.js'
import type { SnapshotIdentity } from '../../snapshots/snapshot-key.js'
import type { Invocation } from '../../../runtime-api/session.js'

/**
 * Messages between the host and a shard: a worker thread that runs environments, so that the
 * host can terminate it when a guest is stuck where no interrupt reaches it.
 */

/** Everything a shard needs to rebuild a function version's EnvironmentSpec. */
export interface SpecTransfer {
  readonly id: number
  readonly config: FunctionConfig
  readonly version: string
  readonly env: Readonly<Record<string, string>>
  readonly files: readonly (readonly [string, Uint8Array])[]
  readonly codeSha256: string
  readonly optFiles: readonly (readonly [string, Uint8Array])[] | undefined
}

export type ShardRequest =
  | { readonly op: 'spec'; readonly spec: SpecTransfer }
  | { readonly op: 'snapshot'; readonly id: number; readonly snapshot: Snapshot }
  | { readonly op: 'create'; readonly specId: number; readonly snapshotId?: number }
  | { readonly op: 'init'; readonly envId: number; readonly options?: InitOptions }
  | { readonly op: 'invoke'; readonly envId: number; readonly invocation: Invocation }
  | { readonly op: 'dispose'; readonly envId: number }
  | { readonly op: 'createSnapshot'; readonly specId: number; readonly identity: SnapshotIdentity }
  | { readonly op: 'prepareRestores'; readonly specId: number; readonly snapshotId: number }

export type ShardReplyValue =
  | { readonly op: 'created'; readonly envId: number }
  | { readonly op: 'init'; readonly result: InitResult; readonly reusable: boolean }
  | { readonly op: 'invoke'; readonly result: EnvironmentInvokeResult; readonly reusable: boolean }
  | { readonly op: 'snapshot'; readonly result: SnapshotResult }
  | { readonly op: 'done' }

export interface ShardEnvelope {
  readonly seq: number
  readonly request: ShardRequest
}

export type ShardReply =
  | { readonly seq: number; readonly ok: true; readonly value: ShardReplyValue }
  | { readonly seq: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string; readonly code?: string } }
