/**
 * The Invoke API of the HTTP front end (src/http/), on a real server on 127.0.0.1, called by the
 * AWS SDK v3 (InvokeCommand, maxAttempts 1) and, for requests the SDK would never send, by undici.
 */
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  InvalidParameterValueException,
  InvalidRequestContentException,
  InvokeCommand,
  LambdaClient,
  RequestTooLargeException,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda'
import t from 'tap'
import { request } from 'undici'
import { createHost } from '../src/index.js'
import { startHttpServer } from '../src/http/server.js'

/** Event invocations report here (the function fetches it), so the test sees they ran. */
const callbacks: Array<(body: unknown) => void> = []
const received: unknown[] = []
const callbackServer = createServer((req: IncomingMessage, res) => {
  let text = ''
  req.setEncoding('utf8').on('data', (chunk: string) => (text += chunk))
  req.on('end', () => {
    const body = JSON.parse(text) as unknown
    const waiter = callbacks.shift()
    if (waiter === undefined) received.push(body)
    else waiter(body)
    res.end('ok')
  })
})
await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve))
t.teardown(() => callbackServer.close())
const callbackUrl = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/`
const nextCallback = () => new Promise<unknown>((resolve) => (received.length > 0 ? resolve(received.shift()) : callbacks.push(resolve)))

const host = await createHost({ shards: 1 })
t.teardown(() => host.close())
await host.deploy({
  name: 'echo',
  runtime: 'quickjs',
  handler: 'index.handler',
  code: {
    files: {
      'index.mjs': `
        export const handler = async (event, context) => {
          console.log('echo got', JSON.stringify(event).length, 'bytes')
          if (event.size) return { size: JSON.stringify(event).length }
          return { event, clientContext: context.clientContext ?? null, version: context.functionVersion }
        }`,
    },
  },
})
await host.deploy({
  name: 'fails',
  runtime: 'quickjs',
  handler: 'index.handler',
  code: {
    files: {
      'index.mjs': `
        class ValidationError extends Error { name = 'ValidationError' }
        export const handler = async () => { throw new ValidationError('event.ok must be true') }`,
    },
  },
})
await host.deploy({
  name: 'reporter',
  runtime: 'quickjs',
  handler: 'index.handler',
  egress: { allow: ['127.0.0.1:*'] },
  code: {
    files: {
      'index.mjs': `
        export const handler = async (event) => {
          if (event.started) await fetch(event.callback, { method: 'POST', body: JSON.stringify({ got: event.started }) })
          if (event.waitMs) await new Promise((resolve) => setTimeout(resolve, event.waitMs))
          await fetch(event.callback, { method: 'POST', body: JSON.stringify({ got: event.tag }) })
          return 'reported'
        }`,
    },
  },
})
await host.publishVersion('echo')

const server = await startHttpServer({ host, port: 0 })
t.teardown(() => server.destroy())
const endpoint = server.url
const lambda = new LambdaClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  maxAttempts: 1,
})
t.teardown(() => lambda.destroy())

const json = (bytes: Uint8Array | undefined) => JSON.parse(Buffer.from(bytes ?? new Uint8Array()).toString('utf8')) as Record<string, unknown>
const payload = (value: unknown) => Buffer.from(JSON.stringify(value))

t.test('RequestResponse: 200, the function output, X-Amz-Executed-Version', async (t) => {
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: payload({ name: 'Ada' }) }))
  t.equal(out.StatusCode, 200)
  t.equal(out.ExecutedVersion, '$LATEST')
  t.equal(out.FunctionError, undefined)
  t.equal(out.LogResult, undefined, 'no log unless Tail is asked for')
  t.same(json(out.Payload), { event: { name: 'Ada' }, clientContext: null, version: '$LATEST' })
  t.match(out.$metadata.requestId, /^[0-9a-f-]{36}$/, 'x-amzn-RequestId is the invocation id')
})

t.test('an empty payload is the event {}', async (t) => {
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo' }))
  t.same(json(out.Payload).event, {})
})

t.test('qualifiers: in ?Qualifier=, in name:qualifier, in full and partial ARNs (percent-encoded by the SDK)', async (t) => {
  const forms: Array<[string, string | undefined, string]> = [
    ['echo', '1', '1'],
    ['echo:1', undefined, '1'],
    ['echo:$LATEST', undefined, '$LATEST'],
    ['arn:aws:lambda:us-east-1:000000000000:function:echo', undefined, '$LATEST'],
    ['arn:aws:lambda:us-east-1:000000000000:function:echo:1', undefined, '1'],
    ['arn:aws:lambda:us-east-1:000000000000:function:echo', '1', '1'],
    ['000000000000:function:echo', undefined, '$LATEST'],
    ['000000000000:function:echo:1', '1', '1'],
  ]
  for (const [FunctionName, Qualifier, version] of forms) {
    const out = await lambda.send(new InvokeCommand({ FunctionName, Qualifier, Payload: payload({}) }))
    t.equal(out.ExecutedVersion, version, `${FunctionName} ${Qualifier ?? ''} runs ${version}`)
    t.equal(json(out.Payload).version, version, 'and the function sees that version')
  }
})

t.test('unknown function, version or account → ResourceNotFoundException 404', async (t) => {
  const cases: Array<[string, string | undefined, RegExp]> = [
    ['nobody', undefined, /Function not found: arn:aws:lambda:us-east-1:000000000000:function:nobody/],
    ['echo', '7', /Function not found: .*function:echo:7/],
    ['echo:prod', undefined, /Function not found/],
    ['arn:aws:lambda:eu-west-1:000000000000:function:echo', undefined, /Function not found: arn:aws:lambda:eu-west-1/],
    ['111111111111:function:echo', undefined, /Function not found: 111111111111:function:echo/],
  ]
  for (const [FunctionName, Qualifier, message] of cases) {
    const error = await lambda.send(new InvokeCommand({ FunctionName, Qualifier })).then(
      () => undefined,
      (caught: unknown) => caught,
    )
    t.type(error, ResourceNotFoundException, `${FunctionName}:${Qualifier ?? ''} is a typed ResourceNotFoundException`)
    const typed = error as ResourceNotFoundException
    t.equal(typed.$metadata.httpStatusCode, 404)
    t.equal(typed.Type, 'User')
    // The SDK folds the body's Message into .message (and drops .Message).
    t.match(typed.message, message)
  }
})

t.test('a qualifier in the ARN that differs from Qualifier → InvalidParameterValueException 400', async (t) => {
  const error = await lambda.send(new InvokeCommand({ FunctionName: 'echo:1', Qualifier: '$LATEST' })).catch((caught: unknown) => caught)
  t.type(error, InvalidParameterValueException)
  t.equal((error as InvalidParameterValueException).$metadata.httpStatusCode, 400)
  t.match((error as InvalidParameterValueException).message, /qualifier .* does not match/)
})

t.test('a function error: still 200, X-Amz-Function-Error: Unhandled, the error as the body', async (t) => {
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'fails', Payload: payload({}) }))
  t.equal(out.StatusCode, 200)
  t.equal(out.FunctionError, 'Unhandled')
  t.equal(out.ExecutedVersion, '$LATEST')
  const body = json(out.Payload)
  t.equal(body.errorType, 'ValidationError')
  t.equal(body.errorMessage, 'event.ok must be true')
  t.ok(Array.isArray(body.trace), 'the Node runtime shape: trace')
})

t.test('X-Amz-Log-Type: Tail → X-Amz-Log-Result, base64 of the log', async (t) => {
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'echo', LogType: 'Tail', Payload: payload({ a: 1 }) }))
  const log = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8')
  t.match(log, /START RequestId: [0-9a-f-]{36} Version: \$LATEST/)
  t.match(log, /echo got 7 bytes/)
  t.match(log, /REPORT RequestId: /)
})

t.test('X-Amz-Log-Result keeps only the last 4 KB of a long log', async (t) => {
  await host.deploy({
    name: 'chatty',
    runtime: 'quickjs',
    handler: 'index.handler',
    code: { files: { 'index.mjs': `export const handler = async () => { for (let i = 0; i < 400; i++) console.log('line', i); return 1 }` } },
  })
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'chatty', LogType: 'Tail' }))
  const tail = Buffer.from(out.LogResult ?? '', 'base64')
  t.equal(tail.length, 4096)
  t.match(tail.toString('utf8'), /line\s+399[\s\S]*REPORT RequestId:/)
  t.notMatch(tail.toString('utf8'), /START RequestId/, 'the head of the log is cut')
})

t.test('X-Amz-Client-Context (base64 JSON) reaches context.clientContext', async (t) => {
  const clientContext = { client: { installation_id: 'i-1' }, custom: { tenant: 'acme' }, env: { platform: 'test' } }
  const out = await lambda.send(
    new InvokeCommand({ FunctionName: 'echo', ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64') }),
  )
  t.same(json(out.Payload).clientContext, clientContext)
})

t.test('a body that is not JSON → InvalidRequestContentException 400, through the SDK and raw', async (t) => {
  const error = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"not json') })).catch((caught: unknown) => caught)
  t.type(error, InvalidRequestContentException)
  t.equal((error as InvalidRequestContentException).$metadata.httpStatusCode, 400)
  t.match((error as InvalidRequestContentException).message, /Could not parse request body into json/)

  for (const type of ['RequestResponse', 'Event', 'DryRun']) {
    const res = await request(`${endpoint}/2015-03-31/functions/echo/invocations`, {
      method: 'POST',
      headers: { 'x-amz-invocation-type': type },
      body: 'hello',
    })
    t.equal(res.statusCode, 400, type)
    t.equal(res.headers['x-amzn-errortype'], 'InvalidRequestContentException')
    t.equal(res.headers['content-type'], 'application/json')
    const body = (await res.body.json()) as Record<string, unknown>
    t.equal(body.Type, 'User')
    t.match(body.message, /Could not parse request body into json/)
  }
})

t.test('payload limits: 6 MB synchronous, 1 MB Event → RequestTooLargeException 413', async (t) => {
  const big = (bytes: number) => payload({ size: true, pad: 'x'.repeat(bytes) })
  const sync = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: big(6 * 1024 * 1024) })).catch((caught: unknown) => caught)
  t.type(sync, RequestTooLargeException)
  t.equal((sync as RequestTooLargeException).$metadata.httpStatusCode, 413)
  t.match((sync as RequestTooLargeException).message, /smaller than 6291456 bytes/)

  const event = await lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: big(1024 * 1024) })).catch((caught: unknown) => caught)
  t.type(event, RequestTooLargeException)
  t.match((event as RequestTooLargeException).message, /smaller than 1048576 bytes/)

  const fine = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: big(1536 * 1024) }))
  t.equal(fine.StatusCode, 200, '1.5 MB is fine synchronously')
  t.ok((json(fine.Payload).size as number) > 1536 * 1024)

  const raw = await request(`${endpoint}/2015-03-31/functions/echo/invocations`, { method: 'POST', body: Buffer.alloc(6 * 1024 * 1024 + 1, 0x20) })
  t.equal(raw.statusCode, 413, 'raw: one byte over 6 MB')
  t.equal(raw.headers['x-amzn-errortype'], 'RequestTooLargeException')
  t.match(await raw.body.json(), { Type: 'User', message: /smaller than 6291456 bytes/ })
})

t.test('Event: 202 at once, the function runs in the background', async (t) => {
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'reporter', InvocationType: 'Event', Payload: payload({ callback: callbackUrl, tag: 'async-1' }) }))
  t.equal(out.StatusCode, 202)
  t.equal(Buffer.from(out.Payload ?? new Uint8Array()).length, 0, 'an empty body')
  t.same(await nextCallback(), { got: 'async-1' }, 'the function ran and reported')
})

t.test('Event and DryRun name an existing function; DryRun answers 204 with nothing run', async (t) => {
  const dry = await lambda.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'DryRun', Payload: payload({}) }))
  t.equal(dry.StatusCode, 204)
  for (const InvocationType of ['Event', 'DryRun'] as const) {
    const error = await lambda.send(new InvokeCommand({ FunctionName: 'nobody', InvocationType })).catch((caught: unknown) => caught)
    t.type(error, ResourceNotFoundException, `${InvocationType} to an unknown function`)
  }
})

t.test('raw edge cases: bad names and ARNs, bad encoding, bad headers', async (t) => {
  const post = (path: string, headers: Record<string, string> = {}) => request(`${endpoint}${path}`, { method: 'POST', headers, body: '{}' })
  const invalid: Array<[string, Record<string, string>, RegExp]> = [
    ['/2015-03-31/functions/arn%3Aaws%3As3%3A%3A%3Amy-bucket/invocations', {}, /is not a function name/],
    ['/2015-03-31/functions/bad%20name/invocations', {}, /is not a function name/],
    ['/2015-03-31/functions/echo%3A%3A1/invocations', {}, /is not a function name/],
    [`/2015-03-31/functions/${'a'.repeat(65)}/invocations`, {}, /is not a function name/],
    [`/2015-03-31/functions/${'a'.repeat(171)}/invocations`, {}, /longer than 170/],
    ['/2015-03-31/functions/%E0%A4%A/invocations', {}, /not validly percent-encoded/],
    ['/2015-03-31/functions/echo/invocations?Qualifier=a%20b', {}, /qualifier/],
    ['/2015-03-31/functions/echo/invocations', { 'x-amz-invocation-type': 'Later' }, /x-amz-invocation-type must be one of/],
    ['/2015-03-31/functions/echo/invocations', { 'x-amz-log-type': 'All' }, /x-amz-log-type must be one of/],
    ['/2015-03-31/functions/echo/invocations', { 'x-amz-client-context': 'not base64!' }, /Client-Context/],
    ['/2015-03-31/functions/echo/invocations', { 'x-amz-client-context': Buffer.from('[1]').toString('base64') }, /not an object/],
    ['/2015-03-31/functions/echo/invocations', { 'x-amz-client-context': 'A'.repeat(3584) }, /over 3583 bytes/],
  ]
  for (const [path, headers, message] of invalid) {
    const res = await post(path, headers)
    t.equal(res.statusCode, 400, path)
    t.equal(res.headers['x-amzn-errortype'], 'InvalidParameterValueException')
    t.match(await res.body.json(), { Type: 'User', message }, `${path} ${JSON.stringify(headers)}`)
  }
})

t.test('unknown routes → 404 UnknownOperationException with a Lambda-style body; GET /health', async (t) => {
  for (const [method, path] of [
    ['GET', '/'],
    ['GET', '/2015-03-31/functions/echo/invocations'],
    ['POST', '/2015-03-31/functions/echo/invocation'],
    ['DELETE', '/health'],
  ] as const) {
    const res = await request(`${endpoint}${path}`, { method })
    t.equal(res.statusCode, 404, `${method} ${path}`)
    t.equal(res.headers['x-amzn-errortype'], 'UnknownOperationException')
    t.same(await res.body.json(), { Type: 'User', message: `No operation answers ${method} ${path}` })
  }
  const health = await request(`${endpoint}/health`)
  t.equal(health.statusCode, 200)
  t.same(await health.body.json(), { status: 'ok', functions: 4 })
})

t.test('the endpoint listing names every function', async (t) => {
  const names = server.endpoints().map((endpoint) => endpoint.name)
  t.same(names.sort(), ['chatty', 'echo', 'fails', 'reporter'])
  t.same(server.endpoints().find((endpoint) => endpoint.name === 'echo'), {
    name: 'echo',
    invokeUrl: `${endpoint}/2015-03-31/functions/echo/invocations`,
    functionUrl: `${endpoint}/url/echo/`,
    aliasUrls: {},
  })
})

t.test('close() drains: an Event still running finishes before close resolves; destroy() cuts connections', async (t) => {
  const own = await startHttpServer({ host, port: 0 })
  const client = new LambdaClient({ endpoint: own.url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 })
  t.teardown(() => client.destroy())
  const out = await client.send(new InvokeCommand({ FunctionName: 'reporter', InvocationType: 'Event', Payload: payload({ callback: callbackUrl, tag: 'drained', waitMs: 300 }) }))
  t.equal(out.StatusCode, 202)
  let reported = false
  const report = nextCallback().then((body) => {
    reported = true
    return body
  })
  await own.close()
  t.ok(reported, 'the background invocation finished before close() resolved')
  t.same(await report, { got: 'drained' })
  await t.rejects(request(`${own.url}/health`), 'a closed server takes no connections')

  const cut = await startHttpServer({ host, port: 0 })
  const hanging = request(`${cut.url}/2015-03-31/functions/reporter/invocations`, {
    method: 'POST',
    body: JSON.stringify({ callback: callbackUrl, started: 'running', tag: 'cut', waitMs: 300 }),
  })
  const reply = hanging.then(
    () => 'answered',
    () => 'cut',
  )
  t.same(await nextCallback(), { got: 'running' }, 'the invocation is running: its request is in flight')
  const ran = nextCallback()
  await cut.destroy()
  t.equal(await reply, 'cut', 'a request in flight is cut by destroy()')
  t.same(await ran, { got: 'cut' }, 'the invocation itself ends in the host')
})
