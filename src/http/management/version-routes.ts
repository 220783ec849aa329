import { ThawError } from '../../errors.js'
import type { FunctionInfo } from '../../functions/registry.js'
import type { Route, RouteContext } from '../router.js'
import { apiStateOf } from './api-state.js'
import { functionConfiguration, versionView } from './function-configuration.js'
import { parsePublishVersion } from './function-settings.js'
import { compareVersions, paginate } from './pagination.js'
import { functionRequestOf, queryOf, readJsonObject, sendJson } from './request.js'
import { assertRevision, unqualified } from './update-routes.js'

/** PublishVersion and ListVersionsByFunction (§3.2). */
export const versionRoutes: readonly Route[] = [
  { name: 'PublishVersion', method: 'POST', path: /^\/2015-03-31\/functions\/([^/]+)\/versions\/?$/, handle: publishVersion },
  { name: 'ListVersionsByFunction', method: 'GET', path: /^\/2015-03-31\/functions\/([^/]+)\/versions\/?$/, handle: listVersions },
]

/**
 * Publishes `$LATEST`. When nothing changed since the newest version, that version comes back
 * (Lambda's rule, kept by the host), still with 201.
 */
async function publishVersion(context: RouteContext): Promise<void> {
  const { host } = context
  const target = unqualified(functionRequestOf(context))
  const request = parsePublishVersion(await readJsonObject(context.req, 'PublishVersion'))
  const state = apiStateOf(host)
  const configuration = await state.exclusive(host, target.name, target.accountId, async () => {
    const latest = host.getFunction(target.name)
    assertRevision(host, state, latest, request.RevisionId, target.accountId)
    if (request.CodeSha256 !== undefined && request.CodeSha256 !== latest.codeSha256) {
      throw new ThawError(
        'THAW_INVALID_REQUEST',
        `CodeSHA256 (${request.CodeSha256}) is different from current CodeSHA256 in $LATEST (${latest.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
        { field: 'CodeSha256' },
      )
    }
    const published = await host.publishVersion(target.name)
    state.recordPublished(published, target.accountId, request.Description)
    return functionConfiguration(host, versionView(host, target.name, published.version), target.accountId)
  })
  sendJson(context.res, 201, configuration)
}

async function listVersions(context: RouteContext): Promise<void> {
  const { host } = context
  const target = unqualified(functionRequestOf(context))
  const page = paginate(host.listVersions(target.name), (info: FunctionInfo) => info.version, compareVersions, queryOf(context))
  sendJson(context.res, 200, {
    Versions: page.items.map((info) => functionConfiguration(host, versionView(host, info.name, info.version), target.accountId)),
    ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
  })
}
