import { MAX_SYNC_PAYLOAD_BYTES } from '../host.js'
import { ThawError } from '../errors.js'
import { functionUrlEvent } from './function-url-event.js'
import { functionUrlReply } from './function-url-response.js'
import { readBody } from './request-body.js'
import type { Route, RouteContext } from './router.js'

/** Where each function answers as a function URL: `http://HOST:PORT/url/<name>/<path...>`. */
export const FUNCTION_URL_PREFIX = '/url/'

/**
 * Which functions answer at a function URL. Directory mode serves every function; a template or
 * the management API (CreateFunctionUrlConfig) can narrow it.
 */
export type FunctionUrlPolicy = (functionName: string) => boolean

/** Any method on `/url/<name>[/<path...>]`: the request as a payload 2.0 event, the result as the HTTP response. */
export function functionUrlRoute(hasUrl: FunctionUrlPolicy): Route {
  return {
    name: 'FunctionUrl',
    method: '*',
    path: /^\/url\/([a-zA-Z0-9_-]{1,64})(\/.*)?$/,
    handle: (context) => serveFunctionUrl(context, hasUrl),
  }
}

async function serveFunctionUrl(context: RouteContext, hasUrl: FunctionUrlPolicy): Promise<void> {
  const { host, req, res } = context
  const name = context.captures[0] ?? ''
  // Function URLs point at $LATEST here (no URL config with a qualifier yet).
  const info = host.getFunction(name)
  if (!hasUrl(name)) throw new ThawError('THAW_FUNCTION_NOT_FOUND', `The function ${name} has no function URL`, { field: 'FunctionName' })
  const body = await readBody(req, MAX_SYNC_PAYLOAD_BYTES, 'Invoke')
  const event = functionUrlEvent({ req, rawPath: context.captures[1] || '/', rawQuery: context.rawQuery, body, functionArn: info.functionArn })
  const reply = functionUrlReply(await host.invoke(name, event))
  res.writeHead(reply.statusCode, { ...reply.headers, 'content-length': reply.body.length })
  res.end(reply.body)
}
