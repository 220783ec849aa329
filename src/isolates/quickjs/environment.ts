import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { QuickJSContext, QuickJSRuntime } from 'quickjs-emscripten-core'
import type { GuestBootConfig } from '../../../runtime-api/in-process-protocol.js'
import { RuntimeApiSession, type Invocation } from '../../../runtime-api/session.js'
import { ThawError, type FunctionError } from '../../errors.js'
import {
  platformErrors,
  type EnvironmentInvokeResult,
  type EnvironmentSpec,
  type ExecutionEnvironment,
  type InitResult,
} from '../environment.js'
import type { QuickJsEngine } from './engine.js'
import type { GuestArtifacts } from './guest-artifact.js'
import { installModuleLoader } from './esm-loader.js'
import { GuestDriver } from './guest-driver.js'
import { installHostBindings } from './host-bindings.js'

/** Lambda's limit for an on-demand INIT phase. */
export const INIT_TIMEOUT_MS = 10_000
/** QuickJS's own stack guard: deep recursion becomes a catchable RangeError, not a Wasm trap. */
// Measured: past ~448 KiB the Wasm frames overflow V8's own stack first (a host RangeError).
const MAX_STACK_BYTES = 320 * 1024

type State = 'created' | 'initializing' | 'ready' | 'busy' | 'broken' | 'disposed'

/**
 * One execution environment running JavaScript in its own QuickJS instance (own Wasm memory,
 * own runtime and context), with Thaw's guest runtime inside.
 *
 * Disposal drops the whole Wasm instance rather than freeing QuickJS objects one by one: the
 * memory goes with the instance, which is faster and cannot trip QuickJS's leak assertions on
 * an environment that died mid-invocation.
 */
export class QuickJsEnvironment implements ExecutionEnvironment {
  readonly id: string
  readonly #spec: EnvironmentSpec
  readonly #guest: GuestArtifacts
  readonly #memory: WebAssembly.Memory
  readonly #runtime: QuickJSRuntime
  readonly #ctx: QuickJSContext
  #driver: GuestDriver | undefined
  #session = new RuntimeApiSession()
  #state: State = 'created'
  #logs: string[] = []
  /** Epoch ms past which the interrupt handler stops the guest. */
  #deadlineMs = Number.POSITIVE_INFINITY
  #deadlineTimer: NodeJS.Timeout | undefined
  #requestId: string | undefined
  #timeoutMs = INIT_TIMEOUT_MS

  private constructor(spec: EnvironmentSpec, guest: GuestArtifacts, memory: WebAssembly.Memory, runtime: QuickJSRuntime) {
    this.id = randomBytes(16).toString('hex')
    this.#spec = spec
    this.#guest = guest
    this.#memory = memory
    this.#runtime = runtime
    this.#ctx = runtime.newContext()
  }

  static async create(engine: QuickJsEngine, guest: GuestArtifacts, spec: EnvironmentSpec): Promise<QuickJsEnvironment> {
    const { module, memory } = await engine.instantiate(spec.config.memoryMb)
    const runtime = module.newRuntime()
    runtime.setMaxStackSize(MAX_STACK_BYTES)
    return new QuickJsEnvironment(spec, guest, memory, runtime)
  }

  get reusable(): boolean {
    return this.#state === 'ready'
  }

  /** The log stream this environment writes to: `YYYY/MM/DD/[version]id`. */
  get logStreamName(): string {
    const date = new Date().toISOString().slice(0, 10).replaceAll('-', '/')
    return `${date}/[${this.#spec.version}]${this.id}`
  }

  async init(): Promise<InitResult> {
    this.#assertState('created', 'init')
    this.#state = 'initializing'
    const startedAt = performance.now()
    this.#armDeadline(Date.now() + INIT_TIMEOUT_MS, INIT_TIMEOUT_MS)
    try {
      this.#bootGuest()
      const outcome = await this.#session.initialized
      const durationMs = performance.now() - startedAt
      const logs = this.#takeLogs()
      if (!outcome.ok) {
        this.#break()
        return { ok: false, durationMs, logs, error: outcome.error }
      }
      if (this.#state !== 'initializing') {
        return { ok: false, durationMs, logs, error: { errorType: 'Runtime.ExitError', errorMessage: `Environment ${this.id} was ${this.#state} during INIT`, trace: [] } }
      }
      this.#state = 'ready'
      return { ok: true, durationMs, logs }
    } finally {
      this.#clearDeadline()
      this.#driver?.freeze()
    }
  }

  async invoke(invocation: Invocation): Promise<EnvironmentInvokeResult> {
    this.#assertState('ready', 'invoke')
    this.#state = 'busy'
    this.#requestId = invocation.requestId
    this.#armDeadline(invocation.deadlineMs, this.#spec.config.timeoutMs)
    try {
      this.#driver?.thaw()
      const outcome = await this.#session.invoke(invocation)
      return { outcome, logs: this.#takeLogs(), maxMemoryUsedBytes: this.#memory.buffer.byteLength }
    } finally {
      this.#clearDeadline()
      this.#driver?.freeze()
      this.#requestId = undefined
      if (this.#state === 'busy') this.#state = 'ready'
    }
  }

  dispose(): void {
    if (this.#state === 'disposed') return
    this.#driver?.halt()
    this.#session.close()
    this.#clearDeadline()
    this.#state = 'disposed'
  }

  [Symbol.dispose](): void {
    this.dispose()
  }

  #bootGuest(): void {
    const ctx = this.#ctx
    installHostBindings(ctx, this.#spec.pkg, this.#spec.resolver, this.#guest.chunks)
    installModuleLoader(this.#runtime, this.#spec.pkg, this.#spec.resolver)
    this.#runtime.setInterruptHandler(() => {
      if (Date.now() <= this.#deadlineMs) return false
      this.#driver?.interrupt()
      return true
    })
    const evaluated = ctx.evalCode(this.#guest.runtime, 'thaw:runtime', { type: 'global' })
    if (evaluated.error !== undefined) {
      const cause = ctx.dump(evaluated.error)
      evaluated.error.dispose()
      throw new ThawError('THAW_ENGINE_FAILURE', `The guest runtime failed to start: ${JSON.stringify(cause)}`)
    }
    evaluated.value.dispose()
    const driver = new GuestDriver(ctx, this.#runtime, {
      log: (line) => this.#logs.push(line),
      exit: (status) => this.#end(platformErrors.exit(this.#requestId ?? 'init', status)),
      fatal: (cause) => this.#end(this.#classifyFatal(cause)),
      afterDrive: (stalled) => {
        // INIT waits on nothing that can ever settle (an unsettled top-level await): Node exits 13.
        if (stalled && this.#session.state === 'initializing') this.#end(platformErrors.exit('init', 13))
      },
    })
    driver.bind(this.#session)
    this.#driver = driver
    driver.thaw()
    const boot: GuestBootConfig = {
      env: { ...this.#spec.env, AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName },
      handler: this.#spec.config.handler,
      logFormat: this.#spec.config.logFormat,
      logLevel: this.#spec.config.applicationLogLevel,
    }
    driver.start(JSON.stringify(boot))
  }

  /** Ends INIT or the invocation in flight with a platform error; the environment is done. */
  #end(error: FunctionError): void {
    this.#break()
    this.#session.abort(error)
  }

  #break(): void {
    if (this.#state === 'disposed') return
    this.#state = 'broken'
    this.#driver?.halt()
  }

  #classifyFatal(cause: unknown): FunctionError {
    const requestId = this.#requestId ?? 'init'
    if (Date.now() > this.#deadlineMs) return platformErrors.timeout(requestId, this.#timeoutMs)
    const text = String((cause as { message?: unknown } | null)?.message ?? JSON.stringify(cause))
    const atCap = this.#memory.buffer.byteLength >= this.#spec.config.memoryMb * 1024 * 1024
    if (atCap || /out of memory|Cannot enlarge memory|memory access out of bounds/i.test(text)) {
      return platformErrors.outOfMemory(requestId)
    }
    return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${text}`, trace: [] }
  }

  #armDeadline(deadlineMs: number, timeoutMs: number): void {
    this.#deadlineMs = deadlineMs
    this.#timeoutMs = timeoutMs
    this.#deadlineTimer = setTimeout(() => {
      this.#end(platformErrors.timeout(this.#requestId ?? 'init', timeoutMs))
    }, Math.max(0, deadlineMs - Date.now()))
  }

  #clearDeadline(): void {
    if (this.#deadlineTimer !== undefined) clearTimeout(this.#deadlineTimer)
    this.#deadlineTimer = undefined
    this.#deadlineMs = Number.POSITIVE_INFINITY
  }

  #takeLogs(): string[] {
    const logs = this.#logs
    this.#logs = []
    return logs
  }

  #assertState(expected: State, operation: string): void {
    if (this.#state === 'disposed') throw new ThawError('THAW_DISPOSED', `Environment ${this.id} was disposed; cannot ${operation}`)
    if (this.#state !== expected) {
      throw new ThawError('THAW_INVALID_STATE_TRANSITION', `Environment ${this.id} is ${this.#state}; cannot ${operation}`)
    }
  }
}
