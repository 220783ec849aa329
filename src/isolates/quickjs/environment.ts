import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { QuickJSContext, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten-core'
import type { GuestBootConfig } from '../../../runtime-api/in-process-protocol.js'
import { RuntimeApiSession, type Invocation, type InvocationOutcome } from '../../../runtime-api/session.js'
import { EgressPolicy } from '../../egress/egress-policy.js'
import { HostFetcher } from '../../egress/host-fetch.js'
import { ThawError, type FunctionError } from '../../errors.js'
import { captureMemoryImage, restoreMemoryImage } from '../../snapshots/memory-image.js'
import type { Snapshot, SnapshotMetadata } from '../../snapshots/snapshot.js'
import {
  assertEnvironmentState,
  platformErrors,
  type EnvironmentInvokeResult,
  type EnvironmentSpec,
  type ExecutionEnvironment,
  type InitOptions,
  type InitResult,
} from '../environment.js'
import type { QuickJsEngine } from './engine.js'
import {
  adoptContext,
  adoptHandle,
  adoptRuntime,
  contextPointer,
  handlePointer,
  hostFunctionIds,
  restoreHostFunctions,
  runtimePointer,
} from './engine-internals.js'
import { installModuleLoader } from './esm-loader.js'
import { FUEL_PER_MS, Meter } from './meter.js'
import type { GuestArtifacts } from './guest-artifact.js'
import { GuestDriver, type DriverSink } from './guest-driver.js'
import { createHostBindings, installHostBindings, type HostBindingTable } from './host-bindings.js'
import { hostWorkLimits } from './host-work.js'

/** Lambda's limit for an on-demand INIT phase, and for a SnapStart restore. */
export const INIT_TIMEOUT_MS = 10_000
/** QuickJS's own stack guard: deep recursion becomes a catchable error, not a Wasm trap. */
// Measured: past ~448 KiB the Wasm frames overflow V8's own stack first (a host RangeError).
const MAX_STACK_BYTES = 320 * 1024

type State = 'created' | 'initializing' | 'snapshot-ready' | 'ready' | 'busy' | 'broken' | 'disposed'

interface Instance {
  readonly module: QuickJSWASMModule
  readonly memory: WebAssembly.Memory
  readonly runtime: QuickJSRuntime
  readonly ctx: QuickJSContext
  onHeapExhausted: () => void
}

/**
 * One execution environment running JavaScript in its own QuickJS instance (own Wasm memory,
 * own runtime and context), with Thaw's guest runtime inside. It is born either fresh (INIT runs
 * the function's code) or restored from a snapshot (the heap is copied in; only the
 * after-restore hooks run).
 *
 * Disposal drops the whole Wasm instance rather than freeing QuickJS objects one by one: the
 * memory goes with the instance, which is faster and cannot trip QuickJS's leak assertions on
 * an environment that died mid-invocation.
 */
export class QuickJsEnvironment implements ExecutionEnvironment {
  readonly id: string
  readonly #spec: EnvironmentSpec
  readonly #guest: GuestArtifacts
  readonly #instance: Instance
  readonly #bindings: HostBindingTable
  /** Set for an environment made from a snapshot, until it has resumed. */
  #restoredFrom: Snapshot | undefined
  #driver: GuestDriver | undefined
  #session: RuntimeApiSession
  #state: State = 'created'
  #logs: string[] = []
  /** The deadline and fuel of the current phase (INIT, restore, or one invocation). */
  readonly #meter = new Meter()
  #requestId: string | undefined
  /** The Wasm heap could not grow: the guest is out of memory, whatever it did about it. */
  #heapExhausted = false
  /** The guest's fetches, made on its first one. */
  #hostFetcher: HostFetcher | undefined

  private constructor(spec: EnvironmentSpec, guest: GuestArtifacts, instance: Instance, restoredFrom?: Snapshot) {
    this.id = randomBytes(16).toString('hex')
    this.#spec = spec
    this.#guest = guest
    this.#instance = instance
    this.#restoredFrom = restoredFrom
    this.#session = new RuntimeApiSession({ restoring: restoredFrom !== undefined })
    // Host work that finds the deadline passed stops the guest as its interrupt handler would.
    const limits = hostWorkLimits(spec.config.memoryMb * 1024 * 1024, () => this.#meter.remainingMs, () => this.#driver?.interrupt())
    const loadedModules = new Set<string>()
    this.#bindings = createHostBindings(instance.ctx, {
      pkg: spec.pkg,
      resolver: spec.resolver,
      chunks: guest.chunks,
      memory: instance.memory,
      io: {
        fetchStart: (id, request, body) => this.#fetcher().start(id, request, body),
        cancel: (id) => this.#hostFetcher?.cancel(id),
      },
      limits,
      loadedModules,
    })
    installModuleLoader(instance.runtime, spec.pkg, spec.resolver, loadedModules)
    instance.runtime.setInterruptHandler(() => {
      if (!this.#meter.poll()) return false
      this.#driver?.interrupt()
      return true
    })
    instance.onHeapExhausted = () => {
      this.#heapExhausted = true
      this.#driver?.interrupt()
    }
  }

  static async create(engine: QuickJsEngine, guest: GuestArtifacts, spec: EnvironmentSpec): Promise<QuickJsEnvironment> {
    const instance = await engine.instantiate(spec.config.memoryMb)
    const runtime = instance.module.newRuntime()
    runtime.setMaxStackSize(MAX_STACK_BYTES)
    // QuickJS's own allocation limit guards single huge allocations; the memory maximum is the cap.
    runtime.setMemoryLimit(spec.config.memoryMb * 1024 * 1024)
    return new QuickJsEnvironment(spec, guest, Object.assign(instance, { runtime, ctx: runtime.newContext() }))
  }

  /** An environment whose heap is `snapshot`'s; `init()` then resumes it instead of running INIT. */
  static async restore(engine: QuickJsEngine, guest: GuestArtifacts, spec: EnvironmentSpec, snapshot: Snapshot): Promise<QuickJsEnvironment> {
    let instance = engine.takeRestored(snapshot.image)
    if (instance === undefined) {
      const [fresh, dirtyPages] = await Promise.all([
        engine.instantiate(spec.config.memoryMb, snapshot.image.wasmPages),
        engine.freshDirtyPages(),
      ])
      restoreMemoryImage(fresh.memory, snapshot.image, dirtyPages)
      instance = fresh
    }
    const runtime = adoptRuntime(instance.module, snapshot.state.runtimePointer)
    const ctx = adoptContext(runtime, snapshot.state.contextPointer)
    return new QuickJsEnvironment(spec, guest, Object.assign(instance, { runtime, ctx }), snapshot)
  }

  get reusable(): boolean {
    return this.#state === 'ready'
  }

  /** The log stream this environment writes to: `YYYY/MM/DD/[version]id`. */
  get logStreamName(): string {
    const date = new Date().toISOString().slice(0, 10).replaceAll('-', '/')
    return `${date}/[${this.#spec.version}]${this.id}`
  }

  async init(options: InitOptions = {}): Promise<InitResult> {
    this.#assertState('created', 'init')
    this.#state = 'initializing'
    const phase = this.#restoredFrom === undefined ? 'init' : 'restore'
    const startedAt = performance.now()
    this.#startPhase(Date.now() + INIT_TIMEOUT_MS, INIT_TIMEOUT_MS, INIT_TIMEOUT_MS * FUEL_PER_MS)
    this.#meter.armTimer()
    try {
      if (phase === 'restore') this.#resumeGuest()
      else this.#bootGuest(options.toSnapshotPoint === true)
      const outcome = await this.#session.initialized
      const durationMs = performance.now() - startedAt
      const logs = this.#takeLogs()
      if (!outcome.ok) {
        this.#break()
        return { ok: false, phase, durationMs, logs, error: outcome.error }
      }
      if (this.#state !== 'initializing') {
        const error = { errorType: 'Runtime.ExitError', errorMessage: `Environment ${this.id} was ${this.#state} during ${phase}`, trace: [] }
        return { ok: false, phase, durationMs, logs, error }
      }
      this.#state = outcome.atSnapshotPoint === true ? 'snapshot-ready' : 'ready'
      return { ok: true, phase, durationMs, logs }
    } finally {
      this.#meter.stop()
      this.#driver?.freeze()
      this.#restoredFrom = undefined
    }
  }

  /**
   * The environment as a snapshot, once INIT has parked it in restore/next. The environment
   * must not run again afterwards: dispose it.
   */
  captureSnapshot(metadata: Omit<SnapshotMetadata, 'initDurationMs'>, initDurationMs: number): Snapshot {
    this.#assertState('snapshot-ready', 'snapshot')
    const driver = this.#driver as GuestDriver
    const { runtime, ctx, memory } = this.#instance
    return {
      metadata: { ...metadata, initDurationMs },
      state: {
        runtimePointer: runtimePointer(runtime),
        contextPointer: contextPointer(ctx),
        entryPointers: driver.entryHandles.map(handlePointer),
        hostFunctionIds: hostFunctionIds(runtime, this.#bindings.map(([, fn]) => fn)),
      },
      image: captureMemoryImage(memory),
    }
  }

  async invoke(invocation: Invocation): Promise<EnvironmentInvokeResult> {
    this.#assertState('ready', 'invoke')
    this.#state = 'busy'
    this.#requestId = invocation.requestId
    const { timeoutMs, maxFuel, memoryMb } = this.#spec.config
    this.#startPhase(invocation.deadlineMs, timeoutMs, maxFuel ?? timeoutMs * FUEL_PER_MS)
    try {
      this.#driver?.thaw()
      const outcome = this.#session.invoke(invocation)
      // Delivery ran the guest already; only an invocation still pending needs the timer.
      if (this.#session.currentRequestId === invocation.requestId) this.#meter.armTimer()
      return this.#finishInvoke(await outcome, memoryMb)
    } finally {
      this.#meter.stop()
      this.#driver?.freeze()
      this.#requestId = undefined
      if (this.#state === 'busy') this.#state = 'ready'
    }
  }

  #finishInvoke(outcome: InvocationOutcome, memoryMb: number): EnvironmentInvokeResult {
    // Out of memory: the heap reached the cap, even if the last failed allocation left it below.
    const maxMemoryUsedBytes = this.#heapExhausted ? memoryMb * 1024 * 1024 : this.#instance.memory.buffer.byteLength
    return { outcome, logs: this.#takeLogs(), maxMemoryUsedBytes, fuelUsed: this.#meter.fuelUsed }
  }

  dispose(): void {
    if (this.#state === 'disposed') return
    this.#hostFetcher?.dispose()
    this.#driver?.halt()
    this.#session.close()
    this.#meter.stop()
    this.#state = 'disposed'
  }

  [Symbol.dispose](): void {
    this.dispose()
  }

  #bootGuest(toSnapshotPoint: boolean): void {
    const { ctx } = this.#instance
    installHostBindings(ctx, this.#bindings)
    const evaluated = ctx.evalCode(this.#guest.runtime, 'thaw:runtime', { type: 'global' })
    if (evaluated.error !== undefined) {
      const cause = ctx.dump(evaluated.error)
      evaluated.error.dispose()
      throw new ThawError('THAW_ENGINE_FAILURE', `The guest runtime failed to start: ${JSON.stringify(cause)}`)
    }
    evaluated.value.dispose()
    const driver = GuestDriver.attach(ctx, this.#instance.runtime, this.#sink())
    this.#startDriver(driver)
    const boot: GuestBootConfig = {
      env: {
        ...this.#spec.env,
        // SnapStart functions have no log stream name (lambda-interfaces §5).
        ...(toSnapshotPoint ? { AWS_LAMBDA_INITIALIZATION_TYPE: 'snap-start' } : { AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName }),
      },
      handler: this.#spec.config.handler,
      logFormat: this.#spec.config.logFormat,
      logLevel: this.#spec.config.applicationLogLevel,
      snapStart: toSnapshotPoint,
      randomSeed: randomBytes(16).toString('hex'),
    }
    driver.start(JSON.stringify(boot))
  }

  #resumeGuest(): void {
    const snapshot = this.#restoredFrom as Snapshot
    const { ctx, runtime } = this.#instance
    restoreHostFunctions(runtime, this.#bindings.map(([, fn]) => fn), snapshot.state.hostFunctionIds)
    const entries = snapshot.state.entryPointers.map((pointer) => adoptHandle(ctx, pointer))
    const driver = GuestDriver.adopt(ctx, runtime, this.#sink(), entries)
    this.#startDriver(driver)
    driver.resume(randomBytes(16).toString('hex'))
  }

  #startDriver(driver: GuestDriver): void {
    driver.bind(this.#session)
    this.#driver = driver
    driver.thaw()
  }

  #sink(): DriverSink {
    return {
      log: (line) => this.#logs.push(line),
      exit: (status) => this.#end(platformErrors.exit(this.#requestId ?? 'init', status)),
      fatal: (cause) => this.#end(this.#classifyFatal(cause)),
      afterDrive: (stalled) => {
        // INIT waits on nothing that can ever settle (an unsettled top-level await): Node exits 13.
        const starting = this.#session.state === 'initializing' || this.#session.state === 'restoring'
        if (stalled && starting) this.#end(platformErrors.exit('init', 13))
      },
      ioInFlight: () => (this.#hostFetcher?.inFlight ?? 0) > 0,
    }
  }

  #fetcher(): HostFetcher {
    const { egress } = this.#spec.config
    this.#hostFetcher ??= new HostFetcher({
      policy: new EgressPolicy(egress.allow),
      maxResponseBodyBytes: egress.maxResponseBodyMb * 1024 * 1024,
      deadlineMs: () => this.#meter.deadlineMs,
      onEvent: (event) => this.#driver?.deliverIo(event),
      onDenied: (line) => this.#logs.push(line),
    })
    return this.#hostFetcher
  }

  /** Ends INIT or the invocation in flight with a platform error; the environment is done. */
  #end(error: FunctionError): void {
    this.#break()
    this.#session.abort(error)
  }

  #break(): void {
    if (this.#state === 'disposed') return
    this.#state = 'broken'
    this.#hostFetcher?.dispose()
    this.#driver?.halt()
  }

  #classifyFatal(cause: unknown): FunctionError {
    const requestId = this.#requestId ?? 'init'
    if (this.#heapExhausted) return platformErrors.outOfMemory(requestId)
    if (this.#meter.exhausted !== undefined) return this.#timeoutError()
    const text = String((cause as { message?: unknown } | null)?.message ?? JSON.stringify(cause))
    const atCap = this.#instance.memory.buffer.byteLength >= this.#spec.config.memoryMb * 1024 * 1024
    if (atCap || /out of memory|Cannot enlarge memory|memory access out of bounds/i.test(text)) {
      return platformErrors.outOfMemory(requestId)
    }
    return { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${text}`, trace: [] }
  }

  #timeoutError(): FunctionError {
    const { timeoutMs } = this.#meter
    if (this.#requestId === undefined && this.#restoredFrom !== undefined) return platformErrors.restoreTimeout(timeoutMs)
    return platformErrors.timeout(this.#requestId ?? 'init', timeoutMs)
  }

  #startPhase(deadlineMs: number, timeoutMs: number, fuelBudget: number): void {
    this.#meter.start(deadlineMs, timeoutMs, fuelBudget, () => this.#end(this.#timeoutError()))
  }

  #takeLogs(): string[] {
    const logs = this.#logs
    this.#logs = []
    return logs
  }

  #assertState(expected: State, operation: string): void {
    assertEnvironmentState(this.id, this.#state, expected, operation)
  }
}
