/**
 * Function URLs of the HTTP front end: `http://HOST:PORT/url/<name>/<path...>` on a real server on
 * 127.0.0.1, called with undici. The request becomes a payload 2.0 event; the function's answer
 * becomes the HTTP response (§6.3 of the interface reference).
 */
import t from 'tap'
import { request } from 'undici'
import { createHost } from '../src/index.js'
import { startHttpServer } from '../src/http/server.js'

const host = await createHost({ shards: 1 })
t.teardown(() => host.close())
const deploy = (name: string, source: string) =>
  host.deploy({ name, runtime: 'quickjs', handler: 'index.handler', code: { files: { 'index.mjs': source } } })

// Answers with the event it got, as JSON.
await deploy('mirror', `export const handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) })`)
// Answers with whatever response the event asks for (the test sends it as the body).
await deploy('respond', `export const handler = async (event) => JSON.parse(event.body).response`)
await deploy('plain', `export const handler = async (event) => event.rawQueryString === 'string' ? 'Hello' : { hello: 'world' }`)
await deploy('fails', `export const handler = async () => { throw new Error('boom') }`)

const server = await startHttpServer({ host, port: 0 })
t.teardown(() => server.destroy())
const base = server.url

interface Event {
  version: string
  routeKey: string
  rawPath: string
  rawQueryString: string
  cookies?: string[]
  headers: Record<string, string>
  queryStringParameters?: Record<string, string>
  requestContext: { http: Record<string, string>; requestId: string; time: string; timeEpoch: number; routeKey: string; stage: string; accountId: string; domainName: string; apiId: string }
  body?: string
  isBase64Encoded: boolean
  pathParameters: null
  stageVariables: null
}

async function mirror(path: string, options: Parameters<typeof request>[1] = {}): Promise<Event> {
  const res = await request(`${base}/url/mirror${path}`, options)
  t.equal(res.statusCode, 200, `the mirror answered ${path}`)
  return (await res.body.json()) as Event
}

t.test('a GET: payload 2.0 event with the path below /url/<name>, query and request context', async (t) => {
  const event = await mirror('/users/42/a%20b?a=1&a=2&b=x%20y&empty=', { headers: { 'user-agent': 'thaw-test/1' } })
  t.equal(event.version, '2.0')
  t.equal(event.routeKey, '$default')
  t.equal(event.rawPath, '/users/42/a%20b', 'the /url/mirror prefix is gone; the path stays as sent')
  t.equal(event.rawQueryString, 'a=1&a=2&b=x%20y&empty=')
  t.same(event.queryStringParameters, { a: '1,2', b: 'x y', empty: '' }, 'decoded; repeats joined with commas')
  t.equal(event.isBase64Encoded, false)
  t.notOk('body' in event, 'no body, no body key')
  t.notOk('cookies' in event, 'no cookies, no cookies key')
  t.equal(event.pathParameters, null)
  t.equal(event.stageVariables, null)
  t.match(event.requestContext.http, { method: 'GET', path: '/users/42/a%20b', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'thaw-test/1' })
  t.match(event.requestContext, { routeKey: '$default', stage: '$default', accountId: 'anonymous', domainName: `127.0.0.1:${server.port}` })
  t.match(event.requestContext.apiId, /^[a-z2-7]{32}$/)
  t.match(event.requestContext.requestId, /^[0-9a-f-]{36}$/)
  t.match(event.requestContext.time, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/)
  t.type(event.requestContext.timeEpoch, 'number')
})

t.test('the function root: /url/<name> and /url/<name>/ are both rawPath "/"; no query is an empty string', async (t) => {
  for (const path of ['', '/']) {
    const event = await mirror(path)
    t.equal(event.rawPath, '/')
    t.equal(event.rawQueryString, '')
    t.notOk('queryStringParameters' in event)
  }
})

t.test('headers lower-cased, repeated ones comma-joined; cookies go to cookies[]', async (t) => {
  const event = await mirror('/h', {
    // A flat name, value, name, value… list, so repeats reach the wire as separate header lines.
    headers: ['X-Custom', 'one', 'x-custom', 'two', 'Accept', 'text/html', 'Cookie', 'session=abc; theme=dark', 'Cookie', 'lang=en'],
  })
  t.equal(event.headers['x-custom'], 'one,two')
  t.equal(event.headers.accept, 'text/html')
  t.equal(event.headers.host, `127.0.0.1:${server.port}`)
  t.notOk('X-Custom' in event.headers, 'no mixed-case names')
  t.same(event.cookies, ['session=abc', 'theme=dark', 'lang=en'])
  t.notOk('cookie' in event.headers, 'the cookie header moves to cookies[]')
})

t.test('bodies: text as is, JSON as is, binary base64-encoded', async (t) => {
  const text = await mirror('/t', { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'héllo wörld' })
  t.equal(text.body, 'héllo wörld')
  t.equal(text.isBase64Encoded, false)
  t.equal(text.requestContext.http.method, 'POST')

  const json = await mirror('/j', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"a":[1,2]}' })
  t.equal(json.body, '{"a":[1,2]}')
  t.equal(json.isBase64Encoded, false)

  const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0x10])
  const binary = await mirror('/b', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes })
  t.equal(binary.isBase64Encoded, true)
  t.same(Buffer.from(binary.body ?? '', 'base64'), bytes, 'the bytes survive')

  const image = await mirror('/i', { method: 'POST', headers: { 'content-type': 'image/png' }, body: Buffer.from('looks like text') })
  t.equal(image.isBase64Encoded, true, 'a non-text type is base64 even when the bytes are UTF-8')

  const invalidUtf8 = await mirror('/u', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: Buffer.from([0xc3, 0x28]) })
  t.equal(invalidUtf8.isBase64Encoded, true, 'text that is not UTF-8 is base64')
})

const respond = (response: unknown, init: Parameters<typeof request>[1] = {}) =>
  request(`${base}/url/respond/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response }), ...init })

t.test('response mapping: statusCode, headers, cookies → Set-Cookie, body', async (t) => {
  const res = await respond({
    statusCode: 201,
    headers: { 'Content-Type': 'text/html', 'X-Answer': 42 },
    cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
    body: '<p>made</p>',
  })
  t.equal(res.statusCode, 201)
  t.equal(res.headers['content-type'], 'text/html')
  t.equal(res.headers['x-answer'], '42')
  t.same(res.headers['set-cookie'], ['a=1; Path=/', 'b=2; HttpOnly'])
  t.equal(await res.body.text(), '<p>made</p>')
})

t.test('response mapping: isBase64Encoded bodies are decoded to bytes', async (t) => {
  const bytes = Buffer.from([0, 1, 2, 253, 254, 255])
  const res = await respond({ statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: bytes.toString('base64'), isBase64Encoded: true })
  t.equal(res.statusCode, 200)
  t.same(Buffer.from(await res.body.arrayBuffer()), bytes)
  t.equal(res.headers['content-length'], '6')
})

t.test('response mapping: a statusCode without headers or body is an empty application/json reply', async (t) => {
  const res = await respond({ statusCode: 204 })
  t.equal(res.statusCode, 204)
  t.equal(await res.body.text(), '')
  const redirect = await respond({ statusCode: 302, headers: { location: '/elsewhere' } })
  t.equal(redirect.statusCode, 302)
  t.equal(redirect.headers.location, '/elsewhere')
  t.equal(redirect.headers['content-type'], 'application/json')
  await redirect.body.dump()
})

t.test('response mapping: values without statusCode are 200 application/json, strings keep their quotes', async (t) => {
  const object = await request(`${base}/url/plain/`)
  t.equal(object.statusCode, 200)
  t.equal(object.headers['content-type'], 'application/json')
  t.same(await object.body.json(), { hello: 'world' })

  const string = await request(`${base}/url/plain/?string`)
  t.equal(string.statusCode, 200)
  t.equal(await string.body.text(), '"Hello"')

  for (const value of [[1, 2], 7, null, { body: 'no status' }]) {
    const res = await respond(value)
    t.equal(res.statusCode, 200, JSON.stringify(value))
    t.equal(res.headers['content-type'], 'application/json')
    t.same(await res.body.json(), value)
  }
})

t.test('a function error, or a response that cannot be mapped, is 502', async (t) => {
  const failed = await request(`${base}/url/fails/anything`)
  t.equal(failed.statusCode, 502)
  t.same(await failed.body.json(), { Message: 'Internal Server Error' })
  for (const response of [{ statusCode: 99 }, { statusCode: '200' }, { statusCode: 200, headers: { 'bad header': 'x' } }, { statusCode: 200, headers: { ok: 'a\nb' } }, { statusCode: 200, cookies: 'a=1' }]) {
    const res = await respond(response)
    t.equal(res.statusCode, 502, JSON.stringify(response))
    await res.body.dump()
  }
})

t.test('HEAD and other methods reach the function', async (t) => {
  const head = await request(`${base}/url/mirror/x`, { method: 'HEAD' })
  t.equal(head.statusCode, 200)
  t.equal(await head.body.text(), '')
  const patched = await mirror('/x', { method: 'PATCH', body: 'p' })
  t.equal(patched.requestContext.http.method, 'PATCH')
})

t.test('an unknown function → 404 ResourceNotFoundException; an oversized body → 413', async (t) => {
  const res = await request(`${base}/url/nobody/x`)
  t.equal(res.statusCode, 404)
  t.equal(res.headers['x-amzn-errortype'], 'ResourceNotFoundException')
  t.match(await res.body.json(), { Type: 'User', Message: /Function not found/ })

  const big = await request(`${base}/url/mirror/`, { method: 'POST', body: Buffer.alloc(6 * 1024 * 1024 + 1, 0x61) })
  t.equal(big.statusCode, 413)
  t.equal(big.headers['x-amzn-errortype'], 'RequestTooLargeException')
  await big.body.dump()
})

t.test('functionUrls narrows which functions have a URL', async (t) => {
  const narrow = await startHttpServer({ host, port: 0, functionUrls: (name) => name === 'plain' })
  t.teardown(() => narrow.destroy())
  const ok = await request(`${narrow.url}/url/plain/`)
  t.equal(ok.statusCode, 200)
  await ok.body.dump()
  const none = await request(`${narrow.url}/url/mirror/`)
  t.equal(none.statusCode, 404)
  t.match(await none.body.json(), { Message: 'The function mirror has no function URL' })
  t.same(
    narrow.endpoints().map((endpoint) => [endpoint.name, endpoint.functionUrl]).sort(),
    [
      ['fails', undefined],
      ['mirror', undefined],
      ['plain', `${narrow.url}/url/plain/`],
      ['respond', undefined],
    ],
  )
})
