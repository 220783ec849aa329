import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { deepFreeze } from '../config/validate.js'
import { isThawError } from '../errors.js'
import { parseCloudFormationYaml } from './cfn-yaml.js'
import { loadFunctionResource, localFolder, type LayerSource } from './function-resource.js'
import { IntrinsicResolver, isRecord } from './intrinsics.js'
import { LAYER_PROPERTIES } from './property-schemas.js'
import { templateError, type LoadedFunctions, type TemplateFunction, type TemplateWarning } from './types.js'

export interface SamTemplateOptions {
  /** Values for the template's Parameters, over their Defaults (`sam --parameter-overrides`). */
  readonly parameterOverrides?: Readonly<Record<string, string>>
  /** `AWS::Region`; use the host's region. */
  readonly region?: string
  /** `AWS::AccountId`; use the host's account id. */
  readonly accountId?: string
  /** `AWS::StackName`. */
  readonly stackName?: string
}

const SERVERLESS_FUNCTION = 'AWS::Serverless::Function'
const SERVERLESS_LAYER = 'AWS::Serverless::LayerVersion'
const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31'
const RESOURCE_ATTRIBUTES = new Set(['Type', 'Properties', 'Condition', 'DependsOn', 'Metadata', 'DeletionPolicy', 'UpdateReplacePolicy'])

/** Reads a SAM template file: its functions as DeployOptions, with CodeUri resolved from the file's folder. */
export async function loadSamTemplate(file: string, options: SamTemplateOptions = {}): Promise<LoadedFunctions> {
  const absolute = path.resolve(file)
  let source: string
  try {
    source = await readFile(absolute, 'utf8')
  } catch (error) {
    throw templateError('', `cannot read the template ${absolute}: ${(error as Error).message}`, error)
  }
  return parseSamTemplate(source, { ...options, templateFile: absolute })
}

/** The same from the template's text; `templateFile` places relative CodeUri/ContentUri folders. */
export function parseSamTemplate(source: string, options: SamTemplateOptions & { readonly templateFile: string }): LoadedFunctions {
  const templateFile = path.resolve(options.templateFile)
  const templateDir = path.dirname(templateFile)
  const template = parseCloudFormationYaml(source, templateFile)
  if (!isRecord(template)) throw templateError('', `${templateFile} is not a template: expected a mapping at the top level`)
  const resources = section(template, 'Resources')
  const warnings: TemplateWarning[] = []
  const seen = new Set<string>()
  const warn = (resource: string, property: string | undefined, where: string, message: string) => {
    const key = `${where}\n${message}`
    if (seen.has(key)) return
    seen.add(key)
    warnings.push({ resource, ...(property === undefined ? {} : { property }), path: where, message })
  }

  const transforms = [template.Transform].flat()
  if (!transforms.includes(SAM_TRANSFORM)) {
    warn('Transform', undefined, 'Transform', `is not ${SAM_TRANSFORM}: read as a SAM template anyway`)
  }

  const resolver = new IntrinsicResolver({
    parameters: section(template, 'Parameters'),
    parameterOverrides: options.parameterOverrides ?? {},
    mappings: section(template, 'Mappings'),
    conditions: section(template, 'Conditions'),
    pseudo: {
      'AWS::Region': options.region ?? 'us-east-1',
      'AWS::AccountId': options.accountId ?? '000000000000',
      'AWS::StackName': options.stackName ?? 'thaw',
      'AWS::StackId': `arn:aws:cloudformation:${options.region ?? 'us-east-1'}:${options.accountId ?? '000000000000'}:stack/${options.stackName ?? 'thaw'}/local`,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::NotificationARNs': '',
    },
  })

  const globals = section(template, 'Globals')
  for (const key of Object.keys(globals)) {
    if (key !== 'Function') warn('Globals', key, `Globals.${key}`, 'is not supported by Thaw; ignored')
  }
  const globalFunction = globals.Function === undefined ? {} : asMap(globals.Function, 'Globals.Function')

  const included = (id: string, resource: Record<string, unknown>) =>
    resource.Condition === undefined || resolver.condition(resource.Condition, `Resources.${id}.Condition`)

  const layers = new Map<string, LayerSource>()
  const functionIds: string[] = []
  for (const [id, value] of Object.entries(resources)) {
    const resource = asMap(value, `Resources.${id}`)
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_ATTRIBUTES.has(key)) warn(id, undefined, `Resources.${id}.${key}`, 'is not a resource attribute; ignored')
    }
    if (resource.Type === SERVERLESS_FUNCTION) {
      if (included(id, resource)) functionIds.push(id)
    } else if (resource.Type === SERVERLESS_LAYER) {
      if (included(id, resource)) layers.set(id, loadLayer(id, resource, { resolver, templateDir }, warn))
    } else {
      warn(id, undefined, `Resources.${id}`, `${String(resource.Type)} is not supported by Thaw; ignored`)
    }
  }

  const functions: TemplateFunction[] = functionIds.map((logicalId) =>
    loadFunctionResource({
      logicalId,
      properties: asMap((resources[logicalId] as Record<string, unknown>).Properties ?? {}, `Resources.${logicalId}.Properties`),
      globals: globalFunction,
      resolver,
      templateDir,
      layers,
      warn: (property, where, message) => warn(where.startsWith('Globals.') ? 'Globals' : logicalId, property, where, message),
    }),
  )
  // Globals.Function keys nothing reads: said once, not once per function.
  for (const property of Object.keys(globalFunction)) {
    if (!GLOBAL_FUNCTION_KEYS.has(property)) {
      warn('Globals', property, `Globals.Function.${property}`, 'is not applied by Thaw in Globals.Function; ignored')
    }
  }

  const names = new Map<string, string>()
  for (const fn of functions) {
    const other = names.get(fn.deploy.name)
    if (other !== undefined) {
      throw templateError(`Resources.${fn.logicalId}`, `has the function name "${fn.deploy.name}", as ${other} does`)
    }
    names.set(fn.deploy.name, fn.logicalId)
  }
  return deepFreeze({ source: { kind: 'template' as const, path: templateFile }, functions, warnings })
}

function loadLayer(
  id: string,
  resource: Record<string, unknown>,
  context: Parameters<typeof localFolder>[2],
  warn: (resource: string, property: string | undefined, where: string, message: string) => void,
): LayerSource {
  const properties = asMap(resource.Properties ?? {}, `Resources.${id}.Properties`)
  for (const property of Object.keys(properties)) {
    if (!LAYER_PROPERTIES.has(property)) {
      warn(id, property, `Resources.${id}.Properties.${property}`, 'is not a known AWS::Serverless::LayerVersion property; ignored')
    }
  }
  const where = `Resources.${id}.Properties.ContentUri`
  if (properties.ContentUri === undefined) throw templateError(where, 'is required')
  try {
    return { dir: localFolder(properties.ContentUri, where, context) }
  } catch (error) {
    // A layer in S3 cannot be mounted here, but the template is still usable without it.
    if (isThawError(error, 'THAW_INVALID_TEMPLATE') && /S3/.test(error.message)) return { skipped: `${where} is in S3` }
    throw error
  }
}

/** The Globals.Function keys the loader merges into functions (SAM allows a few more). */
const GLOBAL_FUNCTION_KEYS: ReadonlySet<string> = new Set([
  'Runtime',
  'Handler',
  'CodeUri',
  'Description',
  'MemorySize',
  'Timeout',
  'Environment',
  'EphemeralStorage',
  'Layers',
  'SnapStart',
  'LoggingConfig',
  'FunctionUrlConfig',
  'AutoPublishAlias',
  'ReservedConcurrentExecutions',
  'ProvisionedConcurrencyConfig',
  'PackageType',
])

function section(template: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = template[name]
  if (value === undefined || value === null) return {}
  return asMap(value, name)
}

function asMap(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) throw templateError(where, 'must be a mapping')
  return value
}
