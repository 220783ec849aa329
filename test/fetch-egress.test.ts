/**
 * fetch from a guest: carried out by the host with undici, under the function's egress policy.
 * Real HTTP servers on 127.0.0.1, real QuickJS functions, in cold environments on the host thread
 * and in snapshot-restored environments on shards.
 */
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { createHost } from '../src/index.js'
import { deployFiles, functionLines, hostFor, payloadOf } from './conformance/fixture.js'
import { coldQuickJs, snapshotQuickJs } from './conformance/mode.js'

const BIG_BYTES = 1_500_000
const big = Buffer.alloc(BIG_BYTES, 0)
for (let index = 0; index < BIG_BYTES; index++) big[index] = (index * 7919) % 251

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** The upstream every test talks to. */
const upstream = createServer((request, response) => {
  void (async () => {
    const body = await readBody(request)
    const url = new URL(request.url ?? '/', 'http://upstream')
    switch (url.pathname) {
      case '/echo':
        response.writeHead(201, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'], 'x-upstream': 'yes' })
        response.end(JSON.stringify({ method: request.method, query: url.search, headers: request.headers, body: body.toString('utf8') }))
        return
      case '/big':
        response.writeHead(200, { 'content-type': 'application/octet-stream' })
        response.end(big)
        return
      case '/redirect':
        response.writeHead(302, { location: url.searchParams.get('to') ?? '/echo' })
        response.end()
        return
      case '/hang':
        return // never answers
      default:
        response.writeHead(404, { 'content-type': 'text/plain' })
        response.end('not here')
    }
  })()
})
const upstreamPort = await listen(upstream)
t.teardown(() => upstream.close())
const base = `http://127.0.0.1:${upstreamPort}`
const allowLocal = { egress: { allow: [`127.0.0.1:${upstreamPort}`] } }

for (const mode of [coldQuickJs, snapshotQuickJs]) {
  t.test(mode.name, async (t) => {
    const host = await hostFor(t, mode)

    t.test('requests are denied unless the egress policy allows them, and the denial is logged', async (t) => {
      const fn = await deployFiles(host, mode, {
        'index.mjs': `export const handler = async (event) => {
          try { await fetch(event.url); return 'reached' } catch (error) { return [error.name, error.message, error.cause.code, error.cause.message] }
        }`,
      })
      const result = await fn.invoke({ url: `${base}/echo` })
      t.same(payloadOf(t, result), ['TypeError', 'fetch failed', 'ERR_EGRESS_DENIED', `egress to 127.0.0.1:${upstreamPort} is denied by the function's egress policy`])
      t.match(functionLines(result).join('\n'), new RegExp(`^EGRESS_DENIED GET ${base.replaceAll('.', '\\.')}/echo`, 'm'))
    })

    t.test('an allowed request: method, headers, body and query go out; status, headers and body come back', async (t) => {
      const fn = await deployFiles(
        host,
        mode,
        {
          'index.mjs': `export const handler = async (event) => {
            const response = await fetch(event.url + '?x=1&y=two', { method: 'POST', headers: { 'content-type': 'text/plain', 'x-thaw': 'guest' }, body: 'héllo' })
            const json = await response.json()
            return { status: response.status, ok: response.ok, type: response.headers.get('content-type'), cookies: response.headers.getSetCookie(),
              upstream: response.headers.get('x-upstream'), method: json.method, query: json.query, sent: json.headers['x-thaw'], body: json.body,
              url: response.url, redirected: response.redirected }
          }`,
        },
        allowLocal,
      )
      t.same(payloadOf(t, await fn.invoke({ url: `${base}/echo` })), {
        status: 201,
        ok: true,
        type: 'application/json',
        cookies: ['a=1', 'b=2'],
        upstream: 'yes',
        method: 'POST',
        query: '?x=1&y=two',
        sent: 'guest',
        body: 'héllo',
        url: `${base}/echo?x=1&y=two`,
        redirected: false,
      })
    })

    t.test('a large body streams in whole; one over the cap fails the read', async (t) => {
      const files = {
        'index.mjs': `export const handler = async (event) => {
          const response = await fetch(event.url)
          try {
            const bytes = new Uint8Array(await response.arrayBuffer())
            const digest = await crypto.subtle.digest('SHA-256', bytes)
            return { length: bytes.length, sha256: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('') }
          } catch (error) { return { error: error.name, code: error.cause?.code } }
        }`,
      }
      const roomy = await deployFiles(host, mode, files, allowLocal)
      t.same(payloadOf(t, await roomy.invoke({ url: `${base}/big` })), { length: BIG_BYTES, sha256: createHash('sha256').update(big).digest('hex') })
      const tight = await deployFiles(host, mode, files, { egress: { ...allowLocal.egress, maxResponseBodyMb: 1 } })
      t.same(payloadOf(t, await tight.invoke({ url: `${base}/big` })), { error: 'TypeError', code: 'ERR_FETCH_BODY_TOO_LARGE' })
    })

    t.test('redirects are followed hop by hop, each hop under the policy', async (t) => {
      const fn = await deployFiles(
        host,
        mode,
        {
          'index.mjs': `export const handler = async (event) => {
            const follow = await fetch(event.base + '/redirect?to=/echo')
            const manual = await fetch(event.base + '/redirect?to=/echo', { redirect: 'manual' })
            let away
            try { await fetch(event.base + '/redirect?to=' + encodeURIComponent('http://127.0.0.2:9/x')) } catch (error) { away = error.cause.code }
            return [follow.status, follow.redirected, follow.url, manual.status, manual.headers.get('location'), away]
          }`,
        },
        allowLocal,
      )
      t.same(payloadOf(t, await fn.invoke({ base })), [201, true, `${base}/echo`, 302, '/echo', 'ERR_EGRESS_DENIED'])
    })

    t.test('an abort signal rejects the fetch with its reason', async (t) => {
      const fn = await deployFiles(
        host,
        mode,
        {
          'index.mjs': `export const handler = async (event) => {
            const controller = new AbortController()
            setTimeout(() => controller.abort(), 20)
            try { await fetch(event.url, { signal: controller.signal }); return 'answered' } catch (error) { return [error.name] }
          }`,
        },
        allowLocal,
      )
      t.same(payloadOf(t, await fn.invoke({ url: `${base}/hang` })), ['AbortError'])
    })

    t.test('a request that outlives the invocation ends with it: the function times out, the host serves on', async (t) => {
      const fn = await deployFiles(host, mode, { 'index.mjs': 'export const handler = async (event) => (await fetch(event.url)).status' }, { ...allowLocal, timeoutMs: 1000 })
      const hung = await fn.invoke({ url: `${base}/hang` })
      t.equal(hung.ok ? 'answered' : hung.error.errorType, 'Sandbox.Timedout')
      t.equal(payloadOf(t, await fn.invoke({ url: `${base}/missing` })), 404)
    })

    t.test('INIT may fetch (top-level await)', async (t) => {
      const fn = await deployFiles(
        host,
        mode,
        { 'index.mjs': `const config = await (await fetch(process.env.UPSTREAM + '/echo?init')).json()\nexport const handler = async () => config.query` },
        { ...allowLocal, env: { UPSTREAM: base } },
      )
      t.equal(payloadOf(t, await fn.invoke()), '?init')
    })
  })
}

t.test('egress patterns are validated when the function is deployed', async (t) => {
  const host = await createHost({ shards: 0 })
  t.teardown(() => host.close())
  const deploy = (allow: unknown) =>
    host.deploy({ name: 'bad-egress', runtime: 'quickjs', handler: 'index.handler', code: { files: { 'index.mjs': 'export const handler = () => 1' } }, egress: { allow } as never })
  await t.rejects(deploy(['http://example.com/path']), { code: 'THAW_INVALID_CONFIG', message: /egress\.allow\.0.*not a host pattern/s })
  await t.rejects(deploy(['example.com:70000']), { message: /port outside 1-65535/ })
  await t.resolves(deploy(['example.com', '*.example.com', 'example.com:8443', '127.0.0.1:*', '[::1]:*', '*']))
})
