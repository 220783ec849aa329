import type { FunctionConfig } from '../config/function-config.js'
import { ThawError, type FunctionError } from '../errors.js'
import type { CodePackage } from '../functions/code-package.js'
import type { ModuleResolver } from '../functions/module-resolver.js'
import type { Invocation, InvocationOutcome } from '../../runtime-api/session.js'

/**
 * The contract between the host and a backend (quickjs today, wasm later): a backend makes
 * execution environments; an environment runs INIT once and then one invocation at a time.
 * Guest failures come back as values; only host bugs throw.
 */

/** Everything an environment needs to know about the function version it serves. */
export interface EnvironmentSpec {
  readonly config: FunctionConfig
  readonly pkg: CodePackage
  readonly resolver: ModuleResolver
  /** `$LATEST` or a version number. */
  readonly version: string
  /** The complete process environment of the function: Lambda's reserved variables included. */
  readonly env: Readonly<Record<string, string>>
}

/** How an environment became ready: INIT ran, or it was restored from a snapshot. */
export type StartPhase = 'init' | 'restore'

export type InitResult =
  | { readonly ok: true; readonly phase: StartPhase; readonly durationMs: number; readonly logs: readonly string[] }
  | {
      readonly ok: false
      readonly phase: StartPhase
      readonly durationMs: number
      readonly logs: readonly string[]
      readonly error: FunctionError
    }

export interface InitOptions {
  /** SnapStart: end INIT at restore/next (after the before-snapshot hooks) instead of next. */
  readonly toSnapshotPoint?: boolean
}

export interface EnvironmentInvokeResult {
  readonly outcome: InvocationOutcome
  /** The function's own log lines written during this invocation. */
  readonly logs: readonly string[]
  /** The environment's Wasm memory high-water mark, in bytes. */
  readonly maxMemoryUsedBytes: number
  /** Guest work metered during this invocation, in fuel units (QuickJS interrupt polls). */
  readonly fuelUsed: number
}

export interface ExecutionEnvironment extends Disposable {
  readonly id: string
  /** False once the environment must not serve again (timed out, crashed, exited, disposed). */
  readonly reusable: boolean
  /** Runs INIT, or for an environment restored from a snapshot, the after-restore phase. */
  init(options?: InitOptions): Promise<InitResult>
  invoke(invocation: Invocation): Promise<EnvironmentInvokeResult>
  dispose(): void
}

export interface Backend {
  readonly runtime: FunctionConfig['runtime']
  createEnvironment(spec: EnvironmentSpec): Promise<ExecutionEnvironment>
}

/** Refuses an operation on an environment that is not in the state it needs (or is disposed). */
export function assertEnvironmentState(id: string, state: string, expected: string, operation: string): void {
  if (state === 'disposed') throw new ThawError('THAW_DISPOSED', `Environment ${id} was disposed; cannot ${operation}`)
  if (state !== expected) throw new ThawError('THAW_INVALID_STATE_TRANSITION', `Environment ${id} is ${state}; cannot ${operation}`)
}

/** Lambda's wording for the platform errors an environment can end an invocation with. */
export const platformErrors = {
  timeout(requestId: string, timeoutMs: number): FunctionError {
    return {
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`,
      trace: [],
    }
  },
  exit(requestId: string, status: number): FunctionError {
    return {
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${status}`,
      trace: [],
    }
  },
  /** Lambda's limit for a SnapStart restore (after-restore hooks included) is 10 s. */
  restoreTimeout(timeoutMs: number): FunctionError {
    return {
      errorType: 'SnapStartTimeoutException',
      errorMessage: `Restoring the snapshot took longer than ${(timeoutMs / 1000).toFixed(2)} seconds`,
      trace: [],
    }
  },
  outOfMemory(requestId: string): FunctionError {
    return {
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
      trace: [],
    }
  },
}
