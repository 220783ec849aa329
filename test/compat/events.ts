/** Events of the shapes AWS sends, for the corpus handlers. */

export interface HttpRequest {
  method: string
  /** The path and, after a `?`, the query string as the client sent it. */
  url: string
  headers?: Record<string, string>
  body?: string
  isBase64Encoded?: boolean
  cookies?: string[]
}

/**
 * A function URL / API Gateway HTTP API request, payload format 2.0: headers in lower case, the
 * raw query string, and `queryStringParameters` with repeated keys joined by commas, as AWS does.
 */
export function httpApiEvent(request: HttpRequest): Record<string, unknown> {
  const [rawPath = '/', rawQueryString = ''] = request.url.split('?', 2)
  const query: Record<string, string> = {}
  for (const [key, value] of new URLSearchParams(rawQueryString)) query[key] = key in query ? `${query[key]},${value}` : value
  const headers = Object.fromEntries(Object.entries({ host: 'abc123.lambda-url.us-east-1.on.aws', 'user-agent': 'compat', ...request.headers }).map(([k, v]) => [k.toLowerCase(), v]))
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(request.cookies === undefined ? {} : { cookies: request.cookies }),
    headers,
    ...(rawQueryString === '' ? {} : { queryStringParameters: query }),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abc123',
      domainName: 'abc123.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abc123',
      http: { method: request.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'compat' },
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      routeKey: '$default',
      stage: '$default',
      time: '12/Mar/2024:19:03:58 +0000',
      timeEpoch: 1710270238000,
    },
    ...(request.body === undefined ? {} : { body: request.body }),
    isBase64Encoded: request.isBase64Encoded ?? false,
  }
}
