import type { Route } from '../router.js'
import { accountRoutes } from './account-routes.js'
import { aliasRoutes } from './alias-routes.js'
import { concurrencyRoutes } from './concurrency-routes.js'
import { functionRoutes } from './function-routes.js'
import { provisionedRoutes } from './provisioned-routes.js'
import { updateRoutes } from './update-routes.js'
import { versionRoutes } from './version-routes.js'

/**
 * The management API subset (lambda-interfaces §3.2) over a host: functions, their code and
 * configuration, versions, aliases, reserved and provisioned concurrency, account settings. URL
 * configs and event-invoke configs are not served yet.
 */
export const managementRoutes: readonly Route[] = [...functionRoutes, ...updateRoutes, ...versionRoutes, ...aliasRoutes, ...concurrencyRoutes, ...provisionedRoutes, ...accountRoutes]
