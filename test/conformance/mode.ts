import type { DeployOptions, Host } from '../../src/index.js'

/**
 * How the conformance suite gets an execution environment. The suite is written once; each mode
 * (cold QuickJS today; snapshot-restored and Wasm environments later) runs all of it.
 */
export interface ConformanceMode {
  readonly name: string
  /** Deploys the function; returns the name (or qualified name) to invoke. */
  deploy(host: Host, options: DeployOptions): Promise<string>
}

export const coldQuickJs: ConformanceMode = {
  name: 'quickjs (cold INIT)',
  async deploy(host, options) {
    await host.deploy(options)
    return options.name
  },
}
