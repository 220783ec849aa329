import { isThawError, ThawError } from '../../errors.js'
import type { Host } from '../../host.js'
import { LATEST, type FunctionInfo } from '../../functions/registry.js'
import { parseFunctionReference } from '../function-name.js'
import type { Route, RouteContext } from '../router.js'
import { apiStateOf, defaultSettings } from './api-state.js'
import { functionConfiguration, versionView } from './function-configuration.js'
import { apiSettingsOf, deployChanges, parseCreateFunction, runtimeKindFor, zipBytes } from './function-settings.js'
import { compareVersions, paginate } from './pagination.js'
import { eventInvokeConfigsOf } from './event-invoke-config-store.js'
import { functionUrlConfigsOf } from './url-config-store.js'
import { accountIdOf } from '../caller-account.js'
import { functionRequestOf, queryOf, readJsonObject, sendJson } from './request.js'

/** CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, DeleteFunction (§3.2). */
export const functionRoutes: readonly Route[] = [
  { name: 'CreateFunction', method: 'POST', path: /^\/2015-03-31\/functions\/?$/, handle: createFunction },
  // Older documentation shows the trailing slash: accept both.
  { name: 'ListFunctions', method: 'GET', path: /^\/2015-03-31\/functions\/?$/, handle: listFunctions },
  { name: 'GetFunction', method: 'GET', path: /^\/2015-03-31\/functions\/([^/]+)\/?$/, handle: getFunction },
  { name: 'GetFunctionConfiguration', method: 'GET', path: /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/, handle: getFunctionConfiguration },
  { name: 'DeleteFunction', method: 'DELETE', path: /^\/2015-03-31\/functions\/([^/]+)\/?$/, handle: deleteFunction },
]

async function createFunction({ host, req, res }: RouteContext): Promise<void> {
  const accountId = accountIdOf(req, host)
  const request = parseCreateFunction(await readJsonObject(req, 'CreateFunction'))
  // FunctionName may be a name or an ARN, but not a qualified one: versions come from publishing.
  const reference = parseFunctionReference(request.FunctionName, null)
  if (reference.qualifier !== undefined) {
    throw new ThawError('THAW_INVALID_REQUEST', `FunctionName ${JSON.stringify(request.FunctionName)} must not carry a qualifier`, { field: 'FunctionName' })
  }
  const { Runtime: runtimeName, Handler: handler } = request
  if (runtimeName === undefined || handler === undefined) {
    throw new ThawError('THAW_INVALID_REQUEST', 'Runtime and Handler are mandatory parameters for functions created with deployment packages.', {
      field: runtimeName === undefined ? 'Runtime' : 'Handler',
    })
  }
  const runtime = runtimeKindFor(runtimeName)
  const { name } = reference
  const state = apiStateOf(host)
  const configuration = await state.exclusive(host, name, accountId, async () => {
    if (functionExists(host, name)) throw new ThawError('THAW_RESOURCE_CONFLICT', `Function already exist: ${name}`, { field: 'FunctionName' })
    const latest = await host.deploy({ name, runtime, handler, code: { zip: zipBytes(request.Code.ZipFile) }, ...deployChanges(request) })
    state.setLatest(name, apiSettingsOf(request, defaultSettings(accountId)))
    let created: FunctionInfo = latest
    if (request.Publish === true) {
      created = await host.publishVersion(name)
      state.recordPublished(created, accountId, undefined)
    }
    return functionConfiguration(host, versionView(host, name, created.version), accountId)
  })
  sendJson(res, 201, configuration)
}

async function getFunction(context: RouteContext): Promise<void> {
  const { accountId, reference } = functionRequestOf(context)
  const view = versionView(context.host, reference.name, reference.qualifier)
  sendJson(context.res, 200, {
    Configuration: functionConfiguration(context.host, view, accountId),
    // Lambda answers with a presigned S3 URL; Thaw keeps code in memory and has no such download.
    Code: { RepositoryType: 'S3' },
    ...reservedConcurrencyOf(context.host, reference.name),
  })
}

async function getFunctionConfiguration(context: RouteContext): Promise<void> {
  const { accountId, reference } = functionRequestOf(context)
  sendJson(context.res, 200, functionConfiguration(context.host, versionView(context.host, reference.name, reference.qualifier), accountId))
}

/** `?FunctionVersion=ALL` lists every version of every function; otherwise `$LATEST` of each. */
async function listFunctions(context: RouteContext): Promise<void> {
  const { host, req, res } = context
  const accountId = accountIdOf(req, host)
  const query = queryOf(context)
  const functionVersion = query.get('FunctionVersion')
  if (functionVersion !== null && functionVersion !== 'ALL') {
    throw new ThawError('THAW_INVALID_REQUEST', `FunctionVersion must be ALL, got ${JSON.stringify(functionVersion)}`, { field: 'FunctionVersion' })
  }
  const names = host
    .listFunctions()
    .map((info) => info.name)
    .sort()
  const versions = names.flatMap((name) => (functionVersion === 'ALL' ? host.listVersions(name) : [host.getFunction(name)]))
  const page = paginate(versions, listingKey, compareListingKeys, query)
  sendJson(res, 200, {
    Functions: page.items.map((info) => functionConfiguration(host, versionView(host, info.name, info.version), accountId)),
    ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
  })
}

async function deleteFunction(context: RouteContext): Promise<void> {
  const { host } = context
  const { accountId, reference } = functionRequestOf(context)
  const state = apiStateOf(host)
  await state.exclusive(host, reference.name, accountId, async () => {
    if (reference.qualifier === undefined) {
      host.removeFunction(reference.name)
      state.forgetFunction(reference.name)
      functionUrlConfigsOf(host).forgetFunction(reference.name)
      eventInvokeConfigsOf(host).forgetFunction(reference.name)
    } else {
      host.removeVersion(reference.name, reference.qualifier)
      state.forgetVersion(reference.name, reference.qualifier)
      eventInvokeConfigsOf(host).forgetQualifier(reference.name, reference.qualifier)
    }
  })
  sendJson(context.res, 204)
}

/** GetFunction's `Concurrency`, present only when the function has reserved concurrency (as on Lambda). */
function reservedConcurrencyOf(host: Host, name: string): { Concurrency?: { ReservedConcurrentExecutions: number } } {
  const reserved = host.getFunctionConcurrency(name)
  return reserved === undefined ? {} : { Concurrency: { ReservedConcurrentExecutions: reserved } }
}

function functionExists(host: Host, name: string): boolean {
  try {
    host.getFunction(name)
    return true
  } catch (error) {
    if (isThawError(error, 'THAW_FUNCTION_NOT_FOUND')) return false
    throw error
  }
}

/** Names cannot hold a newline, so it separates name and version in a listing key. */
function listingKey(info: FunctionInfo): string {
  return `${info.name}\n${info.version}`
}

function compareListingKeys(a: string, b: string): number {
  const [nameA = '', versionA = LATEST] = a.split('\n')
  const [nameB = '', versionB = LATEST] = b.split('\n')
  if (nameA !== nameB) return nameA < nameB ? -1 : 1
  return compareVersions(versionA, versionB)
}
