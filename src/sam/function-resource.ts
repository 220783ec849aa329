import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { functionConfigSchema, type DeployOptions } from '../config/function-config.js'
import { deepFreeze } from '../config/validate.js'
import { isThawError } from '../errors.js'
import { mergeGlobals } from './globals.js'
import { describe, intrinsicName, isRecord, NO_VALUE, type IntrinsicResolver } from './intrinsics.js'
import { checkProperty, IGNORED_FUNCTION_PROPERTIES, SAM_PROPERTY_SCHEMAS, type SamProperty, type SamValue } from './property-schemas.js'
import { templateError, type FunctionUrlConfig, type ServeSettings, type TemplateDeployOptions, type TemplateFunction } from './types.js'

/** A local layer (`AWS::Serverless::LayerVersion` with a folder), or why a layer is not one. */
export type LayerSource = { readonly dir: string } | { readonly skipped: string }

export interface FunctionResourceContext {
  readonly logicalId: string
  readonly properties: Readonly<Record<string, unknown>>
  readonly globals: Readonly<Record<string, unknown>>
  readonly resolver: IntrinsicResolver
  readonly templateDir: string
  readonly layers: ReadonlyMap<string, LayerSource>
  readonly warn: (property: string, path: string, message: string) => void
}

/** One `AWS::Serverless::Function` (Globals.Function merged in) as DeployOptions and serve settings. */
export function loadFunctionResource(context: FunctionResourceContext): TemplateFunction {
  const { logicalId, properties, globals } = context
  const resourcePath = `Resources.${logicalId}.Properties`
  const ownPath = (property: string) => `${resourcePath}.${property}`
  // Errors point where the author wrote the value: the function, or Globals.Function.
  const pathOf = (property: string) => (properties[property] === undefined && globals[property] !== undefined ? `Globals.Function.${property}` : ownPath(property))

  for (const property of Object.keys(properties)) {
    if (Object.hasOwn(SAM_PROPERTY_SCHEMAS, property) || property === 'CodeUri' || property === 'Layers') continue
    const known = IGNORED_FUNCTION_PROPERTIES.has(property)
    context.warn(property, ownPath(property), known ? 'has no effect in Thaw; ignored' : 'is not a known AWS::Serverless::Function property; ignored')
  }

  const read = <P extends SamProperty>(property: P): SamValue<P> | undefined => {
    const raw = mergeGlobals(globals[property], properties[property])
    if (raw === undefined) return undefined
    const where = pathOf(property)
    const value = context.resolver.resolve(raw, where)
    return value === NO_VALUE || value === undefined ? undefined : checkProperty(property, value, where)
  }

  if (read('PackageType') === 'Image') throw templateError(pathOf('PackageType'), 'container images are not supported: Thaw runs Zip functions')
  const declaredRuntime = read('Runtime')
  if (declaredRuntime === undefined) throw templateError(ownPath('Runtime'), 'is required (in the function or Globals.Function)')
  const runtime = runtimeKind(declaredRuntime, pathOf('Runtime'))
  const handler = read('Handler')
  if (handler === undefined) throw templateError(ownPath('Handler'), 'is required (in the function or Globals.Function)')

  const variables = read('Environment')?.Variables
  const snapStart = read('SnapStart')
  const logging = read('LoggingConfig')
  const ephemeral = read('EphemeralStorage')
  const memorySize = read('MemorySize')
  const timeout = read('Timeout')
  const description = read('Description')
  const { layers, layerPaths } = readLayers(context)

  const deploy = {
    name: read('FunctionName') ?? logicalId,
    runtime,
    handler,
    code: readCode(context, pathOf, read('InlineCode'), runtime),
    ...(description === undefined ? {} : { description }),
    ...(memorySize === undefined ? {} : { memoryMb: memorySize }),
    ...(timeout === undefined ? {} : { timeoutMs: timeout * 1000 }),
    ...(variables === undefined ? {} : { env: variables }),
    ...(ephemeral === undefined ? {} : { ephemeralStorageMb: ephemeral.Size }),
    ...(layers.length === 0 ? {} : { layers }),
    ...(snapStart === undefined ? {} : { snapStart: { applyOn: snapStart.ApplyOn } }),
    ...(logging?.LogFormat === undefined ? {} : { logFormat: logging.LogFormat === 'JSON' ? 'json' : 'text' }),
    ...(logging?.ApplicationLogLevel === undefined ? {} : { applicationLogLevel: logging.ApplicationLogLevel }),
  } as TemplateDeployOptions

  checkAgainstHost(deploy, (field) => hostFieldPath(field, { logicalId, properties, pathOf, layerPaths }))
  const serve = readServeSettings(read, pathOf, snapStart?.ApplyOn)
  return deepFreeze({ logicalId, declaredRuntime, deploy, serve })
}

function runtimeKind(declared: string, where: string): 'quickjs' | 'provided' {
  if (/^nodejs/.test(declared)) return 'quickjs'
  if (/^provided/.test(declared)) return 'provided'
  throw templateError(where, `${declared} is not supported: Thaw runs nodejs* runtimes (in QuickJS) and provided* custom runtimes`)
}

function readCode(
  context: FunctionResourceContext,
  pathOf: (property: string) => string,
  inlineCode: string | undefined,
  runtime: 'quickjs' | 'provided',
): DeployOptions['code'] {
  const raw = mergeGlobals(context.globals.CodeUri, context.properties.CodeUri)
  if (inlineCode !== undefined) {
    if (raw !== undefined) throw templateError(pathOf('InlineCode'), 'cannot be used with CodeUri')
    if (runtime !== 'quickjs') throw templateError(pathOf('InlineCode'), 'is supported for nodejs* runtimes only')
    // CloudFormation's ZipFile for Node writes the code to index.js.
    return { files: { 'index.js': inlineCode } }
  }
  // SAM CLI runs a function without CodeUri from the template's folder.
  return { dir: localFolder(raw ?? '.', pathOf('CodeUri'), context) }
}

/** A CodeUri/ContentUri: a folder relative to the template. S3 locations need a deployed stack. */
export function localFolder(raw: unknown, where: string, context: Pick<FunctionResourceContext, 'resolver' | 'templateDir'>): string {
  const value = context.resolver.resolve(raw, where)
  if (isRecord(value) || (typeof value === 'string' && value.startsWith('s3://'))) {
    throw templateError(where, 'must be a local folder: S3 code locations are not supported (run `sam build` or point at the source folder)')
  }
  if (typeof value !== 'string' || value === '') throw templateError(where, 'must be a folder path relative to the template')
  const dir = path.resolve(context.templateDir, value)
  if (!existsSync(dir)) throw templateError(where, `folder not found: ${dir}`)
  if (!statSync(dir).isDirectory()) throw templateError(where, `must be a folder (zip files are not supported): ${dir}`)
  return dir
}

/**
 * Layers: a `!Ref` to a local LayerVersion becomes `{ dir }`; anything else (an ARN, a `!Ref`
 * to a parameter, `!GetAtt`, `!Sub`) names a layer published in AWS, which Thaw cannot fetch: a
 * warning, and the layer is skipped. `layerPaths[i]` is where the i-th kept layer was written.
 */
function readLayers(context: FunctionResourceContext): { layers: Array<{ dir: string }>; layerPaths: string[] } {
  const layers: Array<{ dir: string }> = []
  const layerPaths: string[] = []
  // Globals' layers come first (SAM adds the lists up); each entry keeps the path it was written at.
  const entries: Array<{ entry: unknown; at: string; index: number }> = []
  for (const [list, base] of [
    [context.globals.Layers, 'Globals.Function.Layers'],
    [context.properties.Layers, `Resources.${context.logicalId}.Properties.Layers`],
  ] as const) {
    if (list === undefined) continue
    const resolved = Array.isArray(list) ? list : context.resolver.resolve(list, base)
    if (resolved === NO_VALUE) continue
    if (!Array.isArray(resolved)) throw templateError(base, 'must be a list of layers')
    resolved.forEach((entry, index) => entries.push({ entry, at: `${base}.${index}`, index }))
  }
  entries.forEach(({ entry, at, index }) => {
    const ref = isRecord(entry) && typeof entry.Ref === 'string' ? entry.Ref : undefined
    const local = ref === undefined ? undefined : context.layers.get(ref)
    if (local !== undefined) {
      if ('dir' in local) {
        layers.push({ dir: local.dir })
        layerPaths.push(at)
      } else context.warn(`Layers.${index}`, at, `layer ${ref} skipped: ${local.skipped}`)
      return
    }
    const shown = isRecord(entry) && intrinsicName(entry) !== undefined ? describe(intrinsicName(entry)!, Object.values(entry)[0]) : JSON.stringify(entry)
    let resolved: unknown
    try {
      resolved = context.resolver.resolve(entry, at)
    } catch (error) {
      if (!isThawError(error, 'THAW_INVALID_TEMPLATE')) throw error
      resolved = undefined
    }
    if (resolved === NO_VALUE) return
    const what = typeof resolved === 'string' ? resolved : shown
    context.warn(`Layers.${index}`, at, `layer ${what} is not a local AWS::Serverless::LayerVersion; skipped`)
  })
  return { layers, layerPaths }
}

function readServeSettings(
  read: <P extends SamProperty>(property: P) => SamValue<P> | undefined,
  pathOf: (property: string) => string,
  snapStart: string | undefined,
): ServeSettings {
  const url = read('FunctionUrlConfig')
  const alias = read('AutoPublishAlias')
  const reserved = read('ReservedConcurrentExecutions')
  const provisioned = read('ProvisionedConcurrencyConfig')?.ProvisionedConcurrentExecutions
  if (provisioned !== undefined) {
    const where = `${pathOf('ProvisionedConcurrencyConfig')}.ProvisionedConcurrentExecutions`
    if (alias === undefined) throw templateError(where, 'needs AutoPublishAlias: provisioned concurrency is set on an alias, never $LATEST')
    if (reserved !== undefined && provisioned > reserved) {
      throw templateError(where, `must not exceed ReservedConcurrentExecutions (${reserved})`)
    }
    if (snapStart === 'PublishedVersions') throw templateError(where, 'cannot be combined with SnapStart')
  }
  let functionUrl: FunctionUrlConfig | undefined
  if (url !== undefined) {
    const cors = url.Cors
    functionUrl = {
      authType: url.AuthType,
      invokeMode: url.InvokeMode ?? 'BUFFERED',
      ...(cors === undefined
        ? {}
        : {
            cors: {
              ...(cors.AllowCredentials === undefined ? {} : { allowCredentials: cors.AllowCredentials }),
              ...(cors.AllowHeaders === undefined ? {} : { allowHeaders: cors.AllowHeaders }),
              ...(cors.AllowMethods === undefined ? {} : { allowMethods: cors.AllowMethods }),
              ...(cors.AllowOrigins === undefined ? {} : { allowOrigins: cors.AllowOrigins }),
              ...(cors.ExposeHeaders === undefined ? {} : { exposeHeaders: cors.ExposeHeaders }),
              ...(cors.MaxAge === undefined ? {} : { maxAgeSeconds: cors.MaxAge }),
            },
          }),
    }
  }
  return {
    ...(functionUrl === undefined ? {} : { functionUrl }),
    ...(alias === undefined ? {} : { autoPublishAlias: alias }),
    ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
    ...(provisioned === undefined ? {} : { provisionedConcurrentExecutions: provisioned }),
  }
}

/**
 * The host's own rules (a name it accepts, a Node handler, env keys Lambda does not reserve, 4 KB
 * of env, at most 5 layers) checked now, so the error names the template property rather than
 * surfacing later from `host.deploy()`. A `provided` handler is the runtime's business.
 */
function checkAgainstHost(deploy: TemplateDeployOptions, pathFor: (field: string[]) => string): void {
  const schema = deploy.runtime === 'provided' ? functionConfigSchema.omit({ runtime: true, handler: true }) : functionConfigSchema
  const input = deploy.runtime === 'provided' ? { ...deploy, runtime: undefined, handler: undefined } : deploy
  const result = schema.safeParse(JSON.parse(JSON.stringify(input)))
  if (result.success) return
  const issue = result.error.issues[0]!
  // A record key that fails its own schema is reported as `invalid_key` with the reason inside.
  const inner = issue.code === 'invalid_key' ? issue.issues[0] : undefined
  throw templateError(pathFor(issue.path.map(String)), inner?.message ?? issue.message)
}

function hostFieldPath(
  field: string[],
  where: { logicalId: string; properties: Readonly<Record<string, unknown>>; pathOf: (property: string) => string; layerPaths: string[] },
): string {
  const [head, second] = field
  switch (head) {
    case 'name':
      return where.properties.FunctionName === undefined ? `Resources.${where.logicalId}` : where.pathOf('FunctionName')
    case 'handler':
      return where.pathOf('Handler')
    case 'env': {
      const own = (where.properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables
      const base = second !== undefined && own?.[second] === undefined ? 'Globals.Function' : `Resources.${where.logicalId}.Properties`
      return [`${base}.Environment.Variables`, ...(second === undefined ? [] : [second])].join('.')
    }
    case 'layers':
      return second === undefined ? where.pathOf('Layers') : (where.layerPaths[Number(second)] ?? where.pathOf('Layers'))
    case 'description':
      return where.pathOf('Description')
    default:
      return `Resources.${where.logicalId}`
  }
}
