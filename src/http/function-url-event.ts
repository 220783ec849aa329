import { isUtf8 } from 'node:buffer'
import { createHash, randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** The request as a function URL hands it over: payload format 2.0 (§6.3 of the interface reference). */
export interface FunctionUrlEvent {
  readonly version: '2.0'
  readonly routeKey: '$default'
  readonly rawPath: string
  readonly rawQueryString: string
  readonly cookies?: string[]
  readonly headers: Record<string, string>
  readonly queryStringParameters?: Record<string, string>
  readonly requestContext: Record<string, unknown>
  readonly body?: string
  readonly pathParameters: null
  readonly isBase64Encoded: boolean
  readonly stageVariables: null
}

export interface FunctionUrlRequest {
  readonly req: IncomingMessage
  /** The path below `/url/<name>`, still percent-encoded; `/` when empty. */
  readonly rawPath: string
  readonly rawQuery: string
  readonly body: Buffer
  readonly functionArn: string
}

/**
 * Content types whose bodies the function gets as text; every other body (and text that is not
 * valid UTF-8) arrives base64-encoded with `isBase64Encoded: true`, as on Lambda.
 */
const TEXT_TYPE = /^(text\/|application\/([\w.+-]+\+)?(json|xml|javascript|x-www-form-urlencoded|graphql|yaml)\b)/i

export function functionUrlEvent({ req, rawPath, rawQuery, body, functionArn }: FunctionUrlRequest): FunctionUrlEvent {
  const headers = joinedHeaders(req.rawHeaders)
  const cookies = (headers.cookie ?? '')
    .split(';')
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie !== '')
  // As in API Gateway's payload 2.0, cookies move to `cookies[]` and leave the headers.
  delete headers.cookie
  const query = queryParameters(rawQuery)
  const asText = body.length === 0 || (isTextType(headers['content-type']) && isUtf8(body))
  const now = new Date()
  const urlId = functionUrlId(functionArn)
  const host = headers.host ?? `${urlId}.lambda-url.local`
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: rawQuery,
    ...(cookies.length === 0 ? {} : { cookies }),
    headers,
    ...(query === undefined ? {} : { queryStringParameters: query }),
    requestContext: {
      accountId: 'anonymous',
      apiId: urlId,
      authentication: null,
      authorizer: null,
      domainName: host,
      domainPrefix: host.split('.')[0]?.split(':')[0] ?? urlId,
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length === 0 ? {} : { body: asText ? body.toString('utf8') : body.toString('base64') }),
    pathParameters: null,
    isBase64Encoded: !asText,
    stageVariables: null,
  }
}

/** The 32-character id a function URL's host name starts with; stable for a function ARN. */
export function functionUrlId(functionArn: string): string {
  const digest = createHash('sha256').update(functionArn).digest()
  let id = ''
  for (const byte of digest.subarray(0, 32)) id += 'abcdefghijklmnopqrstuvwxyz234567'[byte % 32]
  return id
}

/** Header names lower-cased; a repeated header's values joined with commas (Node would drop some repeats). */
function joinedHeaders(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {}
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase()
    const value = rawHeaders[i + 1] ?? ''
    // The cookie header's repeats are joined the way a browser joins cookies, so they split back apart.
    const separator = name === 'cookie' ? '; ' : ','
    headers[name] = name in headers ? `${headers[name]}${separator}${value}` : value
  }
  return headers
}

/** Decoded query parameters, a repeated one's values joined with commas; undefined when there is no query. */
function queryParameters(rawQuery: string): Record<string, string> | undefined {
  if (rawQuery === '') return undefined
  const parameters: Record<string, string> = {}
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    parameters[key] = key in parameters ? `${parameters[key]},${value}` : value
  }
  return parameters
}

function isTextType(contentType: string | undefined): boolean {
  return contentType === undefined || TEXT_TYPE.test(contentType.trim())
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `12/Mar/2020:19:03:58 +0000`, the time format of requestContext.time. */
function clfTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
}
