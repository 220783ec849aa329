import { createHash } from 'node:crypto'
import type { FunctionConfig } from '../config/function-config.js'
import { SNAPSHOT_FORMAT_VERSION, type SnapshotMetadata } from './snapshot.js'

/**
 * SHA-256 of everything in a configuration that can shape INIT: all but the description and the
 * code and layers, which are identified by the hashes of their contents instead (a `dir` source
 * names a folder whose files may change).
 */
export function configHash(config: FunctionConfig): string {
  const { code: _code, layers: _layers, description: _description, ...shaping } = config
  return createHash('sha256').update(stableJson(shaping)).digest('hex')
}

/** The facts a snapshot must match to be restored: its identity in the content-addressed store. */
export type SnapshotIdentity = Omit<SnapshotMetadata, 'createdAt' | 'initDurationMs'>

export function snapshotIdentity(fields: Omit<SnapshotIdentity, 'formatVersion' | 'backend'>): SnapshotIdentity {
  return { formatVersion: SNAPSHOT_FORMAT_VERSION, backend: 'quickjs', ...fields }
}

/** The store's key for an identity: a hex SHA-256. */
export function snapshotKey(identity: SnapshotIdentity): string {
  return createHash('sha256').update(stableJson(identity)).digest('hex')
}

/** JSON with object keys sorted, so equal values always hash the same. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  )
}
