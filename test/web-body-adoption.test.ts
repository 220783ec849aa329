/**
 * A Response re-wrapped around another's untouched `.body` (`new Response(res.body, res)`, which
 * hono does for every header set after a handler) takes the content over instead of streaming it.
 * Node gives the same results; the one visible difference is that the old stream is locked at
 * once rather than when the new body is first read (docs/compatibility.md).
 */
import t from 'tap'
import { deployFiles, hostFor, payloadOf } from './conformance/fixture.js'
import { coldQuickJs } from './conformance/mode.js'

t.test('a re-wrapped body keeps its content, headers and status; a read stream is never adopted', async (t) => {
  const host = await hostFor(t, coldQuickJs)
  const fn = await deployFiles(host, coldQuickJs, {
    'index.mjs': `export const handler = async () => {
      const original = new Response('{"a":"é"}', { status: 201, headers: { 'content-type': 'application/json' } })
      const stream = original.body
      const wrapped = new Response(stream, original)
      const first = { json: await wrapped.json(), status: wrapped.status, type: wrapped.headers.get('content-type'), oldUsed: original.bodyUsed, oldLocked: stream.locked }
      const bytes = new Response(new Uint8Array([104, 105]))
      const fromBytes = await new Response(bytes.body).arrayBuffer()
      // A stream someone already read from is a stream body as before: the rest of it is what the new body holds.
      const partial = new Response('abc')
      const reader = partial.body.getReader()
      const head = await reader.read()
      reader.releaseLock()
      let rejected
      try { new Response(partial.body) } catch (error) { rejected = error.name }
      return { first, fromBytes: [...new Uint8Array(fromBytes)], head: head.value.length, rejected }
    }`,
  })
  t.same(payloadOf(t, await fn.invoke()), {
    first: { json: { a: 'é' }, status: 201, type: 'application/json', oldUsed: false, oldLocked: true },
    fromBytes: [104, 105],
    head: 3,
    rejected: 'TypeError',
  })
})
