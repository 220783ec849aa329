/**
 * Function URL configs over the management API (src/http/management/url-config-routes.ts) and
 * the URLs they make answer (src/http/function-url-route.ts), on a real server on 127.0.0.1:
 * the AWS SDK v3 (maxAttempts 1) for the management calls, undici for the URLs themselves.
 */
import {
  DeleteAliasCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  InvalidParameterValueException,
  ListFunctionUrlConfigsCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda'
import t from 'tap'
import { request } from 'undici'
import { createHost } from '../src/index.js'
import { startHttpServer } from '../src/http/server.js'
import { lambdaClientFor, rejectsWith } from './helpers/lambda-sdk.js'

const ACCOUNT = '123456789012'
const host = await createHost({ shards: 1 })
t.teardown(() => host.close())

/** Answers with the version that ran, the method it saw, and headers the test can look for. */
const siteSource = (tag: string) => `export const handler = async (event, context) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'x-out': 'v' },
  body: JSON.stringify({ tag: '${tag}', version: context.functionVersion, method: event.requestContext.http.method, path: event.rawPath }),
})`
const deploy = (name: string, tag: string) => host.deploy({ name, runtime: 'quickjs', handler: 'index.handler', code: { files: { 'index.mjs': siteSource(tag) } } })

await deploy('seeded', 'seeded')
await deploy('site', 'one')
await host.publishVersion('site')
await deploy('site', 'two')
await host.publishVersion('site')
await deploy('site', 'latest')
host.createAlias('site', 'live', { functionVersion: '1' })

// As `thaw serve` does for a template: only `seeded` declares a FunctionUrlConfig.
const server = await startHttpServer({ host, port: 0, functionUrls: (name) => name === 'seeded' })
t.teardown(() => server.destroy())
const lambda = lambdaClientFor(t, server.url, ACCOUNT)
const arn = (name: string, qualifier?: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: { tag?: string; version?: string; method?: string; path?: string; Message?: string } | undefined
}
async function call(url: string, options: Parameters<typeof request>[1] = {}): Promise<Answer> {
  const res = await request(url, options)
  const text = await res.body.text()
  return { status: res.statusCode, headers: res.headers, body: text === '' ? undefined : (JSON.parse(text) as Answer['body']) }
}

t.test('a URL the server was started with is a NONE/BUFFERED config on $LATEST; creating it again conflicts', async (t) => {
  const config = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'seeded' }))
  t.equal(config.$metadata.httpStatusCode, 200)
  t.equal(config.FunctionUrl, `${server.url}/url/seeded/`)
  t.equal(config.FunctionArn, arn('seeded'))
  t.equal(config.AuthType, 'NONE')
  t.equal(config.InvokeMode, 'BUFFERED')
  t.equal(config.Cors, undefined)
  t.match(config.CreationTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'ISO-8601, as the SDK passes it through')
  t.equal(config.LastModifiedTime, config.CreationTime)
  t.equal((await call(`${server.url}/url/seeded/x`)).body?.tag, 'seeded')
  await rejectsWith(t, lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'seeded', AuthType: 'NONE' })), ResourceConflictException, 409, /FunctionUrlConfig exists/)
  const listed = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'seeded' }))
  t.same(listed.FunctionUrlConfigs?.map((entry) => entry.FunctionUrl), [`${server.url}/url/seeded/`])
})

t.test('Create, Get, Update and Delete a URL on $LATEST; the URL answers only while it exists', async (t) => {
  const before = await call(`${server.url}/url/site/`)
  t.equal(before.status, 404)
  t.equal(before.headers['x-amzn-errortype'], 'ResourceNotFoundException')
  t.equal(before.body?.Message, 'The function site has no function URL')
  await rejectsWith(t, lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'site' })), ResourceNotFoundException, 404, /does not exist/)
  t.same(server.endpoints().find((endpoint) => endpoint.name === 'site')?.functionUrl, undefined)

  const created = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'site', AuthType: 'AWS_IAM' }))
  t.equal(created.$metadata.httpStatusCode, 201)
  t.equal(created.FunctionUrl, `${server.url}/url/site/`)
  t.equal(created.FunctionArn, arn('site'))
  t.equal(created.AuthType, 'AWS_IAM')
  t.equal(created.InvokeMode, 'BUFFERED', 'the default invoke mode')
  t.ok(Number.isFinite(Date.parse(created.CreationTime ?? '')), 'CreationTime is a date')
  t.notOk('LastModifiedTime' in created, 'Create does not report LastModifiedTime')
  t.equal(server.endpoints().find((endpoint) => endpoint.name === 'site')?.functionUrl, `${server.url}/url/site/`)

  // AWS_IAM: the signature is not checked here, the URL answers.
  const running = await call(`${server.url}/url/site/a/b`, { method: 'POST', body: 'x' })
  t.equal(running.status, 200)
  t.same(running.body, { tag: 'latest', version: '$LATEST', method: 'POST', path: '/a/b' })
  await rejectsWith(t, lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'site', AuthType: 'NONE' })), ResourceConflictException, 409, /FunctionUrlConfig exists/)

  const updated = await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'site', AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' }))
  t.equal(updated.AuthType, 'NONE')
  t.equal(updated.InvokeMode, 'RESPONSE_STREAM')
  t.equal(updated.CreationTime, created.CreationTime, 'CreationTime stays')
  t.ok(Date.parse(updated.LastModifiedTime ?? '') >= Date.parse(created.CreationTime ?? ''), 'LastModifiedTime moves on')
  const partial = await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'site', InvokeMode: 'BUFFERED' }))
  t.equal(partial.AuthType, 'NONE', 'an unnamed member stays')
  const got = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: arn('site') }))
  t.match(got, { AuthType: 'NONE', InvokeMode: 'BUFFERED', FunctionUrl: `${server.url}/url/site/`, CreationTime: created.CreationTime })

  const deleted = await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'site' }))
  t.equal(deleted.$metadata.httpStatusCode, 204)
  const after = await call(`${server.url}/url/site/`)
  t.equal(after.status, 404, 'the URL stops answering')
  t.equal(after.headers['x-amzn-errortype'], 'ResourceNotFoundException')
  await rejectsWith(t, lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'site' })), ResourceNotFoundException, 404)
  await rejectsWith(t, lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'site' })), ResourceNotFoundException, 404)
  await rejectsWith(t, lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'site', AuthType: 'NONE' })), ResourceNotFoundException, 404)
})

t.test('a URL on an alias runs the version the alias points to, at /url/<name>:<alias>/', async (t) => {
  const created = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'site', Qualifier: 'live', AuthType: 'NONE' }))
  t.equal(created.FunctionUrl, `${server.url}/url/site:live/`)
  t.equal(created.FunctionArn, arn('site', 'live'))
  t.match((await call(`${created.FunctionUrl}p`)).body, { tag: 'one', version: '1', path: '/p' })
  t.match((await call(`${server.url}/url/site%3Alive/p`)).body, { version: '1' }, 'the colon may come percent-encoded')
  t.equal((await call(`${server.url}/url/site/`)).status, 404, '$LATEST still has no URL')

  host.updateAlias('site', 'live', { functionVersion: '2' })
  t.match((await call(`${created.FunctionUrl}`)).body, { tag: 'two', version: '2' }, 'follows the alias')

  const byQualifiedName = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'site:live' }))
  t.equal(byQualifiedName.FunctionUrl, created.FunctionUrl, 'the qualifier may come in the name')
  await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'site', AuthType: 'NONE' }))
  const listed = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'site' }))
  t.same(listed.FunctionUrlConfigs?.map((entry) => entry.FunctionArn), [arn('site'), arn('site', 'live')])
  const firstPage = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'site', MaxItems: 1 }))
  t.equal(firstPage.FunctionUrlConfigs?.length, 1)
  const secondPage = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'site', MaxItems: 1, Marker: firstPage.NextMarker }))
  t.same(secondPage.FunctionUrlConfigs?.map((entry) => entry.FunctionArn), [arn('site', 'live')])
  t.equal(secondPage.NextMarker, undefined)

  await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'site', Qualifier: 'live' }))
  t.equal((await call(`${created.FunctionUrl}`)).status, 404)
  t.equal((await call(`${server.url}/url/site/`)).status, 200, 'the $LATEST URL is separate')
  await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'site' }))

  // Deleting the alias takes its URL with it: an alias made again under the name has none.
  await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'site', Qualifier: 'live', AuthType: 'NONE' }))
  const target = host.getAlias('site', 'live').functionVersion
  await lambda.send(new DeleteAliasCommand({ FunctionName: 'site', Name: 'live' }))
  host.createAlias('site', 'live', { functionVersion: target })
  await rejectsWith(t, lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'site', Qualifier: 'live' })), ResourceNotFoundException, 404)
  t.equal((await call(`${created.FunctionUrl}`)).status, 404, 'and its address does not answer')
})

t.test('validation: version qualifiers, unknown functions and aliases, bad AuthType, InvokeMode, Cors', async (t) => {
  await rejectsWith(t, lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'site', Qualifier: '1', AuthType: 'NONE' })), InvalidParameterValueException, 400, /qualifier/)
  await rejectsWith(t, lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'site', Qualifier: '2' })), InvalidParameterValueException, 400, /qualifier/)
  await rejectsWith(t, lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'site', Qualifier: 'nope', AuthType: 'NONE' })), ResourceNotFoundException, 404, /Alias not found/)
  await rejectsWith(t, lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'ghost', AuthType: 'NONE' })), ResourceNotFoundException, 404, /Function not found/)
  await rejectsWith(t, lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'ghost' })), ResourceNotFoundException, 404)
  await rejectsWith(t, lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'site', AuthType: 'BASIC' as 'NONE' })), InvalidParameterValueException, 400, /AuthType: must be NONE or AWS_IAM/)
  await rejectsWith(
    t,
    lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'site', AuthType: 'NONE', InvokeMode: 'STREAM' as 'BUFFERED' })),
    InvalidParameterValueException,
    400,
    /InvokeMode: must be BUFFERED or RESPONSE_STREAM/,
  )
  await rejectsWith(t, lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'site', AuthType: 'NONE', Cors: { MaxAge: 90_000 } })), InvalidParameterValueException, 400, /Cors\.MaxAge/)
  await rejectsWith(t, lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'site' })), ResourceNotFoundException, 404, /does not exist/)

  // Raw: a body that is not JSON, and AuthType missing altogether.
  const notJson = await call(`${server.url}/2021-10-31/functions/site/url`, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } })
  t.equal(notJson.status, 400)
  t.equal(notJson.headers['x-amzn-errortype'], 'InvalidRequestContentException')
  const missing = await call(`${server.url}/2021-10-31/functions/site/url`, { method: 'POST', body: '{}' })
  t.equal(missing.status, 400)
  t.equal(missing.headers['x-amzn-errortype'], 'InvalidParameterValueException')
  const unknownAlias = await call(`${server.url}/url/site:nope/`)
  t.equal(unknownAlias.status, 404, 'a URL on an alias that does not exist')
})

t.test('CORS: Lambda answers the preflight and sets the Access-Control-* headers itself', async (t) => {
  const cors = { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['x-custom'], ExposeHeaders: ['x-out'], MaxAge: 600, AllowCredentials: true }
  const created = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'site', AuthType: 'NONE', Cors: cors }))
  t.same(created.Cors, cors)
  t.same((await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'site' }))).Cors, cors)
  const url = `${server.url}/url/site/`

  const preflight = await call(url, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } })
  t.equal(preflight.status, 200)
  t.equal(preflight.body, undefined, 'answered without the function')
  t.match(preflight.headers, {
    'access-control-allow-origin': 'https://app.example',
    'access-control-allow-methods': 'GET,POST',
    'access-control-allow-headers': 'x-custom',
    'access-control-max-age': '600',
    'access-control-allow-credentials': 'true',
    vary: 'Origin',
  })
  const refused = await call(url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
  t.equal(refused.status, 200)
  t.equal(refused.headers['access-control-allow-origin'], undefined, 'an origin not listed is not allowed')

  const allowed = await call(url, { headers: { origin: 'https://APP.example' } })
  t.equal(allowed.body?.tag, 'latest')
  t.equal(allowed.headers['access-control-allow-origin'], 'https://APP.example', "the config's origin, not the function's *")
  t.equal(allowed.headers['access-control-expose-headers'], 'x-out')
  t.equal(allowed.headers['x-out'], 'v', "the function's other headers stay")
  const other = await call(url, { headers: { origin: 'https://evil.example' } })
  t.equal(other.status, 200)
  t.equal(other.headers['access-control-allow-origin'], undefined, "the function's own CORS header is dropped too")

  await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'site', Cors: { AllowOrigins: ['*'] } }))
  t.equal((await call(url, { headers: { origin: 'https://any.example' } })).headers['access-control-allow-origin'], '*')

  // Without Cors, an OPTIONS request is the function's to answer.
  await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'site' }))
  await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'site', AuthType: 'NONE' }))
  const passed = await call(url, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } })
  t.equal(passed.body?.method, 'OPTIONS')
  t.equal(passed.headers['access-control-allow-origin'], '*', "the function's own header")
  await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'site' }))
})

t.test('configs are per host: another server sees them, under its own address and its own defaults', async (t) => {
  await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'site', Qualifier: 'live', AuthType: 'NONE' }))
  t.teardown(() => lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'site', Qualifier: 'live' })))
  const other = await startHttpServer({ host, port: 0 })
  t.teardown(() => other.destroy())
  const client = lambdaClientFor(t, other.url, ACCOUNT)
  const seen = await client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'site', Qualifier: 'live' }))
  t.equal(seen.FunctionUrl, `${other.url}/url/site:live/`)
  t.equal((await call(`${other.url}/url/site:live/`)).body?.version, '2')
  // This server gives every function a default URL; the first one still gives `extra` none.
  await deploy('extra', 'extra')
  t.equal((await client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'extra' }))).AuthType, 'NONE')
  t.equal((await call(`${other.url}/url/extra/`)).body?.tag, 'extra')
  t.equal((await call(`${server.url}/url/extra/`)).status, 404)
  // A deleted $LATEST URL stays deleted, even where a default would give one.
  t.equal((await call(`${other.url}/url/site/`)).status, 404)
  await client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'extra' }))
  t.equal((await call(`${other.url}/url/extra/`)).status, 404)
})

t.test('DeleteFunction takes its URL configs with it', async (t) => {
  await deploy('brief', 'brief')
  await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'brief', AuthType: 'NONE' }))
  t.equal((await call(`${server.url}/url/brief/`)).status, 200)
  await lambda.send(new DeleteFunctionCommand({ FunctionName: 'brief' }))
  t.equal((await call(`${server.url}/url/brief/`)).status, 404)
  await deploy('brief', 'again')
  await rejectsWith(t, lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'brief' })), ResourceNotFoundException, 404, /does not exist/)
  t.equal((await call(`${server.url}/url/brief/`)).status, 404, 'a function deployed again under the name has no URL')
})

t.test("a template's FunctionUrlConfig (the policy's settings) is what the default URL reports and applies", async (t) => {
  const templated = await startHttpServer({
    host,
    port: 0,
    functionUrls: (name) => (name === 'seeded' ? { authType: 'AWS_IAM', invokeMode: 'RESPONSE_STREAM', cors: { allowOrigins: ['https://app.example'], maxAgeSeconds: 60 } } : false),
  })
  t.teardown(() => templated.destroy())
  const client = lambdaClientFor(t, templated.url, ACCOUNT)
  const config = await client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'seeded' }))
  t.match(config, { AuthType: 'AWS_IAM', InvokeMode: 'RESPONSE_STREAM', Cors: { AllowOrigins: ['https://app.example'], MaxAge: 60 } })
  const preflight = await call(`${templated.url}/url/seeded/`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } })
  t.equal(preflight.headers['access-control-allow-origin'], 'https://app.example')
  t.equal(preflight.headers['access-control-max-age'], '60')
  await rejectsWith(t, client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'site' })), ResourceNotFoundException, 404)
})
