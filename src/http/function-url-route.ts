import type { IncomingMessage } from 'node:http'
import { MAX_SYNC_PAYLOAD_BYTES } from '../host.js'
import { ThawError } from '../errors.js'
import { LATEST } from '../functions/registry.js'
import { isPreflight, preflightHeaders, responseCorsHeaders, withoutCorsHeaders } from './function-url-cors.js'
import { functionUrlEvent } from './function-url-event.js'
import { functionUrlReply } from './function-url-response.js'
import { functionUrlConfigsOf, type FunctionUrlPolicy } from './management/url-config-store.js'
import { readBody } from './request-body.js'
import type { Route, RouteContext } from './router.js'

export type { FunctionUrlPolicy } from './management/url-config-store.js'

/**
 * Where a function URL answers: `http://HOST:PORT/url/<name>/<path...>` for `$LATEST`, and
 * `http://HOST:PORT/url/<name>:<alias>/<path...>` for a URL config on an alias (the `:` may come
 * percent-encoded). A name holds no `:`, so the two forms cannot be confused.
 */
export const FUNCTION_URL_PREFIX = '/url/'

/** The URL a config is reported with (FunctionUrl) and answers at. */
export function functionUrlOf(baseUrl: string, functionName: string, qualifier: string): string {
  return `${baseUrl}${FUNCTION_URL_PREFIX}${functionName}${qualifier === LATEST ? '' : `:${qualifier}`}/`
}

/** `http://address:port` of the interface a request came in on (where its URLs answer). */
export function localBaseUrl(req: IncomingMessage): string {
  const raw = req.socket.localAddress ?? '127.0.0.1'
  const address = raw.startsWith('::ffff:') ? raw.slice('::ffff:'.length) : raw
  return `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? 0}`
}

/** Any method on `/url/<name>[:<alias>][/<path...>]`: the request as a payload 2.0 event, the result as the HTTP response. */
export function functionUrlRoute(policy: FunctionUrlPolicy): Route {
  return {
    name: 'FunctionUrl',
    method: '*',
    path: /^\/url\/([a-zA-Z0-9_-]{1,64})(?:(?::|%3[aA])([a-zA-Z0-9_-]{1,128}))?(\/.*)?$/,
    handle: (context) => serveFunctionUrl(context, policy),
  }
}

async function serveFunctionUrl(context: RouteContext, policy: FunctionUrlPolicy): Promise<void> {
  const { host, req, res } = context
  const [name = '', alias = '', rawPath = ''] = context.captures
  const qualifier = alias === '' ? LATEST : alias
  // An unknown function (or alias) answers as Lambda's Invoke would: Function not found.
  const info = host.getFunction(name, qualifier)
  const config = functionUrlConfigsOf(host).find(name, qualifier, policy)
  if (config === undefined) {
    const which = qualifier === LATEST ? name : `${name}:${qualifier}`
    throw new ThawError('THAW_FUNCTION_NOT_FOUND', `The function ${which} has no function URL`, { field: 'FunctionName' })
  }
  const cors = config.cors
  if (cors !== undefined && isPreflight(req)) {
    req.resume()
    res.writeHead(200, { ...preflightHeaders(cors, req), 'content-length': 0 }).end()
    return
  }
  const body = await readBody(req, MAX_SYNC_PAYLOAD_BYTES, 'Invoke')
  const event = functionUrlEvent({ req, rawPath: rawPath || '/', rawQuery: context.rawQuery, body, functionArn: info.functionArn })
  const reply = functionUrlReply(await host.invoke(name, event, qualifier === LATEST ? {} : { qualifier }))
  const headers = cors === undefined ? reply.headers : { ...withoutCorsHeaders(reply.headers), ...responseCorsHeaders(cors, req) }
  res.writeHead(reply.statusCode, { ...headers, 'content-length': reply.body.length })
  res.end(reply.body)
}
