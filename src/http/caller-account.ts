import type { IncomingMessage } from 'node:http'
import type { Host } from '../host.js'

const CREDENTIAL = /Credential=([^/,\s]+)\//

/**
 * The account a request acts as. Signatures are not verified (as in other local emulators); the
 * access key of the SigV4 `Credential=` scope is the account id when it is 12 digits, so tests
 * and tools can pick an account by their credentials. Otherwise it is the host's.
 */
export function accountIdOf(req: IncomingMessage, host: Host): string {
  const authorization = req.headers.authorization ?? ''
  const accessKey = CREDENTIAL.exec(authorization)?.[1]
  return accessKey !== undefined && /^\d{12}$/.test(accessKey) ? accessKey : host.accountId
}
