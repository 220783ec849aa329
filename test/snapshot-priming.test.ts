/**
 * Before a snapshot, the runtime loads the chunks of the lazy globals that the code loaded during
 * INIT mentions, so that a restored environment does not parse them on its first invocation.
 * Observable through the globals themselves: a lazy global is an accessor until its chunk loads,
 * then an ordinary data property.
 */
import t from 'tap'
import { deployFiles, hostFor, payloadOf } from './conformance/fixture.js'
import { coldQuickJs, snapshotQuickJs } from './conformance/mode.js'

// The handler's module names URL and Response (so both are mentioned), never structuredClone (its name is computed).
const files = {
  'index.mjs': `const loaded = (name) => typeof Object.getOwnPropertyDescriptor(globalThis, name).get !== 'function'
export const handler = async () => {
  const state = { URL: loaded('URL'), Response: loaded('Response'), ReadableStream: loaded('ReadableStream'), unmentioned: loaded('structured' + 'Clone') }
  const response = new Response(new URL('https://example.com/a?b=1').search)
  return { state, text: await response.text() }
}`,
}

t.test('a snapshot holds the chunks of the globals the INIT code mentions, and only those', async (t) => {
  const host = await hostFor(t, snapshotQuickJs)
  const fn = await deployFiles(host, snapshotQuickJs, files)
  t.same(payloadOf(t, await fn.invoke()), {
    // Code that handles Responses gets the streams chunk too (frameworks re-wrap response bodies).
    state: { URL: true, Response: true, ReadableStream: true, unmentioned: false },
    text: '?b=1',
  })
})

t.test('without a snapshot, nothing is loaded before it is used', async (t) => {
  const host = await hostFor(t, coldQuickJs)
  const fn = await deployFiles(host, coldQuickJs, files)
  t.same(payloadOf(t, await fn.invoke()), { state: { URL: false, Response: false, ReadableStream: false, unmentioned: false }, text: '?b=1' })
})
