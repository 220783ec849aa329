import { z } from 'zod'
import { parseOptions } from '../../config/validate.js'
import { functionArn } from '../../functions/lambda-env.js'
import type { ProvisionedConcurrencyInfo } from '../../functions/provisioned-concurrency.js'
import type { Route, RouteContext } from '../router.js'
import { paginate } from './pagination.js'
import { functionRequestOf, queryOf, readJsonObject, sendJson } from './request.js'

const PROVISIONED = /^\/2019-09-30\/functions\/([^/]+)\/provisioned-concurrency\/?$/

/**
 * Put/Get/Delete/ListProvisionedConcurrencyConfigs (§3.2). Get and List share a path and a method:
 * `?List=ALL` asks for the list.
 */
export const provisionedRoutes: readonly Route[] = [
  { name: 'PutProvisionedConcurrencyConfig', method: 'PUT', path: PROVISIONED, handle: putConfig },
  { name: 'GetProvisionedConcurrencyConfig', method: 'GET', path: PROVISIONED, handle: getOrListConfigs },
  { name: 'DeleteProvisionedConcurrencyConfig', method: 'DELETE', path: PROVISIONED, handle: deleteConfig },
]

const putSchema = z.object({
  ProvisionedConcurrentExecutions: z.number({ error: 'is required and must be a number' }).int('must be a whole number').min(1, 'must be 1 or more'),
})

async function putConfig(context: RouteContext): Promise<void> {
  const { reference } = functionRequestOf(context)
  const request = parseOptions(putSchema, await readJsonObject(context.req, 'PutProvisionedConcurrencyConfig'), 'PutProvisionedConcurrencyConfig request')
  const info = context.host.putProvisionedConcurrency(reference.name, reference.qualifier ?? '', request.ProvisionedConcurrentExecutions)
  sendJson(context.res, 202, configBody(info))
}

async function getOrListConfigs(context: RouteContext): Promise<void> {
  const { reference, accountId } = functionRequestOf(context)
  const query = queryOf(context)
  if (query.get('List') === 'ALL') {
    const configs = context.host.listProvisionedConcurrency(reference.name)
    const page = paginate(configs, (config) => config.qualifier, (a, b) => (a < b ? -1 : a > b ? 1 : 0), query)
    sendJson(context.res, 200, {
      // The ARN in the caller's account, as every management reply has it.
      ProvisionedConcurrencyConfigs: page.items.map((info) => ({ FunctionArn: functionArn(context.host.region, accountId, info.functionName, info.qualifier), ...configBody(info) })),
      ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
    })
    return
  }
  sendJson(context.res, 200, configBody(context.host.getProvisionedConcurrency(reference.name, reference.qualifier ?? '')))
}

async function deleteConfig(context: RouteContext): Promise<void> {
  const { reference } = functionRequestOf(context)
  context.host.deleteProvisionedConcurrency(reference.name, reference.qualifier ?? '')
  sendJson(context.res, 204)
}

/** Lambda's GetProvisionedConcurrencyConfigResponse; StatusReason only when there is one. */
function configBody(info: ProvisionedConcurrencyInfo): Record<string, unknown> {
  return {
    RequestedProvisionedConcurrentExecutions: info.requested,
    AvailableProvisionedConcurrentExecutions: info.allocated,
    AllocatedProvisionedConcurrentExecutions: info.allocated,
    Status: info.status,
    ...(info.statusReason === undefined ? {} : { StatusReason: info.statusReason }),
    LastModified: info.lastModified,
  }
}
