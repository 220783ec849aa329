import { validateHeaderName, validateHeaderValue } from 'node:http'
import type { InvokeResult } from '../scheduler/run-invocation.js'

/** An HTTP response ready to send: repeated headers (Set-Cookie) are arrays. */
export interface HttpReply {
  readonly statusCode: number
  readonly headers: Record<string, string | string[]>
  readonly body: Buffer
}

/** Headers the server computes itself; a function cannot set them. */
const SERVER_HEADERS: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive'])

/**
 * Lambda's answer when the function fails or returns a response it cannot map. The exact body is
 * not documented; this is what function URLs are commonly seen to send.
 */
export function badGatewayReply(): HttpReply {
  return jsonReply(502, JSON.stringify({ Message: 'Internal Server Error' }))
}

/**
 * Maps an invocation to the HTTP response (§6.3): an object with `statusCode` is used as-is
 * (headers, `cookies[]` → Set-Cookie, a body base64-decoded when `isBase64Encoded`); any other
 * value is 200 `application/json` with the value's JSON, so a returned "Hello" keeps its quotes.
 */
export function functionUrlReply(result: InvokeResult): HttpReply {
  if (!result.ok) return badGatewayReply()
  const { payload } = result
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload) || !('statusCode' in payload)) {
    // Bytes a process runtime posted that are not text go out as they came.
    if (result.rawPayloadBytes !== undefined) return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: result.rawPayloadBytes }
    return jsonReply(200, result.rawPayload)
  }
  return structuredReply(payload as Record<string, unknown>) ?? badGatewayReply()
}

/** The `{ statusCode, headers, cookies, body, isBase64Encoded }` form, or undefined if it is malformed. */
function structuredReply(response: Record<string, unknown>): HttpReply | undefined {
  const { statusCode, headers = {}, cookies = [], body, isBase64Encoded } = response
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers) || !Array.isArray(cookies)) return undefined
  const replyHeaders: Record<string, string | string[]> = {}
  try {
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase()
      if (SERVER_HEADERS.has(lower) || value === undefined || value === null) continue
      const text = String(value)
      validateHeaderName(lower)
      validateHeaderValue(lower, text)
      replyHeaders[lower] = text
    }
    const setCookies = cookies.map(String)
    for (const cookie of setCookies) validateHeaderValue('set-cookie', cookie)
    if (setCookies.length > 0) replyHeaders['set-cookie'] = setCookies
  } catch {
    return undefined
  }
  replyHeaders['content-type'] ??= 'application/json'
  const text = body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body)
  return { statusCode, headers: replyHeaders, body: Buffer.from(text, isBase64Encoded === true ? 'base64' : 'utf8') }
}

function jsonReply(statusCode: number, json: string): HttpReply {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: Buffer.from(json, 'utf8') }
}
