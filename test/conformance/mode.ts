import type { DeployOptions, Host, HostOptions, InvokeResult } from '../../src/index.js'

/**
 * How the conformance suite gets an execution environment. The suite is written once; each mode
 * (cold QuickJS, snapshot-restored QuickJS; Wasm later) runs all of it.
 */
export interface ConformanceMode {
  readonly name: string
  /** How a new environment becomes ready: INIT runs in it, or it is restored from a snapshot. */
  readonly startPhase: 'init' | 'restore'
  /** Options for the hosts the suite creates. */
  readonly hostOptions?: HostOptions
  /** Deploys the function; returns the name (or qualified name) to invoke. */
  deploy(host: Host, options: DeployOptions): Promise<string>
}

export const coldQuickJs: ConformanceMode = {
  name: 'quickjs on the host thread (cold INIT)',
  startPhase: 'init',
  hostOptions: { shards: 0 },
  async deploy(host, options) {
    await host.deploy(options)
    return options.name
  },
}

/** Environments on worker threads (shards), which a watchdog can terminate. */
export const shardedQuickJs: ConformanceMode = {
  ...coldQuickJs,
  name: 'quickjs on 2 shards (cold INIT)',
  hostOptions: { shards: 2 },
}

/**
 * SnapStart on `$LATEST` (`applyOn: 'All'`): the first invocation makes the snapshot with one
 * INIT, and every environment, the first one included, is restored from it. Unlike a published
 * version, an INIT failure then reaches the invocation, so the whole suite applies unchanged.
 */
export const snapshotQuickJs: ConformanceMode = {
  name: 'quickjs (restored from a snapshot)',
  startPhase: 'restore',
  async deploy(host, options) {
    await host.deploy({ ...options, snapStart: { applyOn: 'All' } })
    return options.name
  },
}

/** Whether this invocation started a new environment (INIT or restore), per the mode. */
export function startedNewEnvironment(mode: ConformanceMode, result: InvokeResult): boolean {
  return mode.startPhase === 'init' ? result.report.initDurationMs !== undefined : result.report.restoreDurationMs !== undefined
}

/** The platform line that opens a new environment's log, per the mode. */
export function startLinePattern(mode: ConformanceMode): RegExp {
  return mode.startPhase === 'init' ? /^INIT_START Runtime Version: /m : /^RESTORE_START Runtime Version: /m
}
