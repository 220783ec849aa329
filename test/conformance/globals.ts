import type { Test } from 'tap'
import { deployFiles, hostFor, payloadOf } from './fixture.js'
import type { ConformanceMode } from './mode.js'

/** The globals a Node handler expects that bare QuickJS lacks. */
export async function globals(t: Test, mode: ConformanceMode): Promise<void> {
  const host = await hostFor(t, mode)
  const probe = async (t: Test, body: string, expected: unknown) => {
    const fn = await deployFiles(host, mode, { 'index.mjs': `export const handler = async () => { ${body} }` })
    t.same(payloadOf(t, await fn.invoke()), expected)
  }

  t.test('TextEncoder / TextDecoder', (t) =>
    probe(t, 'const bytes = new TextEncoder().encode("héllo €"); return [bytes.length, new TextDecoder().decode(bytes)]', [10, 'héllo €']))
  t.test('URL / URLSearchParams', (t) =>
    probe(
      t,
      'const u = new URL("../b?x=1&y=a%20b#h", "https://user@example.com:8080/a/c"); u.searchParams.append("z", "3"); return [u.href, u.host, u.pathname, u.searchParams.get("y")]',
      ['https://user@example.com:8080/b?x=1&y=a+b&z=3#h', 'example.com:8080', '/b', 'a b'],
    ))
  t.test('atob / btoa', (t) => probe(t, 'return [btoa("hello"), atob("aGVsbG8=")]', ['aGVsbG8=', 'hello']))
  t.test('structuredClone', (t) =>
    probe(t, 'const a = { d: new Date(0), m: new Map([[1, 2]]) }; a.self = a; const b = structuredClone(a); return [b !== a, b.self === b, b.d.getTime(), b.m.get(1)]', [
      true,
      true,
      0,
      2,
    ]))
  t.test('crypto.getRandomValues / randomUUID (host entropy)', (t) =>
    probe(
      t,
      'const a = crypto.getRandomValues(new Uint8Array(16)); const b = crypto.getRandomValues(new Uint8Array(16)); return [a.some((x, i) => x !== b[i]), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID())]',
      [true, true],
    ))
  t.test('performance.now is monotonic and fine-grained', (t) =>
    probe(t, 'const a = performance.now(); let x = 0; for (let i = 0; i < 1e5; i++) x += i; const b = performance.now(); return [b >= a, !Number.isInteger(b) || !Number.isInteger(a)]', [true, true]))
  t.test('timers: setTimeout order, setInterval + clearInterval, setImmediate, queueMicrotask', (t) =>
    probe(
      t,
      `const order = []
      let ticks = 0
      await new Promise((done) => {
        let pending = 2
        const settle = () => { if (--pending === 0) setTimeout(done, 5) }
        setTimeout(() => { order.push('t20'); settle() }, 20)
        setTimeout(() => order.push('t5'), 5)
        setImmediate(() => order.push('immediate'))
        queueMicrotask(() => order.push('micro'))
        const id = setInterval(() => { if (++ticks === 3) { clearInterval(id); settle() } }, 2)
        const cancelled = setTimeout(() => order.push('never'), 1); clearTimeout(cancelled)
      })
      return [order, ticks]`,
      [['micro', 'immediate', 't5', 't20'], 3],
    ))
}
