import type { IncomingMessage } from 'node:http'
import { MAX_SYNC_PAYLOAD_BYTES } from '../host.js'
import { ThawError } from '../errors.js'
import type { InvokeResult } from '../scheduler/run-invocation.js'
import { assertSameAccount, parseFunctionReference } from './function-name.js'
import { accountIdOf } from './caller-account.js'
import { readBody } from './request-body.js'
import { decodeSegment, type Route, type RouteContext } from './router.js'

/** Lambda's limit on an asynchronous (`Event`) request since late 2025. */
export const MAX_ASYNC_PAYLOAD_BYTES = 1024 * 1024
/** `X-Amz-Log-Result` carries the last 4 KB of the invocation's log. */
const TAIL_BYTES = 4096
/** The longest `X-Amz-Client-Context` Lambda accepts. */
const MAX_CLIENT_CONTEXT_BYTES = 3583

/** `POST /2015-03-31/functions/{FunctionName}/invocations` (Invoke, §2 of the interface reference). */
export const invokeRoute: Route = {
  name: 'Invoke',
  method: 'POST',
  path: /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/,
  handle: invoke,
}

async function invoke(context: RouteContext): Promise<void> {
  const { host, req, res } = context
  const qualifier = context.rawQuery === '' ? null : new URLSearchParams(context.rawQuery).get('Qualifier')
  const reference = parseFunctionReference(decodeSegment(context.captures[0] ?? '', 'FunctionName'), qualifier)
  const invocationType = headerEnum(req, 'x-amz-invocation-type', ['RequestResponse', 'Event', 'DryRun'], 'RequestResponse')
  const tail = headerEnum(req, 'x-amz-log-type', ['None', 'Tail'], 'None') === 'Tail'
  const clientContext = parseClientContext(req.headers['x-amz-client-context'])
  const traceId = singleHeader(req, 'x-amzn-trace-id')

  const isEvent = invocationType === 'Event'
  const body = await readBody(req, isEvent ? MAX_ASYNC_PAYLOAD_BYTES : MAX_SYNC_PAYLOAD_BYTES, isEvent ? 'InvokeAsync' : 'Invoke')
  const info = host.getFunction(reference.name, reference.qualifier)
  assertSameAccount(reference, info, accountIdOf(req, host))
  // The SDK sends Content-Type: application/octet-stream: the body is JSON whatever the header says.
  const payload = body.toString('utf8')
  const options = { qualifier: reference.qualifier, payload, traceId }

  if (invocationType !== 'RequestResponse') {
    // The synchronous path leaves this check to host.invoke; these two answer before anything runs.
    assertJson(payload)
    if (invocationType === 'DryRun') {
      res.writeHead(204).end()
      return
    }
    // No durable queue yet: the event runs now, in this process, and is lost if it stops.
    context.runInBackground(
      host.invoke(reference.name, undefined, options).then(
        (result) => {
          if (!result.ok) context.logger.warn({ function: reference.name, requestId: result.requestId, error: result.error }, 'Event invocation failed')
        },
        (error: unknown) => context.logger.error({ err: error, function: reference.name }, 'Event invocation could not run'),
      ),
    )
    res.writeHead(202, { 'content-length': 0 }).end()
    return
  }

  // Client context reaches the function on synchronous calls only, as on Lambda.
  const result = await host.invoke(reference.name, undefined, { ...options, clientContext })
  sendResult(context, result, tail)
}

function sendResult({ res }: RouteContext, result: InvokeResult, tail: boolean): void {
  const body = result.rawPayloadBytes ?? result.rawPayload
  // A flat [name, value, …] list: the cheapest form of headers for Node's writeHead.
  const headers = [
    'content-type',
    'application/json',
    'content-length',
    String(typeof body === 'string' ? Buffer.byteLength(body) : body.length),
    'x-amzn-requestid',
    result.requestId,
    'x-amz-executed-version',
    result.executedVersion,
  ]
  if (!result.ok) headers.push('x-amz-function-error', 'Unhandled')
  if (tail) headers.push('x-amz-log-result', lastBytes(result.logs, TAIL_BYTES).toString('base64'))
  res.writeHead(200, headers)
  res.end(body)
}

function lastBytes(text: string, count: number): Buffer {
  const bytes = Buffer.from(text, 'utf8')
  return bytes.length <= count ? bytes : bytes.subarray(bytes.length - count)
}

function assertJson(payload: string): void {
  if (payload === '') return
  try {
    JSON.parse(payload)
  } catch (error) {
    throw new ThawError('THAW_INVALID_REQUEST_CONTENT', `Could not parse request body into json: ${(error as Error).message}`, { field: 'Payload' })
  }
}

function singleHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function headerEnum<Value extends string>(req: IncomingMessage, name: string, allowed: readonly Value[], fallback: Value): Value {
  const value = singleHeader(req, name)
  if (value === undefined || value === '') return fallback
  if ((allowed as readonly string[]).includes(value)) return value as Value
  throw new ThawError('THAW_INVALID_REQUEST', `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, { field: name })
}

/** `X-Amz-Client-Context`: base64 of a JSON object, at most 3,583 bytes as sent. */
function parseClientContext(header: string | string[] | undefined): Record<string, unknown> | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (value === undefined || value === '') return undefined
  const fail = (why: string) =>
    new ThawError('THAW_INVALID_REQUEST', `X-Amz-Client-Context must be base64-encoded JSON object: ${why}`, { field: 'X-Amz-Client-Context' })
  if (value.length > MAX_CLIENT_CONTEXT_BYTES) throw fail(`it is over ${MAX_CLIENT_CONTEXT_BYTES} bytes`)
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) throw fail('it is not base64')
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64').toString('utf8'))
  } catch {
    throw fail('the decoded text is not JSON')
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw fail('the JSON is not an object')
  return parsed as Record<string, unknown>
}
