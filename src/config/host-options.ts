import { availableParallelism } from 'node:os'
import { z } from 'zod'
import type { Logger } from 'pino'
import { parseOptions } from './validate.js'

const logger = z.custom<Logger>(
  (value) => value !== null && typeof value === 'object' && typeof (value as Logger).child === 'function',
  'must be a pino logger (an object with child())',
)

export const hostOptionsSchema = z.strictObject({
  /** Where the host keeps files that outlive it (snapshots). Defaults to none: nothing on disk. */
  dataDir: z.string().min(1).optional(),
  /** The host's own log (pino). Silent when not given. */
  logger: logger.optional(),
  /** AWS region the functions believe they run in (AWS_REGION, ARNs). */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must look like "us-east-1"').default('us-east-1'),
  /**
   * Worker threads running the environments, one per core by default (at most 8). A watchdog
   * stops a guest stuck in a long native operation by terminating its shard while the others
   * keep serving. 0 runs environments on the host's own thread: ~55 µs faster per invocation,
   * but such a guest then holds every tenant until its operation ends.
   */
  shards: z
    .number({ error: 'must be a number of worker threads' })
    .int('must be a whole number')
    .min(0)
    .max(64)
    .default(() => Math.min(8, availableParallelism())),
  /** The 12-digit account id used in ARNs. */
  accountId: z.string().regex(/^\d{12}$/, 'must be 12 digits').default('000000000000'),
})

export type HostOptions = z.input<typeof hostOptionsSchema>
export type ResolvedHostOptions = Readonly<z.output<typeof hostOptionsSchema>>

export function parseHostOptions(input: unknown): ResolvedHostOptions {
  // The logger is a live object: validate it, but do not freeze it.
  const { logger: hostLogger, ...rest } = (input ?? {}) as Record<string, unknown>
  const parsed = parseOptions(hostOptionsSchema.omit({ logger: true }), rest, 'host options')
  if (hostLogger !== undefined) {
    const checked = logger.safeParse(hostLogger)
    if (!checked.success) parseOptions(hostOptionsSchema, { logger: hostLogger }, 'host options')
  }
  return Object.freeze({ ...parsed, ...(hostLogger === undefined ? {} : { logger: hostLogger as Logger }) })
}
