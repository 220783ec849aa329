import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import type { FunctionError } from '../../errors.js'
import type { RuntimeApiSession } from '../../../runtime-api/session.js'

/**
 * A custom runtime (`runtime: 'provided'`) as a child process: the `bootstrap` executable talks
 * to the Runtime API over HTTP at AWS_LAMBDA_RUNTIME_API. One process is one execution
 * environment, bound to one RuntimeApiSession. Nothing here is sandboxed: the process runs with
 * the host user's rights.
 *
 * Its exit is the platform's business: an exit the session did not ask for ends INIT or the
 * invocation in flight with Runtime.ExitError, as Lambda reports a crashed runtime.
 */

/** Lambda's PATH for custom runtimes (used when the environment gives none). */
export const LAMBDA_PATH = '/usr/local/bin:/usr/bin/:/bin:/opt/bin'

export interface RuntimeProcessOptions {
  /** The executable, e.g. `<package>/bootstrap`. */
  readonly command: string
  readonly args?: readonly string[]
  /** The working directory (LAMBDA_TASK_ROOT). */
  readonly cwd: string
  /**
   * The function's whole environment (Lambda's reserved variables included). The host's own
   * environment is not inherited: a function sees only what Lambda would give it.
   */
  readonly env: Readonly<Record<string, string>>
  /** `host:port` of the Runtime API server serving `session`. */
  readonly runtimeApiAddress: string
  /** Each line the runtime writes to stdout or stderr (the function's log). */
  readonly onLogLine?: (line: string) => void
}

export interface RuntimeExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export class RuntimeProcess {
  readonly #child: ChildProcess
  readonly #session: RuntimeApiSession
  /** Settles when the process has exited (or could not start: code null, signal null). */
  readonly exited: Promise<RuntimeExit>
  /**
   * Settles once its stdout and stderr have ended too, so every line it wrote has been passed
   * to onLogLine (a process that exits may still have output in the pipes).
   */
  readonly closed: Promise<void>

  private constructor(child: ChildProcess, session: RuntimeApiSession) {
    this.#child = child
    this.#session = session
    this.exited = new Promise((resolve) => {
      child.once('error', (error) => {
        this.#session.abort({ errorType: 'Runtime.InvalidEntrypoint', errorMessage: error.message, trace: [] })
        resolve({ code: null, signal: null })
      })
      child.once('exit', (code, signal) => {
        this.#session.abort(exitError(this.#session.currentRequestId, code, signal))
        resolve({ code, signal })
      })
    })
    this.closed = new Promise((resolve) => {
      child.once('close', () => resolve())
      child.once('error', () => resolve())
    })
  }

  /** Starts the runtime; INIT is under way once this returns (watch `session.initialized`). */
  static start(session: RuntimeApiSession, options: RuntimeProcessOptions): RuntimeProcess {
    const child = spawn(options.command, options.args ?? [], {
      cwd: options.cwd,
      env: { PATH: LAMBDA_PATH, ...options.env, AWS_LAMBDA_RUNTIME_API: options.runtimeApiAddress },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so that kill() reaches what the runtime started too (curl, …).
      detached: true,
    })
    const runtime = new RuntimeProcess(child, session)
    for (const stream of [child.stdout, child.stderr]) {
      if (stream === null) continue
      const lines = createInterface({ input: stream, crlfDelay: Infinity })
      lines.on('line', (line) => options.onLogLine?.(line))
    }
    return runtime
  }

  get pid(): number | undefined {
    return this.#child.pid
  }

  /**
   * The runtime process's peak resident memory (VmHWM in /proc, Linux), in bytes; 0 where that
   * cannot be read (another OS, or the process is gone). Processes it started are not counted.
   */
  peakMemoryBytes(): number {
    const pid = this.#child.pid
    if (pid === undefined) return 0
    try {
      const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      return match === null ? 0 : Number(match[1]) * 1024
    } catch {
      return 0
    }
  }

  /**
   * Kills the process group with SIGKILL (Lambda's way after a timeout or at shutdown) and
   * resolves once the runtime has exited.
   */
  kill(): Promise<RuntimeExit> {
    const pid = this.#child.pid
    if (pid !== undefined && this.#child.exitCode === null && this.#child.signalCode === null) {
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    return this.exited
  }
}

/** Lambda's wording: "RequestId: … Error: Runtime exited with error: exit status 3" or "signal: killed". */
function exitError(requestId: string | undefined, code: number | null, signal: NodeJS.Signals | null): FunctionError {
  const reason = code !== null ? `exit status ${code}` : `signal: ${signal === 'SIGKILL' ? 'killed' : (signal ?? 'unknown')}`
  const prefix = requestId === undefined ? '' : `RequestId: ${requestId} `
  return { errorType: 'Runtime.ExitError', errorMessage: `${prefix}Error: Runtime exited with error: ${reason}`, trace: [] }
}
