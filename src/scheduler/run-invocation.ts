import { performance } from 'node:perf_hooks'
import type { Invocation } from '../../runtime-api/session.js'
import type { FunctionError } from '../errors.js'
import type { EnvironmentPool } from './environment-pool.js'
import type { LogFormat, InvocationReport, InvocationStatus } from '../telemetry/platform-log.js'
import { endLine, initReportLine, initStartLine, reportLine, restoreReportLine, restoreStartLine, startLine } from '../telemetry/platform-log.js'
import type { InitResult } from '../isolates/environment.js'

/** What one invocation produced, as the embedding API returns it. */
export type InvokeResult =
  | (InvokeResultBase & { readonly ok: true; readonly payload: unknown })
  | (InvokeResultBase & { readonly ok: false; readonly error: FunctionError })

interface InvokeResultBase {
  readonly requestId: string
  /** The response or error body exactly as the runtime posted it. */
  readonly rawPayload: string
  /**
   * The response's bytes, present only when a process runtime posted bytes that are not UTF-8
   * (`rawPayload` is then their lossy text): what the Invoke API returns, byte for byte.
   */
  readonly rawPayloadBytes?: Buffer
  /** The invocation's log: INIT output on a cold start, START, the function's lines, END, REPORT. */
  readonly logs: string
  readonly report: InvocationReport
  readonly executedVersion: string
}

export interface InvocationTarget {
  readonly pool: EnvironmentPool
  /** The function's timeout: it starts when the invocation reaches its environment, after any INIT. */
  readonly timeoutMs: number
  readonly version: string
  readonly memoryMb: number
  readonly logFormat: LogFormat
  readonly functionArn: string
  /** Named by INIT_START and RESTORE_START (`runtimeVersionOf`). */
  readonly runtimeVersion: string
}

/**
 * Runs one invocation on an environment from the pool. Lambda's log lines around it (START, END,
 * REPORT) and the parsed payload are built when first read: most callers (the Invoke API without
 * `Tail`) never read them, and at thousands of invocations a second they are a measurable share.
 */
export async function runInvocation(target: InvocationTarget, request: Omit<Invocation, 'deadlineMs'>): Promise<InvokeResult> {
  const { logFormat: format } = target
  const before: string[] = []
  const acquired = await target.pool.acquire()
  const { init } = acquired
  const snapshotInit = acquired.ok ? acquired.snapshotInit : undefined
  if (snapshotInit !== undefined) {
    before.push(initStartLine(format, target.runtimeVersion, target.functionArn), ...snapshotInit.logs, initReportLine(format, snapshotInit.durationMs))
  }
  if (init?.phase === 'restore') before.push(restoreStartLine(format, target.runtimeVersion, target.functionArn), ...init.logs, restoreReportLine(format, init.durationMs))
  else if (init !== undefined) before.push(initStartLine(format, target.runtimeVersion, target.functionArn), ...init.logs)
  // Lambda's timeout covers the invoke phase; INIT (or a restore) has limits of its own.
  const startedAtMs = Date.now()
  const invocation: Invocation = { ...request, deadlineMs: startedAtMs + target.timeoutMs }
  const run: RunRecord = { target, requestId: invocation.requestId, before, startedAtMs, functionLines: [] }

  if (!acquired.ok) {
    const error = acquired.init.error
    return finish(run, error, JSON.stringify(error), 0, 0, 0, init, statusOf(error))
  }
  const { environment } = acquired
  const startedAt = performance.now()
  try {
    const result = await environment.invoke(invocation)
    const durationMs = performance.now() - startedAt
    run.functionLines = result.logs
    const { outcome } = result
    const error = outcome.kind === 'error' ? outcome.error : undefined
    const raw = outcome.kind === 'response' ? outcome.body : outcome.body === '' ? JSON.stringify(outcome.error) : outcome.body
    const status = error === undefined || environment.reusable ? 'success' : statusOf(error)
    const bytes = outcome.kind === 'response' ? outcome.bytes : undefined
    return finish(run, error, raw, durationMs, result.maxMemoryUsedBytes, result.fuelUsed, init, status, bytes)
  } finally {
    target.pool.release(environment)
  }
}

/** What the log of one invocation is made of, kept until (and if) it is read. */
interface RunRecord {
  readonly target: InvocationTarget
  readonly requestId: string
  /** INIT or RESTORE lines of a fresh environment, already formatted. */
  readonly before: readonly string[]
  readonly startedAtMs: number
  functionLines: readonly string[]
}

function statusOf(error: FunctionError): InvocationStatus {
  return error.errorType === 'Sandbox.Timedout' ? 'timeout' : 'error'
}

function finish(
  run: RunRecord,
  error: FunctionError | undefined,
  rawPayload: string,
  durationMs: number,
  memoryBytes: number,
  fuelUsed: number,
  init: InitResult | undefined,
  status: InvocationStatus,
  rawPayloadBytes?: Buffer,
): InvokeResult {
  const { target, requestId } = run
  const started =
    init === undefined
      ? {}
      : init.phase === 'restore'
        ? { restoreDurationMs: init.durationMs, billedRestoreDurationMs: Math.max(1, Math.ceil(init.durationMs)) }
        : { initDurationMs: init.durationMs }
  const report: InvocationReport = {
    requestId,
    durationMs,
    billedDurationMs: Math.max(1, Math.ceil(durationMs)),
    memorySizeMb: target.memoryMb,
    maxMemoryUsedMb: Math.ceil(memoryBytes / (1024 * 1024)),
    fuelUsed,
    ...started,
    status,
    ...(status === 'success' || error === undefined ? {} : { errorType: error.errorType }),
  }
  const endedAtMs = Date.now()
  // Own enumerable getters (not a class): callers spread and compare results as plain objects.
  let logs: string | undefined
  const readLogs = () => (logs ??= logText(run, report, endedAtMs))
  const executedVersion = target.version
  if (error !== undefined) {
    return {
      requestId,
      rawPayload,
      report,
      executedVersion,
      get logs() {
        return readLogs()
      },
      ok: false,
      error,
    }
  }
  let parsed: { readonly value: unknown } | undefined
  return {
    requestId,
    rawPayload,
    report,
    executedVersion,
    ...(rawPayloadBytes === undefined ? {} : { rawPayloadBytes }),
    get logs() {
      return readLogs()
    },
    ok: true,
    get payload() {
      parsed ??= { value: parsePayload(rawPayload) }
      return parsed.value
    },
  }
}

function logText(run: RunRecord, report: InvocationReport, endedAtMs: number): string {
  const { target } = run
  const lines = [
    ...run.before,
    startLine(target.logFormat, run.requestId, target.version, run.startedAtMs),
    ...run.functionLines,
    endLine(target.logFormat, report, endedAtMs),
    reportLine(target.logFormat, report, endedAtMs),
  ]
  return `${lines.join('\n')}\n`
}

function parsePayload(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}
