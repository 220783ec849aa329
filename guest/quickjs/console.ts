import { stackLines } from './errors.js'
import type { Outbox } from './outbox.js'

/**
 * `console`, writing Lambda's function log lines (lambda-interfaces §4.6): text is
 * `time \t requestId \t LEVEL \t message` with newlines turned into \r, as Lambda's Node
 * runtime does; JSON is one record per line, filtered by the application log level.
 */

export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const
export type Level = (typeof LEVELS)[number]

export interface ConsoleSettings {
  /** Node's util.format (loaded lazily: most log lines are plain strings). */
  format: (args: readonly unknown[]) => string
  logFormat: 'text' | 'json'
  minimumLevel: Level
  /** The request in flight, or undefined during INIT (printed as "undefined", like Lambda). */
  requestId: () => string | undefined
}

export function createConsole(outbox: Outbox, settings: ConsoleSettings): Record<string, unknown> {
  const formatLogArguments = (args: readonly unknown[]) => plainText(args) ?? settings.format(args)
  const counts = new Map<string, number>()
  const timers = new Map<string, number>()
  const write = (level: Level, args: unknown[]): void => {
    if (settings.logFormat === 'json') {
      if (LEVELS.indexOf(level) < LEVELS.indexOf(settings.minimumLevel)) return
      outbox.post(['log', jsonLine(level, settings.requestId(), args, formatLogArguments)])
    } else {
      const message = formatLogArguments(args).replaceAll('\n', '\r')
      outbox.post(['log', `${new Date().toISOString()}\t${settings.requestId()}\t${level}\t${message}`])
    }
  }
  return {
    log: (...args: unknown[]) => write('INFO', args),
    info: (...args: unknown[]) => write('INFO', args),
    warn: (...args: unknown[]) => write('WARN', args),
    error: (...args: unknown[]) => write('ERROR', args),
    debug: (...args: unknown[]) => write('DEBUG', args),
    trace: (...args: unknown[]) => write('TRACE', args),
    fatal: (...args: unknown[]) => write('FATAL', args),
    assert: (condition: unknown, ...args: unknown[]) => {
      if (!condition) write('ERROR', ['Assertion failed', ...args])
    },
    dir: (value: unknown) => write('INFO', [value]),
    table: (...args: unknown[]) => write('INFO', args),
    count: (label = 'default') => {
      const count = (counts.get(label) ?? 0) + 1
      counts.set(label, count)
      write('INFO', [`${label}: ${count}`])
    },
    countReset: (label = 'default') => counts.delete(label),
    time: (label = 'default') => timers.set(label, Date.now()),
    timeLog: (label = 'default', ...args: unknown[]) => write('INFO', [`${label}: ${Date.now() - (timers.get(label) ?? Date.now())}ms`, ...args]),
    timeEnd: (label = 'default') => {
      write('INFO', [`${label}: ${Date.now() - (timers.get(label) ?? Date.now())}ms`])
      timers.delete(label)
    },
    group: () => undefined,
    groupEnd: () => undefined,
  }
}

/** The fast path of util.format: strings with no % directive, joined by spaces. */
function plainText(args: readonly unknown[]): string | undefined {
  let text = ''
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]
    if (typeof arg !== 'string' || (index === 0 && arg.includes('%'))) return undefined
    text = index === 0 ? arg : `${text} ${arg}`
  }
  return text
}

function jsonLine(level: Level, requestId: string | undefined, args: unknown[], formatLogArguments: (args: readonly unknown[]) => string): string {
  const record: Record<string, unknown> = { timestamp: new Date().toISOString(), level, requestId }
  if (args.length === 1) {
    record.message = args[0]
    try {
      return JSON.stringify(record, errorReplacer)
    } catch {
      record.message = formatLogArguments(args)
      return JSON.stringify(record)
    }
  }
  record.message = formatLogArguments(args)
  const error = args.find((arg): arg is Error => arg instanceof Error)
  if (error !== undefined) {
    record.errorType = error.constructor?.name ?? 'UnknownError'
    record.errorMessage = error.message
    record.stackTrace = stackLines(error)
  }
  return JSON.stringify(record)
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { errorType: value.constructor?.name ?? 'UnknownError', errorMessage: value.message, stackTrace: stackLines(value) }
  }
  return value
}
