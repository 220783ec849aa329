import { z } from 'zod'
import { invalidEgressPattern } from '../egress/egress-policy.js'
import { ThawError } from '../errors.js'
import { parseOptions } from './validate.js'

/**
 * The configuration of one function, as `host.deploy()` takes it. Units are in the names
 * (`memoryMb`, `timeoutMs`); limits and defaults are Lambda's (lambda-interfaces §4.7).
 */

export const LIMITS = Object.freeze({
  memoryMb: { min: 128, max: 10_240, default: 128 },
  timeoutMs: { min: 1_000, max: 900_000, default: 3_000 },
  ephemeralStorageMb: { min: 512, max: 10_240, default: 512 },
  layers: 5,
  egressAllow: 100,
  maxResponseBodyMb: { min: 1, max: 1_024, default: 6 },
  envBytes: 4_096,
  functionNameLength: 64,
  handlerLength: 128,
})

/** `quickjs`: JavaScript in a QuickJS sandbox. `provided`: a custom runtime as a child process (not sandboxed). */
export const RUNTIMES = ['quickjs', 'provided'] as const
export type RuntimeKind = (typeof RUNTIMES)[number]

/** Lambda sets these itself; a function may not override them (CreateFunction rejects them too). */
export const RESERVED_ENV_KEYS: ReadonlySet<string> = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
])

const functionName = z
  .string({ error: 'must be a string' })
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 characters of letters, digits, "-" and "_"')

const handler = z
  .string({ error: 'must be a string like "index.handler"' })
  .max(LIMITS.handlerLength, `must be at most ${LIMITS.handlerLength} characters`)
  .refine((value) => /^[^\s]+$/.test(value), 'must not be empty or contain white space')
  .refine(
    (value) => !value.includes('..') && /^[^.]+(?:\.[^.]+)+$/.test(value),
    'is malformed (Runtime.MalformedHandlerName): expected "[dir/]file.export[.nested]"',
  )

/** A custom runtime reads `_HANDLER` its own way: Lambda only asks for 1-128 characters without white space. */
const providedHandler = z
  .string({ error: 'must be a string' })
  .max(LIMITS.handlerLength, `must be at most ${LIMITS.handlerLength} characters`)
  .regex(/^\S+$/, 'must not be empty or contain white space')

const env = z
  .record(
    z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]+$/, 'env keys must start with a letter and use only letters, digits and "_"'),
    z.string({ error: 'env values must be strings' }),
  )
  .superRefine((vars, ctx) => {
    for (const key of Object.keys(vars)) {
      if (RESERVED_ENV_KEYS.has(key)) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is reserved by Lambda` })
    }
    const bytes = Object.entries(vars).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0)
    if (bytes > LIMITS.envBytes) {
      ctx.addIssue({ code: 'custom', message: `env vars total ${bytes} bytes; Lambda allows ${LIMITS.envBytes}` })
    }
  })

const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'must be a Uint8Array')

const code = z.union(
  [
    z.strictObject({ dir: z.string().min(1, 'must name a folder') }),
    z.strictObject({ files: z.record(z.string(), z.union([z.string(), bytes])) }),
    z.strictObject({ zip: bytes }),
  ],
  { error: 'must be { dir }, { files } or { zip }' },
)

const integerIn = (min: number, max: number, unit: string) =>
  z
    .number({ error: `must be a number of ${unit}` })
    .int(`must be a whole number of ${unit}`)
    .min(min, `must be from ${min} to ${max} ${unit}`)
    .max(max, `must be from ${min} to ${max} ${unit}`)

const egressPattern = z.string({ error: 'must be a host pattern string' }).superRefine((pattern, ctx) => {
  const problem = invalidEgressPattern(pattern)
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem })
})

/** Where `fetch` may go (see src/egress/egress-policy.ts): nowhere unless allowed. */
const egress = z.strictObject({
  allow: z.array(egressPattern).max(LIMITS.egressAllow, `at most ${LIMITS.egressAllow} patterns`).default([]),
  /** A fetched response body larger than this fails the read with a TypeError. */
  maxResponseBodyMb: integerIn(LIMITS.maxResponseBodyMb.min, LIMITS.maxResponseBodyMb.max, 'MB').default(
    LIMITS.maxResponseBodyMb.default,
  ),
})

export const functionConfigSchema = z.strictObject({
  name: functionName,
  runtime: z.enum(RUNTIMES, { error: `must be one of: ${RUNTIMES.join(', ')}` }),
  handler,
  code,
  description: z.string().max(256).default(''),
  memoryMb: integerIn(LIMITS.memoryMb.min, LIMITS.memoryMb.max, 'MB').default(LIMITS.memoryMb.default),
  timeoutMs: integerIn(LIMITS.timeoutMs.min, LIMITS.timeoutMs.max, 'ms').default(LIMITS.timeoutMs.default),
  env: env.default({}),
  /** The quota of the in-memory `/tmp`, as Lambda's EphemeralStorage.Size. */
  ephemeralStorageMb: integerIn(LIMITS.ephemeralStorageMb.min, LIMITS.ephemeralStorageMb.max, 'MB').default(
    LIMITS.ephemeralStorageMb.default,
  ),
  /** Layers, mounted read-only at /opt in order: a later layer's files replace an earlier one's. */
  layers: z.array(code).max(LIMITS.layers, `at most ${LIMITS.layers} layers`).default([]),
  /**
   * A deterministic limit on guest work per invocation, in fuel units (one unit is one QuickJS
   * interrupt poll, about 10,000 interpreter steps). Without it, the budget follows the timeout.
   */
  maxFuel: z.number().int('must be a whole number of fuel units').min(1, 'must be at least 1').optional(),
  /**
   * `provided` only: the executable and arguments to run instead of the package's `bootstrap`.
   * A relative path is taken from the code folder (LAMBDA_TASK_ROOT), a bare name from PATH.
   */
  command: z
    .array(z.string({ error: 'must be strings' }).min(1, 'must not be empty strings'), { error: 'must be an array of strings' })
    .min(1, 'must name an executable')
    .optional(),
  egress: egress.default({ allow: [], maxResponseBodyMb: LIMITS.maxResponseBodyMb.default }),
  logFormat: z.enum(['text', 'json'], { error: 'must be "text" or "json"' }).default('text'),
  applicationLogLevel: z
    .enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'], { error: 'must be a Lambda log level' })
    .default('INFO'),
  /**
   * SnapStart: `PublishedVersions` snapshots each published version after INIT, as Lambda does;
   * `All` also snapshots `$LATEST` on its first INIT (Thaw's extension, the CLI's default).
   */
  snapStart: z
    .strictObject({
      applyOn: z.enum(['PublishedVersions', 'All', 'None'], { error: 'must be "PublishedVersions", "All" or "None"' }),
    })
    .default({ applyOn: 'None' }),
})

export type DeployOptions = z.input<typeof functionConfigSchema>
export type FunctionConfig = Readonly<z.output<typeof functionConfigSchema>>
export type CodeSource = FunctionConfig['code']

const providedConfigSchema = functionConfigSchema.extend({ handler: providedHandler })

export function parseFunctionConfig(input: unknown): FunctionConfig {
  const provided = input !== null && typeof input === 'object' && (input as { runtime?: unknown }).runtime === 'provided'
  const config: FunctionConfig = parseOptions(provided ? providedConfigSchema : functionConfigSchema, input, 'function configuration')
  checkRuntimeRules(config)
  return config
}

/** Options that mean something for one kind of runtime only: refused on the other, not ignored. */
function checkRuntimeRules(config: FunctionConfig): void {
  const refuse = (field: string, message: string): never => {
    throw new ThawError('THAW_INVALID_CONFIG', `Invalid function configuration: ${field}: ${message}`, { field })
  }
  if (config.runtime === 'quickjs') {
    if (config.command !== undefined) refuse('command', 'is for provided runtimes only; a quickjs function runs its handler in QuickJS')
    return
  }
  if (config.snapStart.applyOn !== 'None') {
    refuse('snapStart', 'SnapStart is not available for provided runtimes: a process cannot be snapshotted')
  }
  if (config.egress.allow.length > 0) {
    // An allow list would promise a restriction nobody enforces: the process has the host's network.
    refuse('egress.allow', 'applies to quickjs only; a provided runtime is not sandboxed and has the host\'s network')
  }
  if (config.maxFuel !== undefined) refuse('maxFuel', 'fuel is metered in QuickJS only')
}
