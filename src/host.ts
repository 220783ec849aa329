import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { parseFunctionConfig, type DeployOptions, type FunctionConfig, type RuntimeKind } from './config/function-config.js'
import { parseHostOptions, type HostOptions, type ResolvedHostOptions } from './config/host-options.js'
import { ThawError } from './errors.js'
import { CodePackage } from './functions/code-package.js'
import { FunctionRegistry, LATEST, type FunctionInfo, type FunctionVersion } from './functions/registry.js'
import type { Backend } from './isolates/environment.js'
import { ProcessBackend } from './isolates/process/backend.js'
import { QuickJsBackend } from './isolates/quickjs/backend.js'
import { isRestoringBackend } from './scheduler/environment-starters.js'
import { ShardedQuickJsBackend } from './scheduler/shards/sharded-backend.js'
import { runInvocation, type InvokeResult } from './scheduler/run-invocation.js'
import { SnapshotService } from './snapshots/snapshot-service.js'
import { SnapshotStore } from './snapshots/store.js'
import { silentLogger } from './telemetry/logger.js'

/** Lambda's synchronous payload limit (request and response). */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024

export interface InvokeOptions {
  /** A version number or `$LATEST` (also accepted as `name:qualifier`). */
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
    const deployed = this.#resolve(name, options.qualifier)
    const payload = encodePayload(event, options.payload)
    const requestId = randomUUID()
    const run = runInvocation(
      {
        pool: deployed.pool,
        version: deployed.info.version,
        memoryMb: deployed.config.memoryMb,
        logFormat: deployed.config.logFormat,
        functionArn: deployed.info.functionArn,
        timeoutMs: deployed.config.timeoutMs,
      },
      {
        requestId,
        invokedFunctionArn: deployed.info.functionArn,
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
    }
  }

  /** A function's `$LATEST`, or the version named by `name:qualifier` / `qualifier`. */
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

  /** Removes a function; its environments finish the invocations they run, then go. */
  removeFunction(name: string): void {
    this.#registry.remove(name)
  }

  /**
   * Removes one published version (not `$LATEST`: that is the function itself); its environments
   * finish the invocations they run, then go.
   */
  removeVersion(name: string, version: string): void {
    if (version === LATEST) {
      throw new ThawError('THAW_INVALID_CONFIG', '$LATEST version cannot be deleted without deleting the function.', { field: 'qualifier' })
    }
    this.#registry.removeVersion(name, version)
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
    const colon = name.indexOf(':')
    if (colon < 0) return this.#registry.get(name, qualifier ?? LATEST)
    const inName = name.slice(colon + 1)
    if (qualifier !== undefined && qualifier !== inName) {
      throw new ThawError('THAW_INVALID_CONFIG', `The qualifier in the name (${inName}) and the qualifier option (${qualifier}) differ`, {
        field: 'qualifier',
      })
    }
    return this.#registry.get(name.slice(0, colon), inName)
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

function encodePayload(event: unknown, raw: string | undefined): string {
  let payload: string
  if (raw !== undefined) {
    if (typeof raw !== 'string') throw new ThawError('THAW_INVALID_CONFIG', 'payload must be a string of JSON', { field: 'payload' })
    payload = raw === '' ? '{}' : raw
    try {
      JSON.parse(payload)
    } catch {
      throw new ThawError('THAW_INVALID_REQUEST_CONTENT', 'Could not parse request body into json: the payload is not valid JSON', {
        field: 'payload',
      })
    }
  } else {
    try {
      payload = event === undefined ? '{}' : (JSON.stringify(event) ?? 'null')
    } catch (cause) {
      throw new ThawError('THAW_INVALID_REQUEST_CONTENT', `The event cannot be serialised to JSON: ${(cause as Error).message}`, {
        field: 'event',
        cause,
      })
    }
  }
  if (Buffer.byteLength(payload) > MAX_SYNC_PAYLOAD_BYTES) {
    throw new ThawError('THAW_REQUEST_TOO_LARGE', `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`, {
      field: raw === undefined ? 'event' : 'payload',
    })
  }
  return payload
}
