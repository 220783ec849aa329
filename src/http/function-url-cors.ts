import type { IncomingMessage } from 'node:http'
import type { FunctionUrlCors } from './management/url-config-store.js'

/**
 * CORS for a function URL whose config has `Cors`, as Lambda applies it in front of the function:
 * Lambda answers a preflight itself (the function never sees it) and adds the Access-Control-*
 * headers to every other answer, in place of any the function set.
 */

/** A browser's preflight: OPTIONS with an Origin and the method it wants to use. */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined
}

/** The preflight answer's headers; none (a bare 200) when the origin is not allowed. */
export function preflightHeaders(cors: FunctionUrlCors, req: IncomingMessage): Record<string, string> {
  const allowOrigin = allowedOrigin(cors, req.headers.origin)
  if (allowOrigin === undefined) return { vary: 'Origin' }
  return {
    ...originHeaders(cors, allowOrigin),
    ...listHeader('access-control-allow-methods', cors.AllowMethods),
    ...listHeader('access-control-allow-headers', cors.AllowHeaders),
    ...(cors.MaxAge === undefined ? {} : { 'access-control-max-age': String(cors.MaxAge) }),
  }
}

/** What a normal response carries: the origin (when allowed) and the exposed headers. */
export function responseCorsHeaders(cors: FunctionUrlCors, req: IncomingMessage): Record<string, string> {
  const allowOrigin = allowedOrigin(cors, req.headers.origin)
  if (allowOrigin === undefined) return {}
  return { ...originHeaders(cors, allowOrigin), ...listHeader('access-control-expose-headers', cors.ExposeHeaders) }
}

/** Drops whatever Access-Control-* headers the function set itself: the URL's config wins. */
export function withoutCorsHeaders(headers: Record<string, string | string[]>): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('access-control-')))
}

/**
 * `*` answers any origin with `*`, except with credentials, where browsers refuse `*`: then the
 * origin itself is echoed. A listed origin is echoed; origins compare case-insensitively.
 */
function allowedOrigin(cors: FunctionUrlCors, origin: string | undefined): string | undefined {
  const allowed = cors.AllowOrigins ?? []
  if (allowed.includes('*')) return cors.AllowCredentials === true && origin !== undefined ? origin : '*'
  if (origin === undefined) return undefined
  return allowed.some((candidate) => candidate.toLowerCase() === origin.toLowerCase()) ? origin : undefined
}

function originHeaders(cors: FunctionUrlCors, allowOrigin: string): Record<string, string> {
  return {
    'access-control-allow-origin': allowOrigin,
    ...(cors.AllowCredentials === true ? { 'access-control-allow-credentials': 'true' } : {}),
    // The answer depends on the Origin asked with, unless it is `*` for everyone.
    ...(allowOrigin === '*' ? {} : { vary: 'Origin' }),
  }
}

function listHeader(name: string, values: readonly string[] | undefined): Record<string, string> {
  return values === undefined || values.length === 0 ? {} : { [name]: values.join(',') }
}
