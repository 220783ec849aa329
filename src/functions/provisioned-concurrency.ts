import { ThawError } from '../errors.js'
import { coldStarter, type EnvironmentStarter } from '../scheduler/environment-starters.js'
import { ACCOUNT_CONCURRENCY, MIN_UNRESERVED_CONCURRENCY } from './concurrency.js'
import type { AliasInfo } from './aliases.js'
import { LATEST, type FunctionVersion } from './registry.js'

/** What the host reports about one provisioned concurrency configuration (Lambda's fields). */
export interface ProvisionedConcurrencyInfo {
  readonly functionName: string
  /** The version number or alias the configuration is on. */
  readonly qualifier: string
  /** The ARN of that version or alias. */
  readonly functionArn: string
  readonly requested: number
  /** Environments up now. Lambda's Allocated and Available are both this. */
  readonly allocated: number
  /** `READY` once all requested environments are up; `FAILED` when one's INIT failed. */
  readonly status: 'IN_PROGRESS' | 'READY' | 'FAILED'
  readonly statusReason?: string
  /** ISO-8601, when the configuration was last put. */
  readonly lastModified: string
}

/** What the configurations need from the host: its versions, aliases and reserved concurrency. */
export interface ProvisionedConcurrencyContext {
  /** The version a qualifier names (an alias: its own version, weights aside); throws when unknown. */
  resolve(functionName: string, qualifier: string): { version: FunctionVersion; alias: AliasInfo | undefined }
  /** Every version of a function (to recompute what each one keeps). */
  versionsOf(functionName: string): FunctionVersion[]
  reservedOf(functionName: string): number | undefined
  /** Every function with reserved concurrency and the amount, for the account's unreserved floor. */
  reservedTotal(): number
  arnOf(functionName: string, qualifier: string): string
}

interface Config {
  readonly functionName: string
  readonly qualifier: string
  readonly requested: number
  readonly lastModified: string
}

/**
 * Provisioned concurrency: per version or alias of a function, a number of environments kept
 * initialised ahead of invocations (lambda-interfaces §3.2, §6). The environments live in the
 * version's EnvironmentPool, which starts and keeps them; this module holds the configurations,
 * checks them as Lambda does, and tells each pool how many to keep: the sum of the configurations
 * that resolve to its version. An alias's configuration is kept on the alias's own version (its
 * weighted additional version gets none) and follows the alias when it moves to another version.
 */
export class ProvisionedConcurrency {
  readonly #context: ProvisionedConcurrencyContext
  /** By function name, then qualifier. */
  readonly #configs = new Map<string, Map<string, Config>>()
  /** One provisioned starter per version, so the backend sees one spec for all its environments. */
  readonly #starters = new WeakMap<FunctionVersion, EnvironmentStarter | undefined>()

  constructor(context: ProvisionedConcurrencyContext) {
    this.#context = context
  }

  put(functionName: string, qualifier: string | undefined, count: number): ProvisionedConcurrencyInfo {
    if (!Number.isInteger(count) || count < 1) {
      throw invalid(`ProvisionedConcurrentExecutions must be a whole number ≥ 1, got ${count}`, 'ProvisionedConcurrentExecutions')
    }
    if (qualifier === undefined || qualifier === '' || qualifier === LATEST) {
      throw invalid('Provisioned Concurrency Configs cannot be applied to unpublished function versions.', 'Qualifier')
    }
    const { version, alias } = this.#context.resolve(functionName, qualifier)
    if (alias !== undefined && Object.keys(alias.additionalVersionWeights).length > 0) {
      throw invalid('Alias with weights can not be used with Provisioned Concurrency', 'Qualifier')
    }
    // As on Lambda: SnapStart and provisioned concurrency are alternatives, never combined.
    if (version.info.snapStart.optimizationStatus === 'On') {
      throw invalid('Provisioned Concurrency Configs cannot be applied to a function version with SnapStart enabled.', 'Qualifier')
    }
    this.#assertNoOverlap(functionName, qualifier, version.info.version)
    this.#assertWithinLimits(functionName, qualifier, count)
    this.#configsOf(functionName).set(qualifier, { functionName, qualifier, requested: count, lastModified: new Date().toISOString() })
    // Put again (even unchanged) retries a FAILED configuration.
    this.sync(functionName, version)
    return this.get(functionName, qualifier)
  }

  get(functionName: string, qualifier: string | undefined): ProvisionedConcurrencyInfo {
    const config = qualifier === undefined ? undefined : this.#configs.get(functionName)?.get(qualifier)
    if (config === undefined) throw notFound()
    return this.#infoOf(config)
  }

  delete(functionName: string, qualifier: string | undefined): void {
    this.get(functionName, qualifier)
    this.#configs.get(functionName)?.delete(qualifier as string)
    this.sync(functionName)
  }

  /** A function's configurations, by qualifier. */
  list(functionName: string): ProvisionedConcurrencyInfo[] {
    const configs = [...(this.#configs.get(functionName)?.values() ?? [])]
    return configs.sort((a, b) => (a.qualifier < b.qualifier ? -1 : a.qualifier > b.qualifier ? 1 : 0)).map((config) => this.#infoOf(config))
  }

  /** Resolves once the configuration is READY or FAILED; its info then. */
  async ready(functionName: string, qualifier: string): Promise<ProvisionedConcurrencyInfo> {
    const config = this.get(functionName, qualifier)
    await this.#context.resolve(functionName, config.qualifier).version.pool.provisioned()
    return this.get(functionName, qualifier)
  }

  /** Total provisioned over a function's configurations (reserved concurrency may not go below it). */
  totalOf(functionName: string): number {
    return [...(this.#configs.get(functionName)?.values() ?? [])].reduce((sum, config) => sum + config.requested, 0)
  }

  /**
   * Tells every pool of the function how many environments to keep, after a change to the
   * configurations or to an alias. A pool whose count did not change is left alone, except
   * `changed`, which starts over (a put retries after FAILED).
   */
  sync(functionName: string, changed?: FunctionVersion): void {
    const wanted = new Map<FunctionVersion, number>()
    for (const config of this.#configs.get(functionName)?.values() ?? []) {
      const { version } = this.#context.resolve(functionName, config.qualifier)
      wanted.set(version, (wanted.get(version) ?? 0) + config.requested)
    }
    for (const version of this.#context.versionsOf(functionName)) {
      const count = wanted.get(version) ?? 0
      if (version !== changed && version.pool.provisionState.requested === count) continue
      version.pool.provision(count, this.#starterOf(version))
    }
  }

  /** The configurations on an alias or version go with it (its environments are closed with the version). */
  forgetQualifier(functionName: string, qualifier: string): void {
    if (this.#configs.get(functionName)?.delete(qualifier) === true) this.sync(functionName)
  }

  forgetFunction(functionName: string): void {
    this.#configs.delete(functionName)
  }

  #infoOf(config: Config): ProvisionedConcurrencyInfo {
    const { version } = this.#context.resolve(config.functionName, config.qualifier)
    const state = version.pool.provisionState
    const allocated = Math.min(config.requested, state.allocated)
    const status = state.failure !== undefined ? 'FAILED' : state.allocated >= state.requested ? 'READY' : 'IN_PROGRESS'
    return {
      functionName: config.functionName,
      qualifier: config.qualifier,
      functionArn: this.#context.arnOf(config.functionName, config.qualifier),
      requested: config.requested,
      allocated,
      status,
      ...(state.failure === undefined ? {} : { statusReason: state.failure }),
      lastModified: config.lastModified,
    }
  }

  /**
   * Lambda refuses a configuration on an alias whose version has one, and on a version one of
   * whose aliases has one: the same environments would be counted twice.
   */
  #assertNoOverlap(functionName: string, qualifier: string, versionNumber: string): void {
    for (const other of this.#configs.get(functionName)?.values() ?? []) {
      if (other.qualifier === qualifier) continue
      const otherVersion = this.#context.resolve(functionName, other.qualifier).version.info.version
      const oneIsTheVersion = other.qualifier === versionNumber || qualifier === otherVersion
      if (otherVersion === versionNumber && oneIsTheVersion) {
        throw new ThawError(
          'THAW_RESOURCE_CONFLICT',
          `Provisioned Concurrency Config already exists on ${other.qualifier} for version ${versionNumber} of ${functionName}; an alias and its version cannot both have one.`,
          { field: 'Qualifier' },
        )
      }
    }
  }

  /** Within the function's reserved concurrency, and leaving the account's unreserved minimum. */
  #assertWithinLimits(functionName: string, qualifier: string, count: number): void {
    const others = [...(this.#configs.get(functionName)?.values() ?? [])].reduce((sum, config) => (config.qualifier === qualifier ? sum : sum + config.requested), 0)
    const reserved = this.#context.reservedOf(functionName)
    if (reserved !== undefined) {
      if (others + count > reserved) {
        throw invalid('Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function', 'ProvisionedConcurrentExecutions')
      }
      return
    }
    // Without reserved concurrency, provisioned environments come out of the account's unreserved pool.
    let unreserved = ACCOUNT_CONCURRENCY - this.#context.reservedTotal() - others - count
    for (const [name, configs] of this.#configs) {
      if (name === functionName || this.#context.reservedOf(name) !== undefined) continue
      for (const config of configs.values()) unreserved -= config.requested
    }
    if (unreserved < MIN_UNRESERVED_CONCURRENCY) {
      throw invalid(
        `Specified ProvisionedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED_CONCURRENCY}].`,
        'ProvisionedConcurrentExecutions',
      )
    }
  }

  /**
   * Provisioned environments see AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency, as on
   * Lambda. Under SnapStart they are restored from the snapshot with the pool's own starter (the
   * snapshot's INIT already ran with its own initialization type).
   */
  #starterOf(version: FunctionVersion): EnvironmentStarter | undefined {
    if (this.#starters.has(version)) return this.#starters.get(version)
    const starter =
      version.info.snapStart.optimizationStatus === 'On'
        ? undefined
        : coldStarter(version.backend, { ...version.spec, env: Object.freeze({ ...version.spec.env, AWS_LAMBDA_INITIALIZATION_TYPE: 'provisioned-concurrency' }) })
    this.#starters.set(version, starter)
    return starter
  }

  #configsOf(functionName: string): Map<string, Config> {
    let configs = this.#configs.get(functionName)
    if (configs === undefined) {
      configs = new Map()
      this.#configs.set(functionName, configs)
    }
    return configs
  }
}

function invalid(message: string, field: string): ThawError {
  return new ThawError('THAW_INVALID_CONFIG', message, { field })
}

function notFound(): ThawError {
  return new ThawError('THAW_PROVISIONED_CONFIG_NOT_FOUND', 'No Provisioned Concurrency Config found for this function', { field: 'Qualifier' })
}
