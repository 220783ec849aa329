import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { startRuntimeApiServer, type RuntimeApiHttpServer } from '../../../runtime-api/http-server.js'
import { RuntimeApiSession, type Invocation, type InvocationOutcome } from '../../../runtime-api/session.js'
import { ThawError, type FunctionError } from '../../errors.js'
import {
  assertEnvironmentState,
  platformErrors,
  type EnvironmentInvokeResult,
  type EnvironmentSpec,
  type ExecutionEnvironment,
  type InitOptions,
  type InitResult,
} from '../environment.js'
import { processEnvironment } from './process-env.js'
import { RuntimeProcess } from './runtime-process.js'
import { createTaskFolder, removeTaskFolder, type TaskFolder } from './task-folder.js'

/** Lambda's limit for an on-demand INIT phase. */
export const INIT_TIMEOUT_MS = 10_000
/**
 * How long to wait for the last output of a runtime that has exited (or was killed): a process
 * it started outside its group could hold the pipes open for ever.
 */
const OUTPUT_DRAIN_LIMIT_MS = 2_000

type State = 'created' | 'initializing' | 'ready' | 'busy' | 'broken' | 'disposed'

/**
 * One execution environment of a custom runtime (`provided`): one child process running the
 * package's `bootstrap` (or the configured command), with its own Runtime API server on
 * 127.0.0.1 and its own task folder. INIT lasts until the runtime first asks for an invocation.
 * A timeout kills the process group; a runtime that exits ends what it was doing with
 * Runtime.ExitError; either way the environment is spent and the pool starts a fresh one.
 *
 * Nothing is sandboxed: the process runs as the host's user, with the host's filesystem and
 * network, and its memory is not capped.
 */
export class ProcessEnvironment implements ExecutionEnvironment {
  readonly id = randomBytes(16).toString('hex')
  readonly #spec: EnvironmentSpec
  readonly #folder: TaskFolder
  readonly #session: RuntimeApiSession
  readonly #server: RuntimeApiHttpServer
  #process: RuntimeProcess | undefined
  #state: State = 'created'
  #logs: string[] = []
  #timer: NodeJS.Timeout | undefined

  private constructor(spec: EnvironmentSpec, folder: TaskFolder, session: RuntimeApiSession, server: RuntimeApiHttpServer) {
    this.#spec = spec
    this.#folder = folder
    this.#session = session
    this.#server = server
  }

  static async create(spec: EnvironmentSpec): Promise<ProcessEnvironment> {
    const folder = await createTaskFolder(spec.pkg)
    try {
      const session = new RuntimeApiSession()
      return new ProcessEnvironment(spec, folder, session, await startRuntimeApiServer(session))
    } catch (error) {
      removeTaskFolder(folder)
      throw error
    }
  }

  /** Also false once an idle runtime has exited on its own (its session is then closed). */
  get reusable(): boolean {
    return this.#state === 'ready' && !this.#runtimeGone()
  }

  /** The log stream this environment writes to: `YYYY/MM/DD/[version]id`. */
  get logStreamName(): string {
    const date = new Date().toISOString().slice(0, 10).replaceAll('-', '/')
    return `${date}/[${this.#spec.version}]${this.id}`
  }

  /** The environment's private folder (code, layers, TMPDIR); gone once disposed. */
  get folder(): TaskFolder {
    return this.#folder
  }

  async init(options: InitOptions = {}): Promise<InitResult> {
    this.#assertState('created', 'init')
    if (options.toSnapshotPoint === true) {
      // Config validation refuses SnapStart for provided functions; reaching here is a host bug.
      throw new ThawError('THAW_INVALID_STATE_TRANSITION', 'A process runtime cannot be snapshotted')
    }
    this.#state = 'initializing'
    const startedAt = performance.now()
    const entry = this.#entrypoint()
    if (entry === undefined) {
      this.#state = 'broken'
      const error: FunctionError = {
        errorType: 'Runtime.InvalidEntrypoint',
        errorMessage: "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]",
        trace: [],
      }
      return { ok: false, phase: 'init', durationMs: performance.now() - startedAt, logs: [], error }
    }
    const runtime = RuntimeProcess.start(this.#session, {
      command: entry.command,
      args: entry.args,
      cwd: this.#folder.task,
      env: processEnvironment(this.#spec.env, this.#spec.config.env, this.#folder, this.logStreamName),
      runtimeApiAddress: this.#server.address,
      onLogLine: (line) => this.#logs.push(line),
    })
    this.#process = runtime
    this.#timer = setTimeout(() => this.#kill(platformErrors.timeout('init', INIT_TIMEOUT_MS)), INIT_TIMEOUT_MS)
    const outcome = await this.#session.initialized
    this.#clearTimer()
    if (outcome.ok && this.#state === 'initializing') {
      this.#state = 'ready'
      // Lines written before the first `next` are in the pipe already: let them land.
      await nextTurn()
      return { ok: true, phase: 'init', durationMs: performance.now() - startedAt, logs: this.#takeLogs() }
    }
    const error: FunctionError = outcome.ok
      ? { errorType: 'Runtime.ExitError', errorMessage: `Environment ${this.id} was ${this.#state} during init`, trace: [] }
      : outcome.error
    // Lambda stops a runtime whose INIT failed; its last words belong to the INIT log.
    if (!this.#isDisposed()) this.#state = 'broken'
    await this.#stopAndDrain()
    return { ok: false, phase: 'init', durationMs: performance.now() - startedAt, logs: this.#takeLogs(), error }
  }

  async invoke(invocation: Invocation): Promise<EnvironmentInvokeResult> {
    this.#assertState('ready', 'invoke')
    this.#state = 'busy'
    const runtime = this.#process as RuntimeProcess
    if (this.#runtimeGone()) {
      // The runtime exited while idle, after the pool picked this environment.
      this.#state = 'broken'
      const error = platformErrors.exit(invocation.requestId, (await runtime.exited).code ?? 1)
      return { outcome: { kind: 'error', error, body: JSON.stringify(error) }, logs: this.#takeLogs(), maxMemoryUsedBytes: 0, fuelUsed: 0 }
    }
    const pending = this.#session.invoke(invocation)
    const { timeoutMs } = this.#spec.config
    this.#timer = setTimeout(
      () => this.#kill(platformErrors.timeout(invocation.requestId, timeoutMs)),
      Math.max(0, invocation.deadlineMs - Date.now()),
    )
    let outcome: InvocationOutcome
    try {
      outcome = await pending
    } finally {
      this.#clearTimer()
    }
    const maxMemoryUsedBytes = runtime.peakMemoryBytes()
    // A closed session means the runtime exited or was killed: this environment is spent.
    if (this.#runtimeGone()) {
      if (this.#state === 'busy') this.#state = 'broken'
      await this.#stopAndDrain()
    } else {
      if (this.#state === 'busy') this.#state = 'ready'
      // Lines written before the response was posted are in the pipe already: let them land.
      await nextTurn()
    }
    return { outcome, logs: this.#takeLogs(), maxMemoryUsedBytes, fuelUsed: 0 }
  }

  dispose(): void {
    if (this.#state === 'disposed') return
    this.#state = 'disposed'
    this.#clearTimer()
    this.#session.close()
    void this.#process?.kill()
    void this.#server.destroy()
    removeTaskFolder(this.#folder)
  }

  [Symbol.dispose](): void {
    this.dispose()
  }

  /** The package's bootstrap, else the layers', unless a command is configured. */
  #entrypoint(): { command: string; args: string[] } | undefined {
    const configured = this.#spec.config.command
    if (configured !== undefined) {
      const [command = '', ...args] = configured
      // A relative path is the package's (spawn alone would resolve it against the host's cwd).
      const resolved = command.includes('/') ? path.resolve(this.#folder.task, command) : command
      return { command: resolved, args }
    }
    for (const root of [this.#folder.task, this.#folder.opt]) {
      const bootstrap = path.join(root, 'bootstrap')
      if (existsSync(bootstrap)) return { command: bootstrap, args: [] }
    }
    return undefined
  }

  /** Ends INIT or the invocation in flight with a platform error and kills the process group. */
  #kill(error: FunctionError): void {
    if (this.#state === 'disposed') return
    this.#state = 'broken'
    this.#session.abort(error)
    void this.#process?.kill()
  }

  /** Kills what is left of the runtime and waits (bounded) for its last output lines. */
  async #stopAndDrain(): Promise<void> {
    const runtime = this.#process
    if (runtime === undefined) return
    void runtime.kill()
    let limit: NodeJS.Timeout | undefined
    await Promise.race([runtime.closed, new Promise<void>((resolve) => (limit = setTimeout(resolve, OUTPUT_DRAIN_LIMIT_MS)))])
    clearTimeout(limit)
  }

  /** The session closes when the runtime exits or is killed (RuntimeProcess aborts it). */
  #runtimeGone(): boolean {
    return this.#session.state === 'closed'
  }

  /** A method, not a comparison in place: TypeScript would keep `#state` narrowed across awaits. */
  #isDisposed(): boolean {
    return this.#state === 'disposed'
  }

  #clearTimer(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
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
