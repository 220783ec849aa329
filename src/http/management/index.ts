import type { Route } from '../router.js'
import { accountRoutes } from './account-routes.js'
import { aliasRoutes } from './alias-routes.js'
import { concurrencyRoutes } from './concurrency-routes.js'
import { eventInvokeConfigRoutes } from './event-invoke-config-routes.js'
import { functionRoutes } from './function-routes.js'
import { provisionedRoutes } from './provisioned-routes.js'
import { updateRoutes } from './update-routes.js'
import { versionRoutes } from './version-routes.js'

/**
 * The management API subset (lambda-interfaces §3.2) over a host: functions, their code and
 * configuration, versions, aliases, reserved and provisioned concurrency, event-invoke configs,
 * account settings. Function URL configs depend on the server's defaults: startHttpServer adds
 * them (url-config-routes.ts).
 */
export const managementRoutes: readonly Route[] = [
  ...functionRoutes,
  ...updateRoutes,
  ...versionRoutes,
  ...aliasRoutes,
  ...concurrencyRoutes,
  ...provisionedRoutes,
  ...eventInvokeConfigRoutes,
  ...accountRoutes,
]
