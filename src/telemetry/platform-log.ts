/**
 * The platform's own log lines around each invocation (lambda-interfaces §4.6), in Lambda's
 * text format or as JSON system records of the Telemetry API schema.
 */

export type LogFormat = 'text' | 'json'

export type InvocationStatus = 'success' | 'error' | 'timeout'

/** What REPORT says about one invocation; also returned to the caller in the invoke result. */
export interface InvocationReport {
  readonly requestId: string
  readonly durationMs: number
  readonly billedDurationMs: number
  readonly memorySizeMb: number
  readonly maxMemoryUsedMb: number
  /** Guest work metered in this invocation (QuickJS interrupt polls, ~10,000 interpreter steps each). */
  readonly fuelUsed: number
  /** Present on a cold start: how long INIT took. */
  readonly initDurationMs?: number
  /** Present when the environment was restored from a snapshot (SnapStart): instead of INIT. */
  readonly restoreDurationMs?: number
  readonly billedRestoreDurationMs?: number
  /** `success` unless the platform ended the invocation (timeout, crash, out of memory). */
  readonly status: InvocationStatus
  readonly errorType?: string
}

/** What INIT_START and RESTORE_START name as the runtime version, per kind of runtime. */
export function runtimeVersionOf(runtime: 'quickjs' | 'provided'): string {
  return `thaw-${runtime}:0.1.0`
}

const ms = (value: number) => value.toFixed(2)

export function initStartLine(format: LogFormat, runtimeVersion: string, functionArn: string): string {
  if (format === 'json') {
    return record('platform.initStart', { initializationType: 'on-demand', phase: 'init', runtimeVersion, runtimeVersionArn: functionArn })
  }
  return `INIT_START Runtime Version: ${runtimeVersion}\tRuntime Version ARN: ${functionArn}`
}

/** After a SnapStart INIT (the snapshot's): its duration, since no invocation's REPORT carries it. */
export function initReportLine(format: LogFormat, durationMs: number): string {
  if (format === 'json') return record('platform.initReport', { initializationType: 'snap-start', phase: 'init', metrics: { durationMs: round(durationMs) } })
  return `INIT_REPORT Init Duration: ${ms(durationMs)} ms\tPhase: init\tStatus: success`
}

export function restoreStartLine(format: LogFormat, runtimeVersion: string, functionArn: string): string {
  if (format === 'json') {
    return record('platform.restoreStart', { runtimeVersion, runtimeVersionArn: functionArn })
  }
  return `RESTORE_START Runtime Version: ${runtimeVersion}\tRuntime Version ARN: ${functionArn}`
}

export function restoreReportLine(format: LogFormat, durationMs: number): string {
  if (format === 'json') return record('platform.restoreReport', { metrics: { durationMs: round(durationMs) } })
  return `RESTORE_REPORT Restore Duration: ${ms(durationMs)} ms`
}

/** `atMs` (epoch ms) dates a JSON record written after the fact; the lines of an invocation are built when read. */
export function startLine(format: LogFormat, requestId: string, version: string, atMs = Date.now()): string {
  if (format === 'json') return record('platform.start', { requestId, version }, atMs)
  return `START RequestId: ${requestId} Version: ${version}`
}

export function endLine(format: LogFormat, report: InvocationReport, atMs = Date.now()): string {
  if (format === 'json') {
    return record(
      'platform.runtimeDone',
      {
        requestId: report.requestId,
        status: report.status,
        metrics: { durationMs: round(report.durationMs) },
      },
      atMs,
    )
  }
  return `END RequestId: ${report.requestId}`
}

export function reportLine(format: LogFormat, report: InvocationReport, atMs = Date.now()): string {
  if (format === 'json') {
    return record('platform.report', {
      requestId: report.requestId,
      status: report.status,
      ...(report.errorType === undefined ? {} : { errorType: report.errorType }),
      metrics: {
        durationMs: round(report.durationMs),
        billedDurationMs: report.billedDurationMs,
        memorySizeMB: report.memorySizeMb,
        maxMemoryUsedMB: report.maxMemoryUsedMb,
        fuelUsed: report.fuelUsed,
        ...(report.initDurationMs === undefined ? {} : { initDurationMs: round(report.initDurationMs) }),
        ...(report.restoreDurationMs === undefined ? {} : { restoreDurationMs: round(report.restoreDurationMs) }),
        ...(report.billedRestoreDurationMs === undefined ? {} : { billedRestoreDurationMs: report.billedRestoreDurationMs }),
      },
    }, atMs)
  }
  let line =
    `REPORT RequestId: ${report.requestId}\tDuration: ${ms(report.durationMs)} ms\tBilled Duration: ${report.billedDurationMs} ms\t` +
    `Memory Size: ${report.memorySizeMb} MB\tMax Memory Used: ${report.maxMemoryUsedMb} MB\tFuel Used: ${report.fuelUsed}\t`
  if (report.initDurationMs !== undefined) line += `Init Duration: ${ms(report.initDurationMs)} ms\t`
  if (report.restoreDurationMs !== undefined) {
    line += `Restore Duration: ${ms(report.restoreDurationMs)} ms\tBilled Restore Duration: ${report.billedRestoreDurationMs} ms\t`
  }
  if (report.status !== 'success') {
    line += `Status: ${report.status}\t`
    if (report.errorType !== undefined) line += `Error Type: ${report.errorType}\t`
  }
  return line
}

function record(type: string, body: Record<string, unknown>, atMs = Date.now()): string {
  return JSON.stringify({ time: new Date(atMs).toISOString(), type, record: body })
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
