import { z } from 'zod'
import type { DeployOptions } from '../../config/function-config.js'
import { parseOptions } from '../../config/validate.js'
import { ThawError } from '../../errors.js'
import type { ApiSettings } from './api-state.js'

/**
 * The members of CreateFunction and UpdateFunctionConfiguration, checked here with Lambda's
 * names and units (seconds, MB) so a bad value is reported as the caller spelled it. Members Thaw
 * has no use for (Tags, TracingConfig, VpcConfig, KMSKeyArn …) are accepted and ignored, as a
 * local emulator should; ones it cannot honour (S3 code, images, layer ARNs) are refused.
 */
const wholeIn = (min: number, max: number, unit: string) =>
  z
    .number({ error: `must be a number of ${unit}` })
    .int(`must be a whole number of ${unit}`)
    .min(min, `must be from ${min} to ${max} ${unit}`)
    .max(max, `must be from ${min} to ${max} ${unit}`)

const settingsShape = {
  Role: z.string().min(1, 'must not be empty').optional(),
  Runtime: z.string().optional(),
  Handler: z.string().optional(),
  Description: z.string().max(256, 'must be at most 256 characters').optional(),
  Timeout: wholeIn(1, 900, 'seconds').optional(),
  MemorySize: wholeIn(128, 10_240, 'MB').optional(),
  Environment: z.object({ Variables: z.record(z.string(), z.string({ error: 'values must be strings' })).optional() }).optional(),
  EphemeralStorage: z.object({ Size: wholeIn(512, 10_240, 'MB') }).optional(),
  SnapStart: z.object({ ApplyOn: z.enum(['PublishedVersions', 'None'], { error: 'must be "PublishedVersions" or "None"' }) }).optional(),
  LoggingConfig: z
    .object({
      LogFormat: z.enum(['Text', 'JSON'], { error: 'must be "Text" or "JSON"' }).optional(),
      ApplicationLogLevel: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'], { error: 'must be a Lambda log level' }).optional(),
    })
    .optional(),
  Layers: z.array(z.string()).max(0, 'layers by ARN are not supported; deploy local layers through a SAM template').optional(),
  Architectures: z.array(z.enum(['x86_64', 'arm64'], { error: 'must be "x86_64" or "arm64"' })).length(1, 'must name exactly one architecture').optional(),
}

const base64 = z.string({ error: 'must be the zip as a base64 string' }).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be valid base64')

/** Code: only an inline zip; Thaw has no S3 and no container images. */
export const zipCodeSchema = z.object(
  { ZipFile: base64 },
  { error: 'must carry ZipFile (base64): S3 and container image code are not supported' },
)

const createSchema = z.object({
  FunctionName: z.string({ error: 'is required' }),
  Code: zipCodeSchema,
  PackageType: z.enum(['Zip'], { error: 'must be "Zip": container images are not supported' }).optional(),
  Publish: z.boolean().optional(),
  ...settingsShape,
})

const updateSchema = z.object({ RevisionId: z.string().optional(), ...settingsShape })

export type CreateFunctionRequest = z.output<typeof createSchema>
export type UpdateConfigurationRequest = z.output<typeof updateSchema>

export function parseCreateFunction(body: unknown): CreateFunctionRequest {
  return parseOptions(createSchema, body, 'CreateFunction request', 'THAW_INVALID_REQUEST')
}

export function parseUpdateConfiguration(body: unknown): UpdateConfigurationRequest {
  return parseOptions(updateSchema, body, 'UpdateFunctionConfiguration request', 'THAW_INVALID_REQUEST')
}

/**
 * Lambda's Runtime → the host's runtime kind. `nodejs*` is JavaScript, which Thaw runs in QuickJS;
 * `provided*` (a custom runtime process) is a later piece of work; anything else cannot run here.
 */
export function runtimeKindFor(runtime: string): 'quickjs' | 'provided' {
  if (/^nodejs\d/.test(runtime)) return 'quickjs'
  // A custom runtime: the package's bootstrap runs as a process (not sandboxed; see the README).
  if (runtime.startsWith('provided')) return 'provided'
  throw new ThawError('THAW_INVALID_REQUEST', `The runtime parameter of ${runtime} is not supported by Thaw: use a nodejs* runtime (run in QuickJS)`, {
    field: 'Runtime',
  })
}

type SettingsRequest = Pick<CreateFunctionRequest, keyof typeof settingsShape>

/** The host settings a request sets; what it leaves out keeps its current value (or default). */
export function deployChanges(request: SettingsRequest): Partial<DeployOptions> {
  return {
    ...(request.Handler === undefined ? {} : { handler: request.Handler }),
    ...(request.Description === undefined ? {} : { description: request.Description }),
    ...(request.Timeout === undefined ? {} : { timeoutMs: request.Timeout * 1000 }),
    ...(request.MemorySize === undefined ? {} : { memoryMb: request.MemorySize }),
    // Environment replaces the whole set of variables, as on Lambda.
    ...(request.Environment === undefined ? {} : { env: { ...request.Environment.Variables } }),
    ...(request.EphemeralStorage === undefined ? {} : { ephemeralStorageMb: request.EphemeralStorage.Size }),
    ...(request.SnapStart === undefined ? {} : { snapStart: { applyOn: request.SnapStart.ApplyOn } }),
    ...(request.LoggingConfig?.LogFormat === undefined ? {} : { logFormat: request.LoggingConfig.LogFormat === 'JSON' ? ('json' as const) : ('text' as const) }),
    ...(request.LoggingConfig?.ApplicationLogLevel === undefined
      ? {}
      : { applicationLogLevel: request.LoggingConfig.ApplicationLogLevel }),
  }
}

/** The settings only the API keeps, from a request over the ones a function has. */
export function apiSettingsOf(request: SettingsRequest, current: ApiSettings): ApiSettings {
  return {
    runtime: request.Runtime ?? current.runtime,
    role: request.Role ?? current.role,
    architectures: request.Architectures ?? current.architectures,
  }
}

export function zipBytes(base64Zip: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64Zip, 'base64'))
}

const updateCodeSchema = z.object({
  ZipFile: base64.optional(),
  S3Bucket: z.undefined({ error: 'S3 code is not supported: send ZipFile' }).optional(),
  ImageUri: z.undefined({ error: 'container images are not supported: send ZipFile' }).optional(),
  Publish: z.boolean().optional(),
  DryRun: z.boolean().optional(),
  RevisionId: z.string().optional(),
  Architectures: settingsShape.Architectures,
})

export type UpdateCodeRequest = z.output<typeof updateCodeSchema>

export function parseUpdateCode(body: unknown): UpdateCodeRequest & { ZipFile: string } {
  const request = parseOptions(updateCodeSchema, body, 'UpdateFunctionCode request', 'THAW_INVALID_REQUEST')
  if (request.ZipFile === undefined) {
    throw new ThawError('THAW_INVALID_REQUEST', 'Invalid UpdateFunctionCode request: ZipFile is required (S3 and container image code are not supported)', {
      field: 'ZipFile',
    })
  }
  return { ...request, ZipFile: request.ZipFile }
}

const publishSchema = z.object({
  CodeSha256: z.string().optional(),
  Description: z.string().max(256, 'must be at most 256 characters').optional(),
  RevisionId: z.string().optional(),
})

export function parsePublishVersion(body: unknown): z.output<typeof publishSchema> {
  return parseOptions(publishSchema, body, 'PublishVersion request', 'THAW_INVALID_REQUEST')
}
