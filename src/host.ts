import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { parseFunctionConfig, type DeployOptions, type RuntimeKind } from './config/function-config.js'
import { parseHostOptions, type HostOptions, type ResolvedHostOptions } from './config/host-options.js'
import { ThawError } from './errors.js'
import { CodePackage } from './functions/code-package.js'
import { FunctionRegistry, type FunctionInfo } from './functions/registry.js'
import type { Backend } from './isolates/environment.js'
import { QuickJsBackend } from './isolates/quickjs/backend.js'
import { runInvocation, type InvokeResult } from './scheduler/run-invocation.js'
import { silentLogger } from './telemetry/logger.js'

/** Lambda's synchronous payload limit (request and response). */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024

export interface InvokeOptions {
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
  readonly #backends = new Map<RuntimeKind, Promise<Backend>>()
  readonly #inFlight = new Set<Promise<unknown>>()
  #closing: Promise<void> | undefined

  private constructor(options: ResolvedHostOptions) {
    this.#options = options
    this.#logger = options.logger ?? silentLogger()
    this.#registry = new FunctionRegistry({ region: options.region, accountId: options.accountId, logger: this.#logger })
  }

  static async create(options: HostOptions = {}): Promise<Host> {
    return new Host(parseHostOptions(options))
  }

  get region(): string {
    return this.#options.region
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

  /** Invokes a function synchronously (RequestResponse). A function error is a value, not a throw. */
  async invoke(name: string, event?: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    this.#assertOpen()
    const deployed = this.#registry.get(name)
    const payload = encodePayload(event, options.payload)
    const requestId = randomUUID()
    const run = runInvocation(
      {
        pool: deployed.pool,
        version: deployed.info.version,
        memoryMb: deployed.config.memoryMb,
        logFormat: deployed.config.logFormat,
        functionArn: deployed.info.functionArn,
      },
      {
        requestId,
        deadlineMs: Date.now() + deployed.config.timeoutMs,
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

  getFunction(name: string): FunctionInfo {
    return this.#registry.get(name).info
  }

  listFunctions(): FunctionInfo[] {
    return this.#registry.list()
  }

  /** Removes a function; its environments finish the invocations they run, then go. */
  removeFunction(name: string): void {
    this.#registry.remove(name)
  }

  /** Stops taking work, lets invocations in flight finish, then disposes every environment. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#inFlight])
      this.#registry.closeAll()
    })()
    return this.#closing
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close()
  }

  #backend(runtime: RuntimeKind): Promise<Backend> {
    let backend = this.#backends.get(runtime)
    if (backend === undefined) {
      backend = QuickJsBackend.create()
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
