import { z } from 'zod'
import { parseOptions } from '../../config/validate.js'
import { ThawError } from '../../errors.js'
import { functionArn } from '../../functions/lambda-env.js'
import { LATEST } from '../../functions/registry.js'
import type { Route, RouteContext } from '../router.js'
import { eventInvokeConfigsOf, type EventInvokeConfig, type EventInvokeDestinations, type EventInvokeSettings } from './event-invoke-config-store.js'
import { paginate } from './pagination.js'
import { functionRequestOf, queryOf, readJsonObject, sendJson } from './request.js'
import { unqualified } from './update-routes.js'

const CONFIG = /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config\/?$/
const LIST = /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config\/list\/?$/

/**
 * Put/Update/Get/Delete/ListFunctionEventInvokeConfig(s) (§3.2): stored and validated, not acted
 * on yet (Event invokes have no queue; see event-invoke-config-store.ts).
 */
export const eventInvokeConfigRoutes: readonly Route[] = [
  { name: 'PutFunctionEventInvokeConfig', method: 'PUT', path: CONFIG, handle: putConfig },
  { name: 'UpdateFunctionEventInvokeConfig', method: 'POST', path: CONFIG, handle: updateConfig },
  { name: 'GetFunctionEventInvokeConfig', method: 'GET', path: CONFIG, handle: getConfig },
  { name: 'DeleteFunctionEventInvokeConfig', method: 'DELETE', path: CONFIG, handle: deleteConfig },
  { name: 'ListFunctionEventInvokeConfigs', method: 'GET', path: LIST, handle: listConfigs },
]

/**
 * Lambda's DestinationArn pattern, with the services a destination may be: SQS, SNS, Lambda,
 * EventBridge; S3 only on failure. An empty string is allowed and means none.
 */
const ARN = /^arn:aws[a-zA-Z0-9-]*:([a-zA-Z0-9-]+):([a-z]{2}(?:-gov)?-[a-z]+-\d)?:(\d{12})?:.+$/
const destination = (services: readonly string[], names: string) =>
  z.object({
    Destination: z
      .string()
      .refine((arn) => arn === '' || services.includes(ARN.exec(arn)?.[1] ?? ''), { message: `must be the ARN of ${names}` })
      .optional(),
  })
const settingsSchema = z.object({
  MaximumRetryAttempts: z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 to 2').max(2, 'must be 0 to 2').optional(),
  MaximumEventAgeInSeconds: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(60, 'must be 60 to 21600')
    .max(21600, 'must be 60 to 21600')
    .optional(),
  DestinationConfig: z
    .object({
      OnSuccess: destination(['sqs', 'sns', 'lambda', 'events'], 'an SQS queue, SNS topic, Lambda function or EventBridge event bus').optional(),
      OnFailure: destination(['sqs', 'sns', 'lambda', 'events', 's3'], 'an SQS queue, SNS topic, Lambda function, EventBridge event bus or S3 bucket').optional(),
    })
    .optional(),
})
type SettingsRequest = z.output<typeof settingsSchema>

/** Replaces the whole config: members not given are unset afterwards. */
async function putConfig(context: RouteContext): Promise<void> {
  const target = targetOf(context)
  const request = await readSettings(context, 'PutFunctionEventInvokeConfig')
  const config = eventInvokeConfigsOf(context.host).put(target.name, target.qualifier, settingsOf(request, { destinations: {} }))
  sendJson(context.res, 200, configView(context, target.accountId, config))
}

/** Changes the members given (a DestinationConfig replaces the stored one whole); the config must exist. */
async function updateConfig(context: RouteContext): Promise<void> {
  const target = targetOf(context)
  const request = await readSettings(context, 'UpdateFunctionEventInvokeConfig')
  const store = eventInvokeConfigsOf(context.host)
  const current = existing(context, target)
  const config = store.put(target.name, target.qualifier, settingsOf(request, current))
  sendJson(context.res, 200, configView(context, target.accountId, config))
}

async function getConfig(context: RouteContext): Promise<void> {
  const target = targetOf(context)
  sendJson(context.res, 200, configView(context, target.accountId, existing(context, target)))
}

async function deleteConfig(context: RouteContext): Promise<void> {
  const target = targetOf(context)
  existing(context, target)
  eventInvokeConfigsOf(context.host).delete(target.name, target.qualifier)
  sendJson(context.res, 204)
}

/** `$LATEST` first, then versions by number, then aliases by name. */
async function listConfigs(context: RouteContext): Promise<void> {
  const target = unqualified(functionRequestOf(context))
  context.host.getFunction(target.name)
  const query = queryOf(context)
  const maxItems = query.get('MaxItems')
  // Lambda's limit for this listing is 50, lower than the other listings'.
  if (maxItems !== null && maxItems !== '' && !(Number.isInteger(Number(maxItems)) && Number(maxItems) >= 1 && Number(maxItems) <= 50)) {
    throw new ThawError('THAW_INVALID_REQUEST', `MaxItems must be a whole number from 1 to 50, got ${JSON.stringify(maxItems)}`, { field: 'MaxItems' })
  }
  const configs = eventInvokeConfigsOf(context.host).list(target.name)
  const sorted = configs.sort((a, b) => compareQualifiers(a.qualifier, b.qualifier))
  const page = paginate(sorted, (config) => config.qualifier, compareQualifiers, query)
  sendJson(context.res, 200, {
    FunctionEventInvokeConfigs: page.items.map((config) => configView(context, target.accountId, config)),
    ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
  })
}

interface Target {
  readonly name: string
  readonly qualifier: string
  readonly accountId: string
}

/** The function, version or alias the request names; it must exist. */
function targetOf(context: RouteContext): Target {
  const { accountId, reference } = functionRequestOf(context)
  const qualifier = reference.qualifier ?? LATEST
  context.host.getFunction(reference.name, qualifier)
  return { name: reference.name, qualifier, accountId }
}

function existing(context: RouteContext, target: Target): EventInvokeConfig {
  const config = eventInvokeConfigsOf(context.host).get(target.name, target.qualifier)
  if (config === undefined) {
    const arn = functionArn(context.host.region, target.accountId, target.name, target.qualifier)
    throw new ThawError('THAW_FUNCTION_NOT_FOUND', `The function ${arn} doesn't have an EventInvokeConfig`, { field: 'FunctionName' })
  }
  return config
}

async function readSettings(context: RouteContext, operation: string): Promise<SettingsRequest> {
  return parseOptions(settingsSchema, await readJsonObject(context.req, operation), `${operation} request`, 'THAW_INVALID_REQUEST')
}

/** The request's members over `base` (nothing, for Put; the current config, for Update). */
function settingsOf(request: SettingsRequest, base: EventInvokeSettings): EventInvokeSettings {
  const retries = request.MaximumRetryAttempts ?? base.maximumRetryAttempts
  const age = request.MaximumEventAgeInSeconds ?? base.maximumEventAgeInSeconds
  return {
    ...(retries === undefined ? {} : { maximumRetryAttempts: retries }),
    ...(age === undefined ? {} : { maximumEventAgeInSeconds: age }),
    destinations: request.DestinationConfig === undefined ? base.destinations : destinationsOf(request.DestinationConfig),
  }
}

function destinationsOf(config: NonNullable<SettingsRequest['DestinationConfig']>): EventInvokeDestinations {
  const onSuccess = config.OnSuccess?.Destination
  const onFailure = config.OnFailure?.Destination
  return {
    ...(onSuccess === undefined || onSuccess === '' ? {} : { onSuccess }),
    ...(onFailure === undefined || onFailure === '' ? {} : { onFailure }),
  }
}

/** Lambda's FunctionEventInvokeConfig: LastModified in epoch seconds, FunctionArn qualified (`:$LATEST` too). */
function configView(context: RouteContext, accountId: string, config: EventInvokeConfig): Record<string, unknown> {
  const { onSuccess, onFailure } = config.destinations
  return {
    LastModified: config.lastModified,
    FunctionArn: functionArn(context.host.region, accountId, config.functionName, config.qualifier),
    ...(config.maximumRetryAttempts === undefined ? {} : { MaximumRetryAttempts: config.maximumRetryAttempts }),
    ...(config.maximumEventAgeInSeconds === undefined ? {} : { MaximumEventAgeInSeconds: config.maximumEventAgeInSeconds }),
    DestinationConfig: {
      OnSuccess: onSuccess === undefined ? {} : { Destination: onSuccess },
      OnFailure: onFailure === undefined ? {} : { Destination: onFailure },
    },
  }
}

function compareQualifiers(a: string, b: string): number {
  const rank = (qualifier: string) => (qualifier === LATEST ? 0 : /^\d+$/.test(qualifier) ? 1 : 2)
  if (rank(a) !== rank(b)) return rank(a) - rank(b)
  if (rank(a) === 1) return Number(a) - Number(b)
  return a < b ? -1 : a > b ? 1 : 0
}
