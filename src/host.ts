import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { parseFunctionConfig, type DeployOptions, type FunctionConfig, type RuntimeKind } from './config/function-config.js'
import { parseHostOptions, type HostOptions, type ResolvedHostOptions } from './config/host-options.js'
import { ThawError } from './errors.js'
import { AliasTable, isAliasName, pickVersion, versionsOf, type AliasChanges, type AliasInfo, type AliasSettings } from './functions/aliases.js'
import { CodePackage } from './functions/code-package.js'
import { ACCOUNT_CONCURRENCY, ConcurrencyLimits } from './functions/concurrency.js'
import { functionArn } from './functions/lambda-env.js'
import { ProvisionedConcurrency, type ProvisionedConcurrencyInfo } from './functions/provisioned-concurrency.js'
import { FunctionRegistry, LATEST, type FunctionInfo, type FunctionVersion } from './functions/registry.js'
import type { Backend } from './isolates/environment.js'
import { ProcessBackend } from './isolates/process/backend.js'
import { QuickJsBackend } from './isolates/quickjs/backend.js'
import { isRestoringBackend } from './scheduler/environment-starters.js'
import { ShardedQuickJsBackend } from './scheduler/shards/sharded-backend.js'
import { encodePayload } from './scheduler/invoke-payload.js'
import { runInvocation, type InvokeResult } from './scheduler/run-invocation.js'
import { SnapshotService } from './snapshots/snapshot-service.js'
import { SnapshotStore } from './snapshots/store.js'
import { silentLogger } from './telemetry/logger.js'
import { runtimeVersionOf } from './telemetry/platform-log.js'

export { MAX_SYNC_PAYLOAD_BYTES } from './scheduler/invoke-payload.js'

export interface InvokeOptions {
  /** A version number, `$LATEST` or an alias (also accepted as `name:qualifier`). */
  readonly qualifier?: string
  /** The event as raw JSON text (what arrives over HTTP); `event` is ignored when given. */
  readonly payload?: string
  /** Shown to the handler as `context.clientContext`. */
  readonly clientContext?: Record<string, unknown>
  /** X-Ray trace header, shown as `_X_AMZN_TRACE_ID`. */
  readonly traceId?: string
}

/**
 * The host: owns the function registry, the backends and every execution environment. Create it
 * with `createHost()`, deploy functions, invoke them, and `close()` it (or `await using` it).
 */
export class Host implements AsyncDisposable {
  readonly #options: ResolvedHostOptions
  readonly #logger: Logger
  readonly #registry: FunctionRegistry
  readonly #backends = new Map<RuntimeKind, Promise<Backend & { dispose(): void }>>()
  readonly #snapshots: SnapshotService
  readonly #inFlight = new Set<Promise<unknown>>()
  readonly #aliases: AliasTable
  readonly #concurrency = new ConcurrencyLimits()
  readonly #provisioned: ProvisionedConcurrency
  /** Picks the version of a weighted alias per invocation. */
  readonly #random: () => number = Math.random
  #closing: Promise<void> | undefined

  private constructor(options: ResolvedHostOptions) {
    this.#options = options
    this.#logger = options.logger ?? silentLogger()
    const store = options.dataDir === undefined ? undefined : new SnapshotStore(options.dataDir, this.#logger)
    this.#snapshots = new SnapshotService(store, this.#logger)
    this.#registry = new FunctionRegistry({
      region: options.region,
      accountId: options.accountId,
      logger: this.#logger,
      snapshots: this.#snapshots,
    })
    this.#aliases = new AliasTable((name, alias) => functionArn(options.region, options.accountId, name, alias))
    this.#provisioned = new ProvisionedConcurrency({
      resolve: (name, qualifier) => {
        this.#registry.get(name)
        // An unknown alias is "Alias not found", an unknown version "Function not found".
        const alias = isAliasName(qualifier) ? this.#aliases.get(name, qualifier) : undefined
        return { version: this.#registry.get(name, alias?.functionVersion ?? qualifier), alias }
      },
      versionsOf: (name) => this.#registry.allVersions(name),
      reservedOf: (name) => this.#concurrency.reserved(name),
      reservedTotal: () => this.#concurrency.totalReserved(),
      arnOf: (name, qualifier) => functionArn(options.region, options.accountId, name, qualifier),
    })
  }

  static async create(options: HostOptions = {}): Promise<Host> {
    return new Host(parseHostOptions(options))
  }

  get region(): string {
    return this.#options.region
  }

  /** The 12-digit account id in this host's ARNs. */
  get accountId(): string {
    return this.#options.accountId
  }

  /** Creates a function, or replaces its `$LATEST` code and configuration. */
  async deploy(options: DeployOptions): Promise<FunctionInfo> {
    this.#assertOpen()
    const config = parseFunctionConfig(options)
    const [pkg, backend] = await Promise.all([CodePackage.load(config.code), this.#backend(config.runtime)])
    this.#assertOpen()
    const deployed = this.#registry.put(config, pkg, backend)
    this.#logger.info({ function: config.name, codeSha256: pkg.sha256, files: pkg.fileCount }, 'deployed')
    return deployed.info
  }

  /**
   * Publishes `$LATEST` as a new immutable version ("1", "2", …). With SnapStart the version's
   * INIT runs now and its snapshot is stored before the version exists; an INIT failure means no
   * version (THAW_SNAPSHOT_FAILED).
   */
  async publishVersion(name: string): Promise<FunctionInfo> {
    this.#assertOpen()
    const version = await this.#registry.publish(name, (candidate) => this.#prepareSnapshot(candidate))
    this.#logger.info({ function: name, version: version.info.version }, 'published')
    return version.info
  }

  /** `$LATEST` and every published version of a function. */
  listVersions(name: string): FunctionInfo[] {
    return this.#registry.versions(name)
  }

  /** Invokes a function synchronously (RequestResponse). A function error is a value, not a throw. */
  async invoke(name: string, event?: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    this.#assertOpen()
    const { deployed, invokedFunctionArn } = this.#target(name, options.qualifier, this.#random)
    const payload = encodePayload(event, options.payload)
    // Counted per function, over all its versions and aliases, as Lambda's reserved concurrency is.
    const release = this.#concurrency.acquire(deployed.info.name)
    const requestId = randomUUID()
    const run = runInvocation(
      {
        pool: deployed.pool,
        version: deployed.info.version,
        memoryMb: deployed.config.memoryMb,
        logFormat: deployed.config.logFormat,
        functionArn: deployed.info.functionArn,
        runtimeVersion: runtimeVersionOf(deployed.config.runtime),
        timeoutMs: deployed.config.timeoutMs,
      },
      {
        requestId,
        invokedFunctionArn,
        traceId: options.traceId,
        clientContext: options.clientContext === undefined ? undefined : JSON.stringify(options.clientContext),
        payload,
      },
    )
    this.#inFlight.add(run)
    try {
      return await run
    } finally {
      this.#inFlight.delete(run)
      release()
    }
  }

  /** A function's `$LATEST`, or the version named by `name:qualifier` / `qualifier` (an alias: its own version). */
  getFunction(name: string, qualifier?: string): FunctionInfo {
    return this.#resolve(name, qualifier).info
  }

  /**
   * The validated configuration a version runs with (frozen): what the management API reports
   * and what UpdateFunctionConfiguration starts from.
   */
  getFunctionConfig(name: string, qualifier?: string): FunctionConfig {
    return this.#resolve(name, qualifier).config
  }

  listFunctions(): FunctionInfo[] {
    return this.#registry.list()
  }

  /**
   * Shuts down idle environments (of one function, or all) to give their memory back; the next
   * invocation starts a new one (restored from the snapshot under SnapStart). Returns how many.
   */
  evictIdle(name?: string): number {
    return this.#registry.allVersions(name).reduce((count, version) => count + version.pool.evictIdle(), 0)
  }

  /** Removes a function and its aliases; its environments finish the invocations they run, then go. */
  removeFunction(name: string): void {
    this.#registry.remove(name)
    this.#aliases.forgetFunction(name)
    this.#concurrency.forgetFunction(name)
    this.#provisioned.forgetFunction(name)
  }

  /**
   * Reserves concurrency for a function: at most `count` of its invocations run at once, the
   * others are throttled (THAW_TOO_MANY_REQUESTS); 0 stops it. At least 100 of the account's
   * 1,000 must stay unreserved, as on Lambda.
   */
  putFunctionConcurrency(name: string, count: number): void {
    this.#registry.get(name)
    const provisioned = this.#provisioned.totalOf(name)
    if (count < provisioned) {
      throw new ThawError('THAW_INVALID_CONFIG', `ReservedConcurrentExecutions (${count}) cannot be lower than the function's provisioned concurrency (${provisioned})`, {
        field: 'ReservedConcurrentExecutions',
      })
    }
    this.#concurrency.reserve(name, count)
  }

  /** The function's reserved concurrency; undefined when it has none (it shares the account's). */
  getFunctionConcurrency(name: string): number | undefined {
    this.#registry.get(name)
    return this.#concurrency.reserved(name)
  }

  /** The account's concurrency that no function has reserved (GetAccountSettings reports it). */
  get unreservedConcurrency(): number {
    return ACCOUNT_CONCURRENCY - this.#concurrency.totalReserved()
  }

  deleteFunctionConcurrency(name: string): void {
    this.#registry.get(name)
    this.#concurrency.unreserve(name)
  }

  /** Creates an alias: a name for a version, optionally sharing invocations with one more by weight. */
  createAlias(functionName: string, alias: string, settings: AliasSettings): AliasInfo {
    this.#assertVersions(functionName, settings)
    return this.#aliases.create(functionName, alias, settings)
  }

  getAlias(functionName: string, alias: string): AliasInfo {
    this.#registry.get(functionName)
    return this.#aliases.get(functionName, alias)
  }

  /** Changes what an alias points to; unnamed settings stay as they are. */
  updateAlias(functionName: string, alias: string, changes: AliasChanges): AliasInfo {
    const current = this.getAlias(functionName, alias)
    this.#assertVersions(functionName, {
      functionVersion: changes.functionVersion ?? current.functionVersion,
      additionalVersionWeights: changes.additionalVersionWeights ?? current.additionalVersionWeights,
    })
    const updated = this.#aliases.update(functionName, alias, changes)
    // Its provisioned environments follow the alias to its new version.
    this.#provisioned.sync(functionName)
    return updated
  }

  deleteAlias(functionName: string, alias: string): void {
    this.#registry.get(functionName)
    this.#aliases.delete(functionName, alias)
    this.#provisioned.forgetQualifier(functionName, alias)
  }

  /**
   * Keeps `count` environments of a published version or alias initialised ahead of invocations
   * (src/functions/provisioned-concurrency.ts). Returns at once with status `IN_PROGRESS`; the
   * environments start in the background (`provisionedConcurrencyReady` waits for them).
   */
  putProvisionedConcurrency(name: string, qualifier: string, count: number): ProvisionedConcurrencyInfo {
    this.#assertOpen()
    return this.#provisioned.put(name, qualifier, count)
  }

  getProvisionedConcurrency(name: string, qualifier: string): ProvisionedConcurrencyInfo {
    this.#registry.get(name)
    return this.#provisioned.get(name, qualifier)
  }

  /** Resolves when the configuration is `READY` (or `FAILED`: an environment's INIT failed). */
  provisionedConcurrencyReady(name: string, qualifier: string): Promise<ProvisionedConcurrencyInfo> {
    this.#registry.get(name)
    return this.#provisioned.ready(name, qualifier)
  }

  /** Lets the provisioned environments go: idle ones now, busy ones once they finish. */
  deleteProvisionedConcurrency(name: string, qualifier: string): void {
    this.#registry.get(name)
    this.#provisioned.delete(name, qualifier)
  }

  listProvisionedConcurrency(name: string): ProvisionedConcurrencyInfo[] {
    this.#registry.get(name)
    return this.#provisioned.list(name)
  }

  /** A function's aliases by name; with `functionVersion`, those that may run it. */
  listAliases(functionName: string, functionVersion?: string): AliasInfo[] {
    this.#registry.get(functionName)
    return this.#aliases.list(functionName, functionVersion)
  }

  /**
   * Removes one published version (not `$LATEST`: that is the function itself); its environments
   * finish the invocations they run, then go.
   */
  removeVersion(name: string, version: string): void {
    if (version === LATEST) {
      throw new ThawError('THAW_INVALID_CONFIG', '$LATEST version cannot be deleted without deleting the function.', { field: 'qualifier' })
    }
    const aliases = this.#aliases.aliasesOnVersion(name, version)
    if (aliases.length > 0) {
      throw new ThawError('THAW_RESOURCE_CONFLICT', `Unable to delete version because the following aliases reference it: [${aliases.map((alias) => alias.name).join(', ')}]`, {
        field: 'qualifier',
      })
    }
    this.#registry.removeVersion(name, version)
    this.#provisioned.forgetQualifier(name, version)
  }

  /** Stops taking work, lets invocations in flight finish, then disposes every environment. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#inFlight])
      this.#registry.closeAll()
      for (const backend of await Promise.allSettled(this.#backends.values())) {
        if (backend.status === 'fulfilled') backend.value.dispose()
      }
    })()
    return this.#closing
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  #resolve(name: string, qualifier: string | undefined): FunctionVersion {
    // Without randomness an alias means its own version (what GetFunction reports for it).
    return this.#target(name, qualifier, () => 1).deployed
  }

  /**
   * The version an invocation of `name[:qualifier]` runs, and the ARN it was invoked by (an
   * alias's ARN when through an alias: the handler sees it as `invokedFunctionArn`).
   */
  #target(name: string, qualifier: string | undefined, random: () => number): { deployed: FunctionVersion; invokedFunctionArn: string } {
    let functionName = name
    let resolved = qualifier
    const colon = name.indexOf(':')
    if (colon >= 0) {
      functionName = name.slice(0, colon)
      resolved = name.slice(colon + 1)
      if (qualifier !== undefined && qualifier !== resolved) {
        throw new ThawError('THAW_INVALID_CONFIG', `The qualifier in the name (${resolved}) and the qualifier option (${qualifier}) differ`, {
          field: 'qualifier',
        })
      }
    }
    const alias = resolved !== undefined && isAliasName(resolved) ? this.#aliases.find(functionName, resolved) : undefined
    if (alias === undefined) {
      // A version, $LATEST, or an unknown alias: Lambda's Invoke reports the last as it does an
      // unknown version, `Function not found: arn:…:name:alias`, and so does the registry.
      const deployed = this.#registry.get(functionName, resolved ?? LATEST)
      return { deployed, invokedFunctionArn: deployed.info.functionArn }
    }
    return {
      deployed: this.#registry.get(functionName, pickVersion(alias, random)),
      invokedFunctionArn: functionArn(this.region, this.accountId, functionName, alias.name),
    }
  }

  /** Every version an alias setting names must exist (Lambda: ResourceNotFoundException otherwise). */
  #assertVersions(functionName: string, settings: AliasSettings): void {
    for (const version of versionsOf(settings)) {
      // A malformed version is the alias table's InvalidParameterValue; only look up well-formed ones.
      if (/^(?:\$LATEST|[1-9]\d*)$/.test(version)) this.#registry.get(functionName, version)
      else this.#registry.get(functionName)
    }
  }

  async #prepareSnapshot(version: FunctionVersion): Promise<void> {
    if (version.info.snapStart.optimizationStatus !== 'On' || !isRestoringBackend(version.backend)) return
    const result = await this.#snapshots.obtain(version.spec, version.backend)
    const init = this.#snapshots.claimInit(result)
    if (init !== undefined) {
      // Lambda shows a SnapStart version's INIT at publish; here it goes to the host's log.
      this.#logger.info({ function: version.info.name, version: version.info.version, durationMs: init.durationMs, logs: init.logs }, 'snapshot INIT')
    }
    if (result.ok) version.backend.prepareRestores(version.spec, result.snapshot)
    if (!result.ok) {
      const { errorType, errorMessage } = result.init.error
      throw new ThawError('THAW_SNAPSHOT_FAILED', `INIT failed while creating the snapshot: ${errorType}: ${errorMessage}`, {
        field: 'snapStart',
      })
    }
  }

  #backend(runtime: RuntimeKind): Promise<Backend & { dispose(): void }> {
    let backend = this.#backends.get(runtime)
    if (backend === undefined) {
      const { shards } = this.#options
      // Shards are worker threads for QuickJS; a process runtime is isolated by being a process.
      if (runtime === 'provided') backend = Promise.resolve(new ProcessBackend())
      else backend = shards > 0 ? ShardedQuickJsBackend.create(shards) : QuickJsBackend.create()
      backend.catch(() => this.#backends.delete(runtime))
      this.#backends.set(runtime, backend)
    }
    return backend
  }

  #assertOpen(): void {
    if (this.#closing !== undefined) throw new ThawError('THAW_HOST_CLOSED', 'The host is closed')
  }
}
