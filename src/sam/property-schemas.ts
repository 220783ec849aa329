import { z } from 'zod'
import { LIMITS } from '../config/function-config.js'
import { templateError } from './types.js'

/**
 * The SAM properties Thaw applies, validated in the template's own terms and units (MemorySize
 * in MB, Timeout in seconds), so a message names what the author wrote:
 * `Resources.Hello.Properties.Timeout: must be from 1 to 900 seconds`.
 */

/** CloudFormation takes numeric strings for numbers (a `!Ref` to a Number parameter is one). */
const numeric = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value), schema)

const integerIn = (min: number, max: number, unit: string) =>
  numeric(
    z
      .number({ error: `must be a number of ${unit}` })
      .int(`must be a whole number of ${unit}`)
      .min(min, `must be from ${min} to ${max} ${unit}`)
      .max(max, `must be from ${min} to ${max} ${unit}`),
  )

const atLeast = (min: number, unit: string) =>
  numeric(z.number({ error: `must be a number of ${unit}` }).int(`must be a whole number of ${unit}`).min(min, `must be at least ${min}`))

const text = z.string({ error: 'must be a string' })

/** CloudFormation turns scalar environment values into strings (`DEBUG: true` is "true"). */
const envValue = z.preprocess(
  (value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value),
  z.string({ error: 'must be a string' }),
)

const strings = z.array(text, { error: 'must be a list of strings' })
const bool = z.preprocess((value) => (value === 'true' ? true : value === 'false' ? false : value), z.boolean({ error: 'must be true or false' }))

export const SAM_PROPERTY_SCHEMAS = {
  Runtime: text,
  Handler: text,
  FunctionName: text,
  Description: text.max(256, 'must be at most 256 characters'),
  PackageType: z.enum(['Zip', 'Image'], { error: 'must be "Zip" or "Image"' }),
  InlineCode: text,
  MemorySize: integerIn(LIMITS.memoryMb.min, LIMITS.memoryMb.max, 'MB'),
  Timeout: integerIn(LIMITS.timeoutMs.min / 1000, LIMITS.timeoutMs.max / 1000, 'seconds'),
  Environment: z.strictObject({ Variables: z.record(z.string(), envValue, { error: 'must be a map of names to strings' }).optional() }),
  EphemeralStorage: z.strictObject({
    Size: integerIn(LIMITS.ephemeralStorageMb.min, LIMITS.ephemeralStorageMb.max, 'MB'),
  }),
  SnapStart: z.strictObject({
    ApplyOn: z.enum(['PublishedVersions', 'None'], { error: 'must be "PublishedVersions" or "None"' }),
  }),
  LoggingConfig: z.strictObject({
    LogFormat: z.enum(['Text', 'JSON'], { error: 'must be "Text" or "JSON"' }).optional(),
    ApplicationLogLevel: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'], { error: 'must be a Lambda log level' }).optional(),
    // Accepted, with no effect locally: Thaw's platform lines are always written.
    SystemLogLevel: z.enum(['DEBUG', 'INFO', 'WARN'], { error: 'must be "DEBUG", "INFO" or "WARN"' }).optional(),
    LogGroup: text.optional(),
  }),
  FunctionUrlConfig: z.strictObject({
    AuthType: z.enum(['NONE', 'AWS_IAM'], { error: 'must be "NONE" or "AWS_IAM"' }),
    InvokeMode: z.enum(['BUFFERED', 'RESPONSE_STREAM'], { error: 'must be "BUFFERED" or "RESPONSE_STREAM"' }).optional(),
    Cors: z
      .strictObject({
        AllowCredentials: bool.optional(),
        AllowHeaders: strings.optional(),
        AllowMethods: strings.optional(),
        AllowOrigins: strings.optional(),
        ExposeHeaders: strings.optional(),
        MaxAge: integerIn(0, 86_400, 'seconds').optional(),
      })
      .optional(),
  }),
  AutoPublishAlias: text.regex(/^(?!\d+$)[a-zA-Z0-9_-]{1,128}$/, 'must be 1-128 letters, digits, "-" or "_", and not all digits'),
  ReservedConcurrentExecutions: atLeast(0, 'environments'),
  ProvisionedConcurrencyConfig: z.strictObject({ ProvisionedConcurrentExecutions: atLeast(1, 'environments') }),
} as const

export type SamProperty = keyof typeof SAM_PROPERTY_SCHEMAS
export type SamValue<P extends SamProperty> = z.output<(typeof SAM_PROPERTY_SCHEMAS)[P]>

export function checkProperty<P extends SamProperty>(property: P, value: unknown, path: string): SamValue<P> {
  const result = SAM_PROPERTY_SCHEMAS[property].safeParse(value)
  if (result.success) return result.data as SamValue<P>
  const issue = result.error.issues[0]!
  const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys.map(String) : []
  const where = [path, ...issue.path.map(String), ...keys.slice(0, 1)].join('.')
  const message = issue.code === 'unrecognized_keys' ? 'is not a known property here' : issue.message
  throw templateError(where, message)
}

/** The SAM Function properties Thaw reads but does not apply: each one is a warning, not an error. */
export const IGNORED_FUNCTION_PROPERTIES: ReadonlySet<string> = new Set([
  'Architectures',
  'AssumeRolePolicyDocument',
  'AutoPublishAliasAllProperties',
  'AutoPublishCodeSha256',
  'CapacityProviderConfig',
  'CodeSigningConfigArn',
  'DeadLetterQueue',
  'DeploymentPreference',
  'DurableConfig',
  'EventInvokeConfig',
  'Events',
  'FileSystemConfigs',
  'FunctionScalingConfig',
  'ImageConfig',
  'ImageUri',
  'KmsKeyArn',
  'Policies',
  'PermissionsBoundary',
  'PropagateTags',
  'RecursiveLoop',
  'Role',
  'RolePath',
  'RuntimeManagementConfig',
  'SourceKMSKeyArn',
  'Tags',
  'Tracing',
  'VersionDeletionPolicy',
  'VersionDescription',
  'VpcConfig',
])

export const LAYER_PROPERTIES: ReadonlySet<string> = new Set([
  'ContentUri',
  'LayerName',
  'Description',
  'CompatibleRuntimes',
  'CompatibleArchitectures',
  'LicenseInfo',
  'RetentionPolicy',
  'PublishLambdaVersion',
])
