import { performance } from 'node:perf_hooks'
import type { Logger } from 'pino'
import type { Backend, EnvironmentSpec, ExecutionEnvironment, InitResult } from '../isolates/environment.js'
import type { Snapshot } from '../snapshots/snapshot.js'
import type { SnapshotBackend, SnapshotService } from '../snapshots/snapshot-service.js'

/** How a pool gets a new environment ready to serve. */
export type EnvironmentStarter = () => Promise<Started>

export type Started =
  | { readonly ok: true; readonly environment: ExecutionEnvironment; readonly init: InitResult; readonly snapshotInit?: InitResult }
  | { readonly ok: false; readonly init: InitResult & { readonly ok: false } }

/** A backend whose environments can be restored from snapshots. */
export type RestoringBackend = Backend &
  SnapshotBackend & {
    restoreEnvironment(spec: EnvironmentSpec, snapshot: Snapshot): Promise<ExecutionEnvironment>
    prepareRestores(spec: EnvironmentSpec, snapshot: Snapshot): void
  }

export function isRestoringBackend(backend: Backend): backend is RestoringBackend {
  return 'restoreEnvironment' in backend && 'createSnapshot' in backend
}

/** Cold: a new environment runs INIT. */
export function coldStarter(backend: Backend, spec: EnvironmentSpec): EnvironmentStarter {
  return async () => start(await backend.createEnvironment(spec))
}

/**
 * SnapStart: a new environment is restored from the version's snapshot (made by one INIT, or
 * read from disk) and only runs its after-restore hooks. If the snapshot cannot be used, the
 * environment starts cold instead, with a log line.
 */
export function snapshotStarter(backend: RestoringBackend, spec: EnvironmentSpec, snapshots: SnapshotService, logger: Logger): EnvironmentStarter {
  const cold = coldStarter(backend, spec)
  return async () => {
    const obtained = await snapshots.obtain(spec, backend)
    if (!obtained.ok) return { ok: false, init: obtained.init }
    // The INIT that made the snapshot in this request path is shown once, with the first restore.
    const snapshotInit = snapshots.claimInit(obtained)
    backend.prepareRestores(spec, obtained.snapshot)
    // Restore Duration covers copying the snapshot in as well as the after-restore hooks.
    const startedAt = performance.now()
    let environment: ExecutionEnvironment
    try {
      environment = await backend.restoreEnvironment(spec, obtained.snapshot)
    } catch (error) {
      logger.warn({ reason: (error as Error).message }, 'snapshot restore failed; starting cold instead')
      return cold()
    }
    const started = await start(environment)
    return { ...started, init: { ...started.init, durationMs: performance.now() - startedAt }, snapshotInit } as Started
  }
}

async function start(environment: ExecutionEnvironment): Promise<Started> {
  let init: InitResult
  try {
    init = await environment.init()
  } catch (error) {
    environment.dispose()
    throw error
  }
  if (!init.ok) {
    environment.dispose()
    return { ok: false, init }
  }
  return { ok: true, environment, init }
}
