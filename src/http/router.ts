import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Logger } from 'pino'
import type { Host } from '../host.js'
import { ThawError } from '../errors.js'
import { sendServiceError, toServiceError, type ServiceError } from './lambda-errors.js'
import { accountIdOf } from './caller-account.js'

/** What a route handler gets: the request, its parts, and the server's shared services. */
export interface RouteContext {
  readonly host: Host
  readonly req: IncomingMessage
  readonly res: ServerResponse
  /** The path as sent, still percent-encoded. */
  readonly rawPath: string
  /** Everything after `?`, as sent ('' when none). */
  readonly rawQuery: string
  /** The capture groups of the route's pattern, still percent-encoded. */
  readonly captures: readonly string[]
  readonly logger: Logger
  /** Keeps work going after the response (an Event invoke); the server's close() waits for it. */
  readonly runInBackground: (work: Promise<unknown>) => void
}

/**
 * One operation of the HTTP front end. `path` is matched against the raw (encoded) path, so an
 * encoded `/` inside a function ARN cannot split a segment. Other modules (the management API)
 * add their own routes through `startHttpServer({ routes })`.
 */
export interface Route {
  /** An operation name for logs, e.g. `Invoke`. */
  readonly name: string
  /** The HTTP method, or `*` for any (function URLs). */
  readonly method: string
  readonly path: RegExp
  handle(context: RouteContext): Promise<void>
}

export type RouteServices = Pick<RouteContext, 'host' | 'logger' | 'runInBackground'>

/** The request listener: first matching route wins; a thrown error becomes a Lambda-style error reply. */
export function createRouter(routes: readonly Route[], services: RouteServices) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = req.url ?? '/'
    const question = target.indexOf('?')
    const rawPath = question < 0 ? target : target.slice(0, question)
    const rawQuery = question < 0 ? '' : target.slice(question + 1)
    try {
      for (const route of routes) {
        if (route.method !== '*' && route.method !== req.method) continue
        const match = route.path.exec(rawPath)
        if (match === null) continue
        await route.handle({ ...services, req, res, rawPath, rawQuery, captures: match.slice(1).map((group) => group ?? '') })
        return
      }
      throw new ThawError('THAW_UNKNOWN_ROUTE', `No operation answers ${req.method ?? 'GET'} ${rawPath}`)
    } catch (error) {
      const reply = inCallersAccount(toServiceError(error), req, services.host)
      if (reply.httpStatus >= 500) services.logger.error({ err: error, method: req.method, path: rawPath }, 'request failed')
      sendServiceError(res, reply)
      // An unread body (a route that failed before reading it) must not hold the connection.
      if (!req.complete) req.resume()
    }
  }
}

/**
 * The host names ARNs in its own account; a caller whose access key is another 12-digit account
 * gets every ARN in its own (what the API's answers already do), error messages included.
 */
function inCallersAccount(reply: ServiceError, req: IncomingMessage, host: Host): ServiceError {
  const caller = accountIdOf(req, host)
  if (caller === host.accountId) return reply
  return { ...reply, message: reply.message.replaceAll(`:${host.region}:${host.accountId}:`, `:${host.region}:${caller}:`) }
}

/** A percent-decoded path segment; broken encoding is the caller's error, not a crash. */
export function decodeSegment(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    throw new ThawError('THAW_INVALID_REQUEST', `The ${what} is not validly percent-encoded: ${segment}`, { field: what })
  }
}
