import { pino, type Logger } from 'pino'

/** The host's own log. A library is silent unless given a logger; the CLI passes a pretty one. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}

export type { Logger }
