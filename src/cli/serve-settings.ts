import type { Host } from '../host.js'
import { isThawError } from '../errors.js'
import { functionUrlConfigsOf } from '../http/management/url-config-store.js'
import type { LoadedFunctions, ServeSettings } from '../sam/types.js'

/**
 * The SAM settings `thaw serve` applies around the host after deploying a function (the host has
 * no template): AutoPublishAlias publishes a version and points the alias at it, as every SAM
 * deploy does; ReservedConcurrentExecutions reserves concurrency; ProvisionedConcurrencyConfig
 * keeps environments initialised on the alias (SAM sets it there, never on $LATEST); with an
 * AutoPublishAlias, FunctionUrlConfig is the alias's URL too (`/url/<name>:<alias>/`), as SAM
 * attaches it to the alias.
 *
 * Only what the template declares is applied: a property taken out of the template leaves the
 * setting as it was (it may have been set over the management API) until the next start.
 */

export interface ApplyOptions {
  /** Wait until the provisioned environments are up (the first deploy); a reload does not wait. */
  readonly waitForProvisioned?: boolean
  /** One line per thing done or failed (no trailing newline). */
  readonly report: (line: string) => void
}

/** The serve settings of each function of a loaded template or folder, by function name. */
export function serveSettingsOf(loaded: LoadedFunctions): ReadonlyMap<string, ServeSettings> {
  return new Map(loaded.functions.map((fn) => [fn.deploy.name, fn.serve]))
}

/** What a reload compares: the settings of the definition before and after it. */
export interface WithServeSettings {
  readonly settings?: ReadonlyMap<string, ServeSettings>
}

/**
 * For `thaw serve --watch`: after a reload, applies a function's settings again when it was
 * deployed again (AutoPublishAlias publishes the new code) or its settings changed. Does not wait
 * for provisioned environments: the reload queue moves on.
 */
export function reapplyServeSettings(host: Host, report: (line: string) => void) {
  return async (name: string, redeployed: boolean, previous: WithServeSettings, next: WithServeSettings): Promise<void> => {
    const settings = next.settings?.get(name)
    if (!redeployed && JSON.stringify(previous.settings?.get(name)) === JSON.stringify(settings)) return
    await applyServeSettings(host, name, settings, { report })
  }
}

/** Applies one function's settings after `host.deploy()`; throws a ThawError when one is refused. */
export async function applyServeSettings(host: Host, name: string, settings: ServeSettings | undefined, options: ApplyOptions): Promise<void> {
  if (settings === undefined) return
  const { autoPublishAlias: alias, reservedConcurrentExecutions: reserved, provisionedConcurrentExecutions: provisioned } = settings
  if (alias !== undefined) {
    // Publishing unchanged code returns the newest version: a reload of the same code moves nothing.
    const version = (await host.publishVersion(name)).version
    const current = host.listAliases(name).find((info) => info.name === alias)
    if (current === undefined) host.createAlias(name, alias, { functionVersion: version })
    else if (current.functionVersion !== version) host.updateAlias(name, alias, { functionVersion: version, additionalVersionWeights: {} })
    if (current?.functionVersion !== version) options.report(`thaw serve: ${name}:${alias} is version ${version}`)
    if (settings.functionUrl !== undefined) functionUrlConfigsOf(host).applyTemplate(name, alias, settings.functionUrl)
  }
  if (reserved !== undefined && host.getFunctionConcurrency(name) !== reserved) {
    // Reserved concurrency may not go below what is provisioned: the alias's count is set again below.
    if (alias !== undefined && provisioned !== undefined && provisionedTotal(host, name) > reserved) deleteProvisioned(host, name, alias)
    host.putFunctionConcurrency(name, reserved)
    options.report(`thaw serve: reserved concurrency of ${name} is ${reserved}`)
  }
  if (alias === undefined || provisioned === undefined) return
  const existing = host.listProvisionedConcurrency(name).find((info) => info.qualifier === alias)
  if (existing?.requested !== provisioned || existing.status === 'FAILED') {
    host.putProvisionedConcurrency(name, alias, provisioned)
    options.report(`thaw serve: provisioned concurrency of ${name}:${alias} is ${provisioned}`)
  }
  if (options.waitForProvisioned !== true) return
  const ready = await host.provisionedConcurrencyReady(name, alias)
  if (ready.status === 'FAILED') options.report(`thaw serve: warning: provisioned concurrency of ${name}:${alias} FAILED: ${ready.statusReason ?? ''}`)
}

function provisionedTotal(host: Host, name: string): number {
  return host.listProvisionedConcurrency(name).reduce((sum, info) => sum + info.requested, 0)
}

function deleteProvisioned(host: Host, name: string, alias: string): void {
  try {
    host.deleteProvisionedConcurrency(name, alias)
  } catch (error) {
    if (!isThawError(error, 'THAW_PROVISIONED_CONFIG_NOT_FOUND')) throw error
  }
}
