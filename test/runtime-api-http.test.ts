/**
 * The Runtime API over HTTP (runtime-api/http-server.ts): a real server on 127.0.0.1 serving one
 * RuntimeApiSession, driven with undici the way a process runtime drives it, while the test plays
 * the host on the session's platform side and checks what the host sees (the invocation outcome,
 * the INIT outcome). Paths, headers, statuses and errors: lambda-interfaces.md §1.
 */
import { request as httpRequest } from 'node:http'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { Agent, request } from 'undici'
import type { FunctionError } from '../src/index.js'
import { startRuntimeApiServer, type RuntimeApiHttpServer } from '../runtime-api/http-server.js'
import { RuntimeProcess } from '../src/isolates/process/runtime-process.js'
import { MAX_RESPONSE_BYTES, RuntimeApiSession, type Invocation } from '../runtime-api/session.js'

interface Reply {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly text: string
}

/** A runtime's view: one keep-alive connection, as the Node RIC has (maxSockets 1 per origin). */
interface Runtime {
  readonly server: RuntimeApiHttpServer
  readonly session: RuntimeApiSession
  call(method: 'GET' | 'POST', path: string, options?: { body?: string | Buffer; headers?: Record<string, string> }): Promise<Reply>
}

async function startRuntime(t: Test, session = new RuntimeApiSession()): Promise<Runtime> {
  const server = await startRuntimeApiServer(session)
  // Several connections: a test may hold a long poll open while it posts elsewhere.
  const agent = new Agent({ connections: 4, headersTimeout: 0, bodyTimeout: 0 })
  t.teardown(async () => {
    await server.destroy()
    await agent.close()
  })
  return {
    server,
    session,
    async call(method, path, options = {}) {
      const reply = await request(`http://${server.address}/2018-06-01/${path}`, {
        method,
        dispatcher: agent,
        ...(options.body === undefined ? {} : { body: options.body }),
        ...(options.headers === undefined ? {} : { headers: options.headers }),
      })
      return { status: reply.statusCode, headers: reply.headers, text: await reply.body.text() }
    },
  }
}

/** A runtime that has fetched one invocation with `next`: the state most tests start from. */
async function startInvocation(t: Test) {
  const runtime = await startRuntime(t)
  const inv = invocation()
  const outcome = runtime.session.invoke(inv)
  const next = await runtime.call('GET', 'runtime/invocation/next')
  return { runtime, inv, outcome, next }
}

let counter = 0
function invocation(overrides: Partial<Invocation> = {}): Invocation {
  counter += 1
  return {
    requestId: `8476a536-e9f4-11e8-9739-2dfe598c${String(counter).padStart(4, '0')}`,
    deadlineMs: 1_700_000_000_000 + counter,
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:custom-runtime:live',
    payload: JSON.stringify({ n: counter }),
    ...overrides,
  }
}

function expectError(t: Test, reply: Reply, status: number, errorType: string, label: string): void {
  t.equal(reply.status, status, `${label}: status ${status}`)
  t.match(reply.headers['content-type'], /^application\/json/, `${label}: JSON`)
  const body = JSON.parse(reply.text) as Record<string, unknown>
  t.equal(body.errorType, errorType, `${label}: errorType ${errorType}`)
  t.type(body.errorMessage, 'string', `${label}: errorMessage`)
  t.same(Object.keys(body).sort(), ['errorMessage', 'errorType'], `${label}: only errorMessage and errorType`)
}

const ACCEPTED = { status: 202, text: '{"status":"OK"}' }

t.test('address is host:port on loopback, as AWS_LAMBDA_RUNTIME_API holds it', async (t) => {
  const { server } = await startRuntime(t)
  t.match(server.address, /^127\.0\.0\.1:\d+$/)
  t.equal(server.address, `127.0.0.1:${server.port}`)
  t.ok(server.port > 0)
})

t.test('next → response: every Lambda-Runtime header, the raw payload, 202 and the outcome', async (t) => {
  const runtime = await startRuntime(t)
  const { session } = runtime
  const polled = runtime.call('GET', 'runtime/invocation/next')
  t.same(await session.initialized, { ok: true }, 'the first next ends INIT')
  const inv = invocation({
    payload: '{"key":"value","unicode":"naïve ☃"}',
    traceId: 'Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1',
    clientContext: '{"client":{"installation_id":"i-1"},"custom":{"who":"Zoë ☃"},"env":{}}',
    cognitoIdentity: '{"cognitoIdentityId":"us-east-1:abc","cognitoIdentityPoolId":"us-east-1:pool"}',
    tenantId: 'tenant-42',
  })
  const outcome = session.invoke(inv)
  const next = await polled
  t.equal(next.status, 200)
  t.equal(next.text, inv.payload, 'body is the payload, byte for byte')
  t.equal(next.headers['lambda-runtime-aws-request-id'], inv.requestId)
  t.equal(next.headers['lambda-runtime-deadline-ms'], String(inv.deadlineMs))
  t.equal(next.headers['lambda-runtime-invoked-function-arn'], inv.invokedFunctionArn)
  t.equal(next.headers['lambda-runtime-trace-id'], inv.traceId)
  t.equal(next.headers['content-type'], 'application/json')
  // Headers travel as bytes; undici reads them as latin1, so decode them back as UTF-8.
  const utf8 = (value: unknown) => Buffer.from(String(value), 'latin1').toString('utf8')
  t.equal(utf8(next.headers['lambda-runtime-client-context']), inv.clientContext, 'client context, UTF-8 intact')
  t.equal(next.headers['lambda-runtime-cognito-identity'], inv.cognitoIdentity)
  t.equal(next.headers['lambda-runtime-aws-tenant-id'], 'tenant-42')
  t.equal(session.state, 'invoking')

  const posted = await runtime.call('POST', `runtime/invocation/${inv.requestId}/response`, { body: '{"ok":true}' })
  t.match(posted, ACCEPTED)
  t.same(await outcome, { kind: 'response', body: '{"ok":true}' }, 'the host gets the body as posted')

  // The loop goes on: the next poll reports the invocation done and waits for another.
  const polledAgain = runtime.call('GET', 'runtime/invocation/next')
  const second = invocation()
  const secondOutcome = session.invoke(second)
  const again = await polledAgain
  t.equal(again.headers['lambda-runtime-aws-request-id'], second.requestId)
  t.match(await runtime.call('POST', `runtime/invocation/${second.requestId}/response`, { body: '' }), ACCEPTED)
  t.same(await secondOutcome, { kind: 'response', body: '' }, 'an empty response is a response')
})

t.test('next: optional headers are absent when the invocation has none', async (t) => {
  const { runtime, inv, outcome, next } = await startInvocation(t)
  t.equal(next.headers['lambda-runtime-aws-request-id'], inv.requestId)
  for (const name of ['lambda-runtime-trace-id', 'lambda-runtime-client-context', 'lambda-runtime-cognito-identity', 'lambda-runtime-aws-tenant-id']) {
    t.equal(next.headers[name], undefined, `${name} absent`)
  }
  await runtime.call('POST', `runtime/invocation/${inv.requestId}/response`, { body: 'null' })
  t.same(await outcome, { kind: 'response', body: 'null' })
})

t.test('next → error: the error JSON and Lambda-Runtime-Function-Error-Type reach the host', async (t) => {
  const { runtime, inv, outcome } = await startInvocation(t)
  const body = JSON.stringify({ errorMessage: 'Something went wrong', errorType: 'InvalidEventDataException', stackTrace: ['at main (bootstrap:12)'] })
  const posted = await runtime.call('POST', `runtime/invocation/${inv.requestId}/error`, {
    body,
    headers: { 'content-type': 'application/vnd.aws.lambda.error+json', 'lambda-runtime-function-error-type': 'Unhandled' },
  })
  t.match(posted, ACCEPTED)
  t.same(await outcome, {
    kind: 'error',
    error: { errorType: 'InvalidEventDataException', errorMessage: 'Something went wrong', trace: ['at main (bootstrap:12)'] },
    body,
    errorTypeHeader: 'Unhandled',
  }, 'the body is kept as the runtime sent it; the error is read from it')
})

t.test('next → error without a JSON body: the header names the type', async (t) => {
  const { runtime, inv, outcome } = await startInvocation(t)
  const posted = await runtime.call('POST', `runtime/invocation/${inv.requestId}/error`, {
    body: 'handler exploded',
    headers: { 'lambda-runtime-function-error-type': 'Runtime.HandlerFailed' },
  })
  t.match(posted, ACCEPTED)
  t.same(await outcome, {
    kind: 'error',
    error: { errorType: 'Runtime.HandlerFailed', errorMessage: 'handler exploded', trace: [] },
    body: 'handler exploded',
    errorTypeHeader: 'Runtime.HandlerFailed',
  })
})

t.test('init/error: INIT fails with the posted error; the first invoke gets it; a second post is 403', async (t) => {
  const runtime = await startRuntime(t)
  const queued = runtime.session.invoke(invocation())
  const error: FunctionError = { errorType: 'Runtime.ImportModuleError', errorMessage: "Cannot find module 'app'", trace: [] }
  const posted = await runtime.call('POST', 'runtime/init/error', {
    body: JSON.stringify(error),
    headers: { 'lambda-runtime-function-error-type': 'Runtime.ImportModuleError' },
  })
  t.match(posted, ACCEPTED)
  t.same(await runtime.session.initialized, { ok: false, error, errorTypeHeader: 'Runtime.ImportModuleError' })
  t.match(await queued, { kind: 'error', error }, 'the invocation waiting for INIT gets the INIT error')
  expectError(t, await runtime.call('POST', 'runtime/init/error', { body: '{}' }), 403, 'InvalidStateTransition', 'init/error twice')
  expectError(t, await runtime.call('GET', 'runtime/invocation/next'), 403, 'InvalidStateTransition', 'next after init-failed')
})

t.test('init/error after INIT ended is 403 InvalidStateTransition', async (t) => {
  const { runtime, inv, outcome } = await startInvocation(t)
  expectError(t, await runtime.call('POST', 'runtime/init/error', { body: '{}' }), 403, 'InvalidStateTransition', 'init/error while invoking')
  t.equal(runtime.session.state, 'invoking', 'a refused call changes nothing')
  await runtime.call('POST', `runtime/invocation/${inv.requestId}/response`, { body: '1' })
  t.same(await outcome, { kind: 'response', body: '1' })
})

t.test('restore/next: INIT ends at the snapshot point; the call returns when the host restores', async (t) => {
  const runtime = await startRuntime(t)
  const { session } = runtime
  let answered = false
  const restoreNext = runtime.call('GET', 'runtime/restore/next').then((reply) => {
    answered = true
    return reply
  })
  t.same(await session.initialized, { ok: true, atSnapshotPoint: true }, 'the host sees the snapshot point')
  t.equal(session.state, 'snapshot-ready')
  t.notOk(answered, 'restore/next blocks while the environment is "snapshotted"')
  expectError(t, await runtime.call('GET', 'runtime/restore/next'), 403, 'InvalidStateTransition', 'restore/next twice')

  const restored = session.restore()
  const reply = await restoreNext
  t.equal(reply.status, 200, 'restore/next returns after restore')
  const polled = runtime.call('GET', 'runtime/invocation/next')
  t.same(await restored, { ok: true }, 'the after-restore hooks ran: next ends RESTORE')
  const inv = invocation()
  const outcome = session.invoke(inv)
  t.equal((await polled).headers['lambda-runtime-aws-request-id'], inv.requestId)
  await runtime.call('POST', `runtime/invocation/${inv.requestId}/response`, { body: '"thawed"' })
  t.same(await outcome, { kind: 'response', body: '"thawed"' })
})

t.test('restore/error: RESTORE fails with the posted error; outside RESTORE it is 403', async (t) => {
  const runtime = await startRuntime(t, new RuntimeApiSession({ restoring: true }))
  const error: FunctionError = { errorType: 'Runtime.AfterRestoreError', errorMessage: 'hook failed', trace: ['at hook'] }
  const posted = await runtime.call('POST', 'runtime/restore/error', {
    body: JSON.stringify(error),
    headers: { 'lambda-runtime-function-error-type': 'Runtime.AfterRestoreError' },
  })
  t.match(posted, ACCEPTED)
  t.same(await runtime.session.initialized, { ok: false, error, errorTypeHeader: 'Runtime.AfterRestoreError' })
  t.equal(runtime.session.state, 'restore-failed')

  const fresh = await startRuntime(t)
  expectError(t, await fresh.call('POST', 'runtime/restore/error', { body: '{}' }), 403, 'InvalidStateTransition', 'restore/error during INIT')
})

t.test('a response over 6 MiB + 100 bytes: 413 to the runtime, Function.ResponseSizeTooLarge to the host', async (t) => {
  const { runtime, inv, outcome } = await startInvocation(t)
  const oversized = Buffer.alloc(MAX_RESPONSE_BYTES + 1, 'a')
  expectError(t, await runtime.call('POST', `runtime/invocation/${inv.requestId}/response`, { body: oversized }), 413, 'RequestEntityTooLarge', 'oversized')
  const settled = await outcome
  t.equal(settled.kind, 'error')
  if (settled.kind === 'error') {
    t.equal(settled.error.errorType, 'Function.ResponseSizeTooLarge')
    t.match(settled.error.errorMessage, String(MAX_RESPONSE_BYTES + 1), 'the message gives the size')
  }
  expectError(t, await runtime.call('POST', `runtime/invocation/${inv.requestId}/response`, { body: '{}' }), 403, 'InvalidStateTransition', 'the invocation is over')

  // Exactly the limit is still a response.
  const polled = runtime.call('GET', 'runtime/invocation/next')
  const atLimit = invocation()
  const atLimitOutcome = runtime.session.invoke(atLimit)
  await polled
  const body = 'b'.repeat(MAX_RESPONSE_BYTES)
  t.match(await runtime.call('POST', `runtime/invocation/${atLimit.requestId}/response`, { body }), ACCEPTED)
  const response = await atLimitOutcome
  t.equal(response.kind === 'response' ? response.body.length : -1, MAX_RESPONSE_BYTES, 'a response of exactly the limit')
})

t.test('a wrong request id is 400 InvalidRequestID; the right one still works', async (t) => {
  const { runtime, inv, outcome } = await startInvocation(t)
  expectError(t, await runtime.call('POST', 'runtime/invocation/not-the-id/response', { body: '{}' }), 400, 'InvalidRequestID', 'response, wrong id')
  expectError(t, await runtime.call('POST', 'runtime/invocation/not-the-id/error', { body: '{}' }), 400, 'InvalidRequestID', 'error, wrong id')
  t.match(await runtime.call('POST', `runtime/invocation/${inv.requestId}/response`, { body: '"right"' }), ACCEPTED)
  t.same(await outcome, { kind: 'response', body: '"right"' })
})

t.test('a double response, or an error after the response, is 403 InvalidStateTransition', async (t) => {
  const { runtime, inv, outcome } = await startInvocation(t)
  t.match(await runtime.call('POST', `runtime/invocation/${inv.requestId}/response`, { body: '"first"' }), ACCEPTED)
  expectError(t, await runtime.call('POST', `runtime/invocation/${inv.requestId}/response`, { body: '"second"' }), 403, 'InvalidStateTransition', 'second response')
  expectError(t, await runtime.call('POST', `runtime/invocation/${inv.requestId}/error`, { body: '{}' }), 403, 'InvalidStateTransition', 'error after response')
  t.same(await outcome, { kind: 'response', body: '"first"' }, 'the first response stands')
})

t.test('next while an invocation is in flight, or a second parked next, is 403', async (t) => {
  const runtime = await startRuntime(t)
  const parked = runtime.call('GET', 'runtime/invocation/next')
  await runtime.session.initialized
  expectError(t, await runtime.call('GET', 'runtime/invocation/next'), 403, 'InvalidStateTransition', 'second next while parked')
  const inv = invocation()
  const outcome = runtime.session.invoke(inv)
  await parked
  expectError(t, await runtime.call('GET', 'runtime/invocation/next'), 403, 'InvalidStateTransition', 'next while invoking')
  await runtime.call('POST', `runtime/invocation/${inv.requestId}/response`, { body: '{}' })
  t.same(await outcome, { kind: 'response', body: '{}' })
})

t.test('unknown routes are 404 and wrong methods 405, as Lambda-style JSON errors', async (t) => {
  const runtime = await startRuntime(t)
  for (const path of ['runtime/invocation', 'runtime/invocation/abc/result', 'runtime/nope', '../2020-01-01/extension/register']) {
    expectError(t, await runtime.call('GET', path), 404, 'NotFound', `GET ${path}`)
  }
  const reply = await runtime.call('POST', 'runtime/invocation/next', { body: '{}' })
  expectError(t, reply, 405, 'MethodNotAllowed', 'POST next')
  t.equal(reply.headers.allow, 'GET')
  expectError(t, await runtime.call('GET', 'runtime/invocation/abc/response'), 405, 'MethodNotAllowed', 'GET response')
  t.equal(runtime.session.state, 'initializing', 'none of that touched the session')
})

t.test('an unknown response mode is 400 InvalidFunctionResponseMode and fails the invocation', async (t) => {
  const { runtime, inv, outcome } = await startInvocation(t)
  const reply = await runtime.call('POST', `runtime/invocation/${inv.requestId}/response`, {
    body: '{}',
    headers: { 'lambda-runtime-function-response-mode': 'buffered' },
  })
  expectError(t, reply, 400, 'InvalidFunctionResponseMode', 'bad mode')
  t.match(await outcome, { kind: 'error', error: { errorType: 'Runtime.InvalidResponseModeHeader' } })
})

/** POSTs a chunked body with trailers (undici cannot send trailers; node:http can). */
function postStreamed(address: string, path: string, chunks: string[], trailers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`http://${address}/2018-06-01/${path}`, {
      method: 'POST',
      headers: {
        'lambda-runtime-function-response-mode': 'streaming',
        'transfer-encoding': 'chunked',
        trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
      },
    }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    for (const chunk of chunks) req.write(chunk)
    req.addTrailers(trailers)
    req.end()
  })
}

t.test('a streamed response is gathered whole; error trailers fail the invocation', async (t) => {
  const runtime = await startRuntime(t)
  const first = invocation()
  const firstOutcome = runtime.session.invoke(first)
  await runtime.call('GET', 'runtime/invocation/next')
  t.match(await postStreamed(runtime.server.address, `runtime/invocation/${first.requestId}/response`, ['{"part":', '1}'], {}), ACCEPTED)
  t.same(await firstOutcome, { kind: 'response', body: '{"part":1}' })

  const polled = runtime.call('GET', 'runtime/invocation/next')
  const second = invocation()
  const secondOutcome = runtime.session.invoke(second)
  await polled
  const error = { errorType: 'Error', errorMessage: 'stream broke', trace: [] }
  const reply = await postStreamed(runtime.server.address, `runtime/invocation/${second.requestId}/response`, ['partial'], {
    'Lambda-Runtime-Function-Error-Type': 'Runtime.StreamError',
    'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(error)).toString('base64'),
  })
  t.match(reply, ACCEPTED)
  t.same(await secondOutcome, { kind: 'error', error, body: JSON.stringify(error), errorTypeHeader: 'Runtime.StreamError' })
})

t.test('close() answers a parked next with 500 (the runtime should exit) and drains', async (t) => {
  const runtime = await startRuntime(t)
  const parked = runtime.call('GET', 'runtime/invocation/next')
  await runtime.session.initialized
  const closed = runtime.server.close()
  expectError(t, await parked, 500, 'InternalServerError', 'parked next on close')
  await closed
  await t.rejects(runtime.call('GET', 'runtime/invocation/next'), 'no new connections after close')
})

t.test('close() lets a response being posted finish', async (t) => {
  const { runtime, inv, outcome } = await startInvocation(t)
  let closed: Promise<void> | undefined
  // Start a post and close once the server holds it (its 100 Continue says so), body unsent.
  const posting = new Promise<Reply>((resolve, reject) => {
    const req = httpRequest(`http://${runtime.server.address}/2018-06-01/runtime/invocation/${inv.requestId}/response`, {
      method: 'POST',
      headers: { expect: '100-continue', 'content-length': '13' },
    }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }))
    })
    req.on('error', reject)
    req.on('continue', () => {
      closed = runtime.server.close()
      req.end('{"slow":true}')
    })
  })
  t.match(await posting, ACCEPTED, 'the post in progress completes')
  t.ok(closed, 'close() was called while the post was in progress')
  await closed
  t.same(await outcome, { kind: 'response', body: '{"slow":true}' })
})

t.test('destroy() cuts a parked next', async (t) => {
  const runtime = await startRuntime(t)
  const parked = runtime.call('GET', 'runtime/invocation/next')
  await runtime.session.initialized
  await runtime.server.destroy()
  await t.rejects(parked, 'the long poll is cut, not answered')
})

// ── A real custom runtime: a shell bootstrap using curl, as a child process ─────────────────

const BOOTSTRAP_DIR = fileURLToPath(new URL('./fixtures/bootstrap-curl/', import.meta.url))

async function startBootstrap(t: Test, env: Record<string, string> = {}) {
  const session = new RuntimeApiSession()
  const server = await startRuntimeApiServer(session)
  const logs: string[] = []
  const runtime = RuntimeProcess.start(session, {
    command: `${BOOTSTRAP_DIR}bootstrap`,
    cwd: BOOTSTRAP_DIR,
    env: { _HANDLER: 'function.echo', LAMBDA_TASK_ROOT: BOOTSTRAP_DIR, ...env },
    runtimeApiAddress: server.address,
    onLogLine: (line) => logs.push(line),
  })
  t.teardown(async () => {
    await runtime.kill()
    await server.destroy()
  })
  return { session, server, runtime, logs }
}

t.test('curl bootstrap: a child process loops next → response with AWS_LAMBDA_RUNTIME_API', async (t) => {
  const { session, runtime, logs } = await startBootstrap(t)
  t.same(await session.initialized, { ok: true }, 'INIT ends when the bootstrap first polls next')
  for (let round = 1; round <= 3; round++) {
    const inv = invocation({ payload: JSON.stringify({ round }) })
    const outcome = await session.invoke(inv)
    t.equal(outcome.kind, 'response', `round ${round}: a response`)
    if (outcome.kind === 'response') {
      t.same(JSON.parse(outcome.body), { event: { round }, requestId: inv.requestId, arn: inv.invokedFunctionArn, handler: 'function.echo' }, `round ${round}: the bootstrap saw the event and the headers`)
    }
  }
  t.ok(logs.includes('bootstrap: INIT for handler function.echo'), 'stdout lines reach the log')
  t.equal(logs.filter((line) => line.startsWith('bootstrap: invocation ')).length, 3)
  const exit = await runtime.kill()
  t.same(exit, { code: null, signal: 'SIGKILL' }, 'kill() ends the process with SIGKILL')
  t.equal(session.state, 'closed', 'and the session with it')
})

t.test('curl bootstrap: a function error, then a crash mid-invocation is Runtime.ExitError', async (t) => {
  const { session, runtime } = await startBootstrap(t)
  const failed = await session.invoke(invocation({ payload: '{"fail":true}' }))
  t.match(failed, { kind: 'error', error: { errorType: 'HandlerError', errorMessage: 'asked to fail' }, errorTypeHeader: 'Unhandled' })
  const inv = invocation({ payload: '{"exit":true}' })
  const crashed = await session.invoke(inv)
  t.same(crashed, {
    kind: 'error',
    error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${inv.requestId} Error: Runtime exited with error: exit status 3`, trace: [] },
    body: JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${inv.requestId} Error: Runtime exited with error: exit status 3`, trace: [] }),
  })
  t.same(await runtime.exited, { code: 3, signal: null })
  t.equal(session.state, 'closed', 'the environment is spent: the next invoke needs a fresh one')
})

t.test('curl bootstrap: init/error fails INIT and the runtime exits', async (t) => {
  const { session, runtime } = await startBootstrap(t, { FAIL_INIT: '1' })
  t.same(await session.initialized, {
    ok: false,
    error: { errorType: 'InitFailed', errorMessage: 'init failed on purpose', trace: [] },
    errorTypeHeader: 'Runtime.InitFailed',
  })
  t.same(await runtime.exited, { code: 1, signal: null })
})

t.test('a bootstrap that cannot be started ends INIT with Runtime.InvalidEntrypoint', async (t) => {
  const session = new RuntimeApiSession()
  const server = await startRuntimeApiServer(session)
  t.teardown(() => server.destroy())
  const runtime = RuntimeProcess.start(session, { command: `${BOOTSTRAP_DIR}missing-bootstrap`, cwd: BOOTSTRAP_DIR, env: {}, runtimeApiAddress: server.address })
  t.same(await runtime.exited, { code: null, signal: null })
  t.match(await session.initialized, { ok: false, error: { errorType: 'Runtime.InvalidEntrypoint' } })
})
