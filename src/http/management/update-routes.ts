import { ThawError } from '../../errors.js'
import { CodePackage } from '../../functions/code-package.js'
import type { FunctionInfo } from '../../functions/registry.js'
import { functionArn } from '../../functions/lambda-env.js'
import type { Host } from '../../host.js'
import type { Route, RouteContext } from '../router.js'
import { apiStateOf, type ApiState } from './api-state.js'
import { functionConfiguration, versionView } from './function-configuration.js'
import { apiSettingsOf, deployChanges, parseUpdateCode, parseUpdateConfiguration, runtimeKindFor, zipBytes } from './function-settings.js'
import { functionRequestOf, readJsonObject, sendJson, type FunctionRequest } from './request.js'

/** UpdateFunctionCode and UpdateFunctionConfiguration: both replace `$LATEST` (§3.2). */
export const updateRoutes: readonly Route[] = [
  { name: 'UpdateFunctionCode', method: 'PUT', path: /^\/2015-03-31\/functions\/([^/]+)\/code\/?$/, handle: updateFunctionCode },
  { name: 'UpdateFunctionConfiguration', method: 'PUT', path: /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/, handle: updateFunctionConfiguration },
]

async function updateFunctionCode(context: RouteContext): Promise<void> {
  const { host } = context
  const target = unqualified(functionRequestOf(context))
  const request = parseUpdateCode(await readJsonObject(context.req, 'UpdateFunctionCode'))
  const zip = zipBytes(request.ZipFile)
  const state = apiStateOf(host)
  const configuration = await state.exclusive(host, target.name, target.accountId, async () => {
    const current = versionView(host, target.name)
    assertRevision(host, state, current.info, request.RevisionId, target.accountId)
    if (request.DryRun === true) {
      // Validate the package, change nothing, answer with what the function would become.
      const pkg = await CodePackage.load({ zip })
      return { ...functionConfiguration(host, current, target.accountId), CodeSha256: pkg.sha256, CodeSize: zip.byteLength }
    }
    await host.deploy({ ...current.config, code: { zip } })
    state.setLatest(target.name, apiSettingsOf(request, state.settings(current.info, target.accountId)))
    return functionConfiguration(host, await maybePublish(host, state, target, request.Publish), target.accountId)
  })
  sendJson(context.res, 200, configuration)
}

async function updateFunctionConfiguration(context: RouteContext): Promise<void> {
  const { host } = context
  const target = unqualified(functionRequestOf(context))
  const request = parseUpdateConfiguration(await readJsonObject(context.req, 'UpdateFunctionConfiguration'))
  const runtime = request.Runtime === undefined ? undefined : runtimeKindFor(request.Runtime)
  const state = apiStateOf(host)
  const configuration = await state.exclusive(host, target.name, target.accountId, async () => {
    const current = versionView(host, target.name)
    assertRevision(host, state, current.info, request.RevisionId, target.accountId)
    await host.deploy({ ...current.config, ...(runtime === undefined ? {} : { runtime }), ...deployChanges(request) })
    state.setLatest(target.name, apiSettingsOf(request, state.settings(current.info, target.accountId)))
    return functionConfiguration(host, versionView(host, target.name), target.accountId)
  })
  sendJson(context.res, 200, configuration)
}

async function maybePublish(host: Host, state: ApiState, target: Target, publish: boolean | undefined) {
  if (publish !== true) return versionView(host, target.name)
  const published = await host.publishVersion(target.name)
  state.recordPublished(published, target.accountId, undefined)
  return versionView(host, target.name, published.version)
}

interface Target {
  readonly name: string
  readonly accountId: string
}

/** Updates change `$LATEST`; a qualified name would suggest changing a version, which is immutable. */
export function unqualified({ reference, accountId }: FunctionRequest): Target {
  if (reference.qualifier !== undefined) {
    throw new ThawError('THAW_INVALID_REQUEST', `This operation does not take a qualifier; ${JSON.stringify(reference.given)} has one`, {
      field: 'FunctionName',
    })
  }
  return { name: reference.name, accountId }
}

/** Optimistic locking: a RevisionId, when given, must be the one the function has now. */
export function assertRevision(host: Host, state: ApiState, info: FunctionInfo, revisionId: string | undefined, accountId: string): void {
  if (revisionId === undefined || revisionId === state.revisionId(info)) return
  throw new ThawError(
    'THAW_PRECONDITION_FAILED',
    `The Revision Id provided does not match the latest Revision Id of ${functionArn(host.region, accountId, info.name)}. Call the GetFunction API to retrieve the latest Revision Id`,
    { field: 'RevisionId' },
  )
}
