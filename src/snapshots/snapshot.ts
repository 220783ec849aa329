import type { MemoryImage } from './memory-image.js'

/**
 * A snapshot: an execution environment frozen right after INIT, parked in `restore/next`
 * (lambda-interfaces §5). What a restore needs: the engine's memory image, the addresses of the
 * engine objects the host talks to, and metadata that says what it may be restored for.
 */

/** Bumped whenever the file layout or the meaning of `state` changes. */
export const SNAPSHOT_FORMAT_VERSION = 3

export interface SnapshotMetadata {
  readonly formatVersion: number
  readonly backend: 'quickjs'
  /** SHA-256 of the engine's Wasm: memory layouts differ between builds. */
  readonly engineBuildHash: string
  /** The quickjs-emscripten version (pinned exactly in package.json). */
  readonly engineVersion: string
  /** SHA-256 of the guest runtime artifacts: the heap holds their objects. */
  readonly guestBuildHash: string
  readonly functionName: string
  readonly functionVersion: string
  readonly codeSha256: string
  /** SHA-256 of the merged layers mounted at /opt ('' without layers). */
  readonly layersSha256: string
  /** SHA-256 of the configuration that shapes INIT (handler, env, memory, log format). */
  readonly configHash: string
  readonly createdAt: string
  readonly initDurationMs: number
}

/** The host-side facts a QuickJS restore needs besides the memory. */
export interface QuickJsSnapshotState {
  readonly runtimePointer: number
  readonly contextPointer: number
  /** Heap addresses of the guest entry points' handles, in GuestDriver's ENTRY_NAMES order. */
  readonly entryPointers: readonly number[]
  /** Host-reference ids of the host bindings, in HostBindingTable order. */
  readonly hostFunctionIds: readonly number[]
}

export interface Snapshot {
  readonly metadata: SnapshotMetadata
  readonly state: QuickJsSnapshotState
  readonly image: MemoryImage
}
