import type { Backend, EnvironmentSpec } from '../environment.js'
import { ProcessEnvironment } from './environment.js'

/**
 * The `provided` backend: custom runtimes, each execution environment one child process talking
 * to its own Runtime API server over HTTP. Processes are their own unit of isolation (the OS
 * schedules and kills them), so this backend needs no worker threads, whatever the host's
 * `shards`; and it has no snapshots (SnapStart is refused for provided functions at deploy).
 */
export class ProcessBackend implements Backend {
  readonly runtime = 'provided' as const

  createEnvironment(spec: EnvironmentSpec): Promise<ProcessEnvironment> {
    return ProcessEnvironment.create(spec)
  }

  /** Nothing to release: each environment cleans up its own process and folder. */
  dispose(): void {}
}
