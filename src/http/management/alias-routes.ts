import { z } from 'zod'
import { parseOptions } from '../../config/validate.js'
import type { AliasInfo } from '../../functions/aliases.js'
import { functionArn } from '../../functions/lambda-env.js'
import type { Host } from '../../host.js'
import { decodeSegment, type Route, type RouteContext } from '../router.js'
import { eventInvokeConfigsOf } from './event-invoke-config-store.js'
import { paginate } from './pagination.js'
import { functionRequestOf, queryOf, readJsonObject, sendJson } from './request.js'
import { unqualified } from './update-routes.js'
import { functionUrlConfigsOf } from './url-config-store.js'

const ALIASES = /^\/2015-03-31\/functions\/([^/]+)\/aliases\/?$/
const ALIAS = /^\/2015-03-31\/functions\/([^/]+)\/aliases\/([^/]+)\/?$/

/** CreateAlias, GetAlias, UpdateAlias, DeleteAlias, ListAliases (§3.2). */
export const aliasRoutes: readonly Route[] = [
  { name: 'CreateAlias', method: 'POST', path: ALIASES, handle: createAlias },
  { name: 'ListAliases', method: 'GET', path: ALIASES, handle: listAliases },
  { name: 'GetAlias', method: 'GET', path: ALIAS, handle: getAlias },
  { name: 'UpdateAlias', method: 'PUT', path: ALIAS, handle: updateAlias },
  { name: 'DeleteAlias', method: 'DELETE', path: ALIAS, handle: deleteAlias },
]

/** The alias table checks the values (version forms, one weight in 0..1); these check the types. */
const routingConfig = z.object({ AdditionalVersionWeights: z.record(z.string(), z.number({ error: 'weights must be numbers' })).optional() })
const createSchema = z.object({
  Name: z.string({ error: 'is required' }),
  FunctionVersion: z.string({ error: 'is required' }),
  Description: z.string().optional(),
  RoutingConfig: routingConfig.optional(),
})
const updateSchema = z.object({
  FunctionVersion: z.string().optional(),
  Description: z.string().optional(),
  RoutingConfig: routingConfig.optional(),
  RevisionId: z.string().optional(),
})

async function createAlias(context: RouteContext): Promise<void> {
  const target = unqualified(functionRequestOf(context))
  const request = parseOptions(createSchema, await readJsonObject(context.req, 'CreateAlias'), 'CreateAlias request')
  const alias = context.host.createAlias(target.name, request.Name, {
    functionVersion: request.FunctionVersion,
    ...(request.Description === undefined ? {} : { description: request.Description }),
    ...(request.RoutingConfig?.AdditionalVersionWeights === undefined ? {} : { additionalVersionWeights: request.RoutingConfig.AdditionalVersionWeights }),
  })
  sendJson(context.res, 201, aliasConfiguration(context.host, alias, target.accountId))
}

async function getAlias(context: RouteContext): Promise<void> {
  const { target, alias } = aliasRequestOf(context)
  sendJson(context.res, 200, aliasConfiguration(context.host, context.host.getAlias(target.name, alias), target.accountId))
}

/** Unnamed members stay; `RoutingConfig: {}` (no weights) removes the weighted version. */
async function updateAlias(context: RouteContext): Promise<void> {
  const { target, alias } = aliasRequestOf(context)
  const request = parseOptions(updateSchema, await readJsonObject(context.req, 'UpdateAlias'), 'UpdateAlias request')
  const updated = context.host.updateAlias(target.name, alias, {
    ...(request.FunctionVersion === undefined ? {} : { functionVersion: request.FunctionVersion }),
    ...(request.Description === undefined ? {} : { description: request.Description }),
    ...(request.RoutingConfig === undefined ? {} : { additionalVersionWeights: request.RoutingConfig.AdditionalVersionWeights ?? {} }),
    ...(request.RevisionId === undefined ? {} : { revisionId: request.RevisionId }),
  })
  sendJson(context.res, 200, aliasConfiguration(context.host, updated, target.accountId))
}

async function deleteAlias(context: RouteContext): Promise<void> {
  const { target, alias } = aliasRequestOf(context)
  context.host.deleteAlias(target.name, alias)
  // Its URL and event-invoke configs go with it, as on Lambda: an alias made again starts bare.
  functionUrlConfigsOf(context.host).forgetQualifier(target.name, alias)
  eventInvokeConfigsOf(context.host).forgetQualifier(target.name, alias)
  sendJson(context.res, 204)
}

async function listAliases(context: RouteContext): Promise<void> {
  const target = unqualified(functionRequestOf(context))
  const query = queryOf(context)
  const aliases = context.host.listAliases(target.name, query.get('FunctionVersion') ?? undefined)
  const page = paginate(aliases, (alias) => alias.name, (a, b) => (a < b ? -1 : a > b ? 1 : 0), query)
  sendJson(context.res, 200, {
    Aliases: page.items.map((alias) => aliasConfiguration(context.host, alias, target.accountId)),
    ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
  })
}

function aliasRequestOf(context: RouteContext) {
  return { target: unqualified(functionRequestOf(context)), alias: decodeSegment(context.captures[1] ?? '', 'Name') }
}

/** Lambda's AliasConfiguration; RoutingConfig only when the alias shares traffic with a second version. */
function aliasConfiguration(host: Host, alias: AliasInfo, accountId: string): Record<string, unknown> {
  const weighted = Object.keys(alias.additionalVersionWeights).length > 0
  return {
    AliasArn: functionArn(host.region, accountId, alias.functionName, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(weighted ? { RoutingConfig: { AdditionalVersionWeights: { ...alias.additionalVersionWeights } } } : {}),
    RevisionId: alias.revisionId,
  }
}
