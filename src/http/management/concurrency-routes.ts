import { z } from 'zod'
import { parseOptions } from '../../config/validate.js'
import type { Route, RouteContext } from '../router.js'
import { functionRequestOf, readJsonObject, sendJson } from './request.js'
import { unqualified } from './update-routes.js'

/** Put/Get/DeleteFunctionConcurrency (§3.2): reserved concurrency, enforced by the host. */
export const concurrencyRoutes: readonly Route[] = [
  { name: 'PutFunctionConcurrency', method: 'PUT', path: /^\/2017-10-31\/functions\/([^/]+)\/concurrency\/?$/, handle: putConcurrency },
  { name: 'GetFunctionConcurrency', method: 'GET', path: /^\/2019-09-30\/functions\/([^/]+)\/concurrency\/?$/, handle: getConcurrency },
  { name: 'DeleteFunctionConcurrency', method: 'DELETE', path: /^\/2017-10-31\/functions\/([^/]+)\/concurrency\/?$/, handle: deleteConcurrency },
]

const putSchema = z.object({
  ReservedConcurrentExecutions: z.number({ error: 'is required and must be a number' }).int('must be a whole number').min(0, 'must be 0 or more'),
})

async function putConcurrency(context: RouteContext): Promise<void> {
  const target = unqualified(functionRequestOf(context))
  const request = parseOptions(putSchema, await readJsonObject(context.req, 'PutFunctionConcurrency'), 'PutFunctionConcurrency request')
  context.host.putFunctionConcurrency(target.name, request.ReservedConcurrentExecutions)
  sendJson(context.res, 200, { ReservedConcurrentExecutions: request.ReservedConcurrentExecutions })
}

/** A function without reserved concurrency answers an empty object, as Lambda does. */
async function getConcurrency(context: RouteContext): Promise<void> {
  const target = unqualified(functionRequestOf(context))
  const reserved = context.host.getFunctionConcurrency(target.name)
  sendJson(context.res, 200, reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved })
}

async function deleteConcurrency(context: RouteContext): Promise<void> {
  const target = unqualified(functionRequestOf(context))
  context.host.deleteFunctionConcurrency(target.name)
  sendJson(context.res, 204)
}
