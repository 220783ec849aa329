import { z } from 'zod'
import { parseOptions } from '../../config/validate.js'
import { ThawError } from '../../errors.js'
import { functionArn } from '../../functions/lambda-env.js'
import { LATEST } from '../../functions/registry.js'
import type { Host } from '../../host.js'
import { functionUrlOf, localBaseUrl } from '../function-url-route.js'
import type { Route, RouteContext } from '../router.js'
import { paginate } from './pagination.js'
import { functionRequestOf, queryOf, readJsonObject, sendJson, type FunctionRequest } from './request.js'
import { unqualified } from './update-routes.js'
import { functionUrlConfigsOf, type FunctionUrlConfig, type FunctionUrlPolicy } from './url-config-store.js'

const URL_CONFIG = /^\/2021-10-31\/functions\/([^/]+)\/url\/?$/
const URL_CONFIGS = /^\/2021-10-31\/functions\/([^/]+)\/urls\/?$/

/**
 * Create/Get/Update/DeleteFunctionUrlConfig and ListFunctionUrlConfigs (§3.2). They take the
 * server's policy (which functions have a default URL) because a server answers for its own.
 */
export function functionUrlConfigRoutes(policy: FunctionUrlPolicy): readonly Route[] {
  return [
    { name: 'CreateFunctionUrlConfig', method: 'POST', path: URL_CONFIG, handle: (context) => createUrlConfig(context, policy) },
    { name: 'GetFunctionUrlConfig', method: 'GET', path: URL_CONFIG, handle: (context) => getUrlConfig(context, policy) },
    { name: 'UpdateFunctionUrlConfig', method: 'PUT', path: URL_CONFIG, handle: (context) => updateUrlConfig(context, policy) },
    { name: 'DeleteFunctionUrlConfig', method: 'DELETE', path: URL_CONFIG, handle: (context) => deleteUrlConfig(context, policy) },
    { name: 'ListFunctionUrlConfigs', method: 'GET', path: URL_CONFIGS, handle: (context) => listUrlConfigs(context, policy) },
  ]
}

const corsSchema = z.object({
  AllowCredentials: z.boolean().optional(),
  AllowHeaders: z.array(z.string().max(1024)).max(100).optional(),
  AllowMethods: z.array(z.string().max(6)).max(6).optional(),
  AllowOrigins: z.array(z.string().min(1).max(253)).max(100).optional(),
  ExposeHeaders: z.array(z.string().max(1024)).max(100).optional(),
  MaxAge: z.number().int('must be a whole number').min(0, 'must be 0 to 86400').max(86400, 'must be 0 to 86400').optional(),
})
const authType = z.enum(['NONE', 'AWS_IAM'], { error: 'must be NONE or AWS_IAM' })
const invokeMode = z.enum(['BUFFERED', 'RESPONSE_STREAM'], { error: 'must be BUFFERED or RESPONSE_STREAM' })
const createSchema = z.object({ AuthType: authType, Cors: corsSchema.optional(), InvokeMode: invokeMode.optional() })
const updateSchema = z.object({ AuthType: authType.optional(), Cors: corsSchema.optional(), InvokeMode: invokeMode.optional() })

async function createUrlConfig(context: RouteContext, policy: FunctionUrlPolicy): Promise<void> {
  const request = functionRequestOf(context)
  const { name, qualifier } = urlTarget(context.host, request)
  const body = parseOptions(createSchema, await readJsonObject(context.req, 'CreateFunctionUrlConfig'), 'CreateFunctionUrlConfig request', 'THAW_INVALID_REQUEST')
  const arn = urlFunctionArn(context.host, request.accountId, name, qualifier)
  const config = functionUrlConfigsOf(context.host).create(name, qualifier, { authType: body.AuthType, invokeMode: body.InvokeMode ?? 'BUFFERED', cors: body.Cors }, policy, arn)
  const { LastModifiedTime: _, ...created } = urlConfigView(context, request.accountId, config)
  sendJson(context.res, 201, created)
}

async function getUrlConfig(context: RouteContext, policy: FunctionUrlPolicy): Promise<void> {
  const request = functionRequestOf(context)
  const { name, qualifier } = urlTarget(context.host, request)
  sendJson(context.res, 200, urlConfigView(context, request.accountId, functionUrlConfigsOf(context.host).get(name, qualifier, policy)))
}

/** Unnamed members stay as they are; `Cors: {}` clears every CORS setting. */
async function updateUrlConfig(context: RouteContext, policy: FunctionUrlPolicy): Promise<void> {
  const request = functionRequestOf(context)
  const { name, qualifier } = urlTarget(context.host, request)
  const body = parseOptions(updateSchema, await readJsonObject(context.req, 'UpdateFunctionUrlConfig'), 'UpdateFunctionUrlConfig request', 'THAW_INVALID_REQUEST')
  const config = functionUrlConfigsOf(context.host).update(
    name,
    qualifier,
    {
      ...(body.AuthType === undefined ? {} : { authType: body.AuthType }),
      ...(body.InvokeMode === undefined ? {} : { invokeMode: body.InvokeMode }),
      ...(body.Cors === undefined ? {} : { cors: body.Cors }),
    },
    policy,
  )
  sendJson(context.res, 200, urlConfigView(context, request.accountId, config))
}

async function deleteUrlConfig(context: RouteContext, policy: FunctionUrlPolicy): Promise<void> {
  const { name, qualifier } = urlTarget(context.host, functionRequestOf(context))
  functionUrlConfigsOf(context.host).delete(name, qualifier, policy)
  sendJson(context.res, 204)
}

async function listUrlConfigs(context: RouteContext, policy: FunctionUrlPolicy): Promise<void> {
  const target = unqualified(functionRequestOf(context))
  context.host.getFunction(target.name)
  const aliases = context.host.listAliases(target.name).map((alias) => alias.name)
  const configs = functionUrlConfigsOf(context.host).list(target.name, aliases, policy)
  const page = paginate(configs, (config) => config.qualifier, (a, b) => (a < b ? -1 : a > b ? 1 : 0), queryOf(context))
  sendJson(context.res, 200, {
    FunctionUrlConfigs: page.items.map((config) => urlConfigView(context, target.accountId, config)),
    ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
  })
}

/**
 * Lambda's Qualifier here is `$LATEST` (or none) or an alias name, never a version number
 * (pattern `(^\$LATEST$)|((?!^[0-9]+$)([a-zA-Z0-9-_]+))`). The function and the alias must exist.
 */
function urlTarget(host: Host, { reference }: FunctionRequest): { name: string; qualifier: string } {
  const qualifier = reference.qualifier ?? LATEST
  if (/^\d+$/.test(qualifier)) {
    throw new ThawError(
      'THAW_INVALID_REQUEST',
      `1 validation error detected: Value '${qualifier}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (^\\$LATEST$)|((?!^[0-9]+$)([a-zA-Z0-9-_]+)) (a function URL is on $LATEST or an alias, not a version)`,
      { field: 'Qualifier' },
    )
  }
  host.getFunction(reference.name)
  if (qualifier !== LATEST) host.getAlias(reference.name, qualifier)
  return { name: reference.name, qualifier }
}

/** `$LATEST`'s URL reports the unqualified ARN, an alias's the alias ARN, as Lambda does. */
function urlFunctionArn(host: Host, accountId: string, name: string, qualifier: string): string {
  return functionArn(host.region, accountId, name, qualifier === LATEST ? undefined : qualifier)
}

/** Lambda's FunctionUrlConfig (Get/Update/List); Create's answer is the same without LastModifiedTime. */
function urlConfigView(context: RouteContext, accountId: string, config: FunctionUrlConfig): Record<string, unknown> {
  return {
    FunctionUrl: functionUrlOf(localBaseUrl(context.req), config.functionName, config.qualifier),
    FunctionArn: urlFunctionArn(context.host, accountId, config.functionName, config.qualifier),
    AuthType: config.authType,
    ...(config.cors === undefined ? {} : { Cors: config.cors }),
    CreationTime: config.creationTime,
    LastModifiedTime: config.lastModifiedTime,
    InvokeMode: config.invokeMode,
  }
}
