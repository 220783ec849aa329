/**
 * Bytes through the HTTP Runtime API: a process runtime may post a response that is not UTF-8
 * (an image, gzip, a stream of either) and Lambda returns exactly those bytes. The session keeps
 * them (`outcome.bytes`) whenever text cannot hold them; valid UTF-8 stays plain text, as the
 * in-process QuickJS runtime posts it. Driven by undici on 127.0.0.1 and by a real shell
 * bootstrap (test/fixtures/bootstrap-binary) posting with curl.
 */
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { Agent, request } from 'undici'
import { startRuntimeApiServer, type RuntimeApiHttpServer } from '../runtime-api/http-server.js'
import { RuntimeApiSession, type Invocation, type InvocationOutcome } from '../runtime-api/session.js'
import { RuntimeProcess } from '../src/isolates/process/runtime-process.js'

/** What the fixture bootstrap posts: the PNG signature, then 0xFF 0x00 0xC3 (not UTF-8). */
const PNG_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0xc3])

let counter = 0
function invocation(payload = '{}'): Invocation {
  counter += 1
  return {
    requestId: `b1a2c3d4-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    deadlineMs: Date.now() + 60_000,
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:binary',
    payload,
  }
}

async function startServer(t: Test): Promise<{ session: RuntimeApiSession; server: RuntimeApiHttpServer; agent: Agent }> {
  const session = new RuntimeApiSession()
  const server = await startRuntimeApiServer(session)
  const agent = new Agent({ headersTimeout: 0, bodyTimeout: 0 })
  t.teardown(async () => {
    await server.destroy()
    await agent.close()
  })
  return { session, server, agent }
}

/** One invocation answered by `post`, the way a runtime does it: next, then the response. */
async function respondWith(
  t: Test,
  body: Buffer | Readable,
  headers: Record<string, string> = {},
): Promise<InvocationOutcome> {
  const { session, server, agent } = await startServer(t)
  const url = (path: string) => `http://${server.address}/2018-06-01/runtime/${path}`
  const pending = session.invoke(invocation())
  const next = await request(url('invocation/next'), { dispatcher: agent })
  await next.body.dump()
  const requestId = String(next.headers['lambda-runtime-aws-request-id'])
  const posted = await request(url(`invocation/${requestId}/response`), { method: 'POST', dispatcher: agent, body, headers })
  t.equal(posted.statusCode, 202, 'the runtime hears 202')
  await posted.body.dump()
  return pending
}

function bytesOf(outcome: InvocationOutcome): Buffer | undefined {
  return outcome.kind === 'response' ? outcome.bytes : undefined
}

t.test('a buffered response that is not UTF-8 reaches the host byte for byte', async (t) => {
  const outcome = await respondWith(t, PNG_BYTES, { 'content-type': 'image/png' })
  t.equal(outcome.kind, 'response')
  t.ok(bytesOf(outcome)?.equals(PNG_BYTES), 'outcome.bytes are the posted bytes')
  t.not(Buffer.from(outcome.body, 'utf8').equals(PNG_BYTES), 'which the text alone could not carry')
})

t.test('a streamed response of binary chunks is gathered byte for byte, across chunk bounds', async (t) => {
  // 0xC3 0xA9 is "é" split between two chunks; 0xFF can never be UTF-8.
  async function* chunks() {
    yield Buffer.from([0x00, 0xc3])
    yield Buffer.from([0xa9, 0xff])
    yield Buffer.from('tail')
  }
  const outcome = await respondWith(t, Readable.from(chunks()), { 'lambda-runtime-function-response-mode': 'streaming' })
  t.ok(bytesOf(outcome)?.equals(Buffer.from([0x00, 0xc3, 0xa9, 0xff, ...Buffer.from('tail')])), 'every byte, in order')
})

t.test('UTF-8 stays text: no second copy, and the text encodes back to the same bytes', async (t) => {
  const text = '{"name":"Zoë","currency":"€","emoji":"🧊","bom":"\uFEFF"}'
  const outcome = await respondWith(t, Buffer.from(text, 'utf8'))
  t.same(outcome, { kind: 'response', body: text })
  t.equal(bytesOf(outcome), undefined)
})

t.test('a text response from the in-process side stays a string', async (t) => {
  const session = new RuntimeApiSession()
  const pending = session.invoke(invocation())
  let requestId = ''
  session.next((delivered) => {
    requestId = delivered.requestId
  })
  session.respond(requestId, 'plain "text"')
  t.same(await pending, { kind: 'response', body: 'plain "text"' })
})

// ── A real custom runtime posting bytes with curl ───────────────────────────────────────────

const BOOTSTRAP_DIR = fileURLToPath(new URL('./fixtures/bootstrap-binary/', import.meta.url))

t.test('a shell bootstrap posts PNG bytes, buffered and streamed: the host gets them exactly', async (t) => {
  const session = new RuntimeApiSession()
  const server = await startRuntimeApiServer(session)
  const runtime = RuntimeProcess.start(session, {
    command: `${BOOTSTRAP_DIR}bootstrap`,
    cwd: BOOTSTRAP_DIR,
    env: { _HANDLER: 'binary.handler', LAMBDA_TASK_ROOT: BOOTSTRAP_DIR },
    runtimeApiAddress: server.address,
  })
  t.teardown(async () => {
    await runtime.kill()
    await server.destroy()
  })
  t.same(await session.initialized, { ok: true })
  const buffered = await session.invoke(invocation('{"mode":"buffered"}'))
  t.ok(bytesOf(buffered)?.equals(PNG_BYTES), 'buffered: the 11 bytes curl sent')
  const streamed = await session.invoke(invocation('{"mode":"stream"}'))
  t.ok(bytesOf(streamed)?.equals(PNG_BYTES), 'streamed: the same 11 bytes')
})

t.test('the Invoke API returns those bytes unchanged: through createHost and over HTTP', async (t) => {
  const { createHost, startHttpServer } = await import('../src/index.js')
  const host = await createHost()
  t.teardown(() => host.close())
  await host.deploy({ name: 'binary', runtime: 'provided', handler: 'unused', code: { dir: BOOTSTRAP_DIR } })

  const direct = await host.invoke('binary', {})
  t.ok(direct.ok, 'the invocation succeeds')
  t.same(direct.rawPayloadBytes, PNG_BYTES, 'the host result carries the exact bytes')

  const server = await startHttpServer({ host, port: 0 })
  t.teardown(() => server.destroy())
  for (const event of [{}, { mode: 'stream' }]) {
    const response = await request(`${server.url}/2015-03-31/functions/binary/invocations`, { method: 'POST', body: JSON.stringify(event) })
    t.equal(response.statusCode, 200)
    const body = Buffer.from(await response.body.arrayBuffer())
    t.same(body, PNG_BYTES, `Invoke answers byte for byte (${JSON.stringify(event)})`)
    t.equal(response.headers['content-length'], String(PNG_BYTES.length), 'content-length counts bytes, not text')
  }
})
