import { ACCOUNT_CONCURRENCY } from '../../functions/concurrency.js'
import type { Route, RouteContext } from '../router.js'
import { deploymentPackageSize, versionView } from './function-configuration.js'
import { sendJson } from './request.js'

/**
 * Lambda's default quotas (lambda-interfaces §4.7). Thaw enforces the package sizes when it
 * loads code; the others are what a fresh account reports.
 */
const ACCOUNT_LIMIT = Object.freeze({
  TotalCodeSize: 80_530_636_800,
  CodeSizeUnzipped: 262_144_000,
  CodeSizeZipped: 52_428_800,
  ConcurrentExecutions: ACCOUNT_CONCURRENCY,
})

/**
 * GetAccountSettings (§3.2): the limits, and the usage of every version of every function.
 * UnreservedConcurrentExecutions is what the functions' reserved concurrency leaves of the account's.
 */
export const accountRoutes: readonly Route[] = [
  { name: 'GetAccountSettings', method: 'GET', path: /^\/2016-08-19\/account-settings\/?$/, handle: getAccountSettings },
]

async function getAccountSettings({ host, res }: RouteContext): Promise<void> {
  const functions = host.listFunctions()
  const totalCodeSize = functions.flatMap((info) => host.listVersions(info.name))
    .reduce((sum, info) => sum + deploymentPackageSize(versionView(host, info.name, info.version)), 0)
  sendJson(res, 200, {
    AccountLimit: { ...ACCOUNT_LIMIT, UnreservedConcurrentExecutions: host.unreservedConcurrency },
    AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: functions.length },
  })
}
