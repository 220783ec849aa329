import type { Test } from 'tap'
import { deployFiles, hostFor, payloadOf } from './fixture.js'
import { startedNewEnvironment, type ConformanceMode } from './mode.js'

/** INIT once per environment, warm reuse, one invocation per environment, isolation. */
export async function lifecycle(t: Test, mode: ConformanceMode): Promise<void> {
  const host = await hostFor(t, mode)
  const counter = {
    'index.mjs': `let initCount = 0
      let invocations = 0
      initCount++
      export const handler = async (event) => {
        invocations++
        if (event.waitMs) await new Promise((r) => setTimeout(r, event.waitMs))
        return { initCount, invocations }
      }`,
  }

  t.test('a warm environment is reused: module state grows, INIT runs once', async (t) => {
    const fn = await deployFiles(host, mode, counter)
    const seen = []
    for (let i = 0; i < 5; i++) seen.push(payloadOf(t, await fn.invoke({})))
    t.same(seen, [1, 2, 3, 4, 5].map((invocations) => ({ initCount: 1, invocations })))
  })

  t.test('concurrent invocations get separate environments', async (t) => {
    const fn = await deployFiles(host, mode, counter)
    const results = await Promise.all([fn.invoke({ waitMs: 30 }), fn.invoke({ waitMs: 30 }), fn.invoke({ waitMs: 30 })])
    t.same(results.map((result) => payloadOf(t, result)), [1, 1, 1].map(() => ({ initCount: 1, invocations: 1 })))
    t.equal(results.filter((result) => startedNewEnvironment(mode, result)).length, 3, 'three new environments')
    const after = await Promise.all([fn.invoke({}), fn.invoke({}), fn.invoke({})])
    t.same(after.map((result) => (payloadOf(t, result) as { invocations: number }).invocations), [2, 2, 2], 'then all three are warm')
  })

  t.test('functions never see each other’s globals', async (t) => {
    const writer = await deployFiles(host, mode, { 'index.mjs': 'export const handler = async () => { globalThis.secret = "mine"; Object.prototype.polluted = 1; return globalThis.secret }' })
    const reader = await deployFiles(host, mode, { 'index.mjs': 'export const handler = async () => [typeof globalThis.secret, ({}).polluted]' })
    t.equal(payloadOf(t, await writer.invoke()), 'mine')
    t.same(payloadOf(t, await reader.invoke()), ['undefined', null])
  })

  t.test('one broken function does not affect another', async (t) => {
    const broken = await deployFiles(host, mode, { 'index.mjs': 'export const handler = async () => { for (;;) {} }' }, { timeoutMs: 1000 })
    const healthy = await deployFiles(host, mode, counter)
    const [bad, good] = await Promise.all([broken.invoke(), healthy.invoke({ waitMs: 5 })])
    t.equal(bad.ok ? undefined : bad.error.errorType, 'Sandbox.Timedout')
    t.same(payloadOf(t, good), { initCount: 1, invocations: 1 })
  })

  t.test('host internals are out of reach', async (t) => {
    const fn = await deployFiles(host, mode, {
      'index.mjs': `import { Buffer as GuestBuffer } from 'node:buffer'
export const handler = async () => [typeof globalThis.__thaw_host, typeof globalThis.__thaw_guest, globalThis.Buffer === GuestBuffer, typeof require]`,
    })
    t.same(payloadOf(t, await fn.invoke()), ['undefined', 'undefined', true, 'undefined'])
  })

  t.test('redeploying replaces the code; new invocations run it', async (t) => {
    const files = (n: number) => ({ 'index.mjs': `export const handler = async () => ${n}` })
    const first = await deployFiles(host, mode, files(1), { name: 'redeploy' })
    t.equal(payloadOf(t, await first.invoke()), 1)
    const second = await deployFiles(host, mode, files(2), { name: 'redeploy' })
    t.equal(payloadOf(t, await second.invoke()), 2)
  })
}
