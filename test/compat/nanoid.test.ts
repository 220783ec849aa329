/**
 * nanoid 5 (its Node build: node:crypto's webcrypto.getRandomValues into a pooled Buffer):
 * default and sized ids, customAlphabet, customRandom with a fixed source (a known id), the
 * url alphabet, the non-secure variant. Bundled, and unbundled (nanoid's `exports` map).
 */
import t, { type Test } from 'tap'
import { runCase, type Packaging } from './harness.js'

const files = {
  'index.mjs': `import { nanoid, customAlphabet, customRandom, urlAlphabet, random } from 'nanoid'
import { nanoid as insecure } from 'nanoid/non-secure'

const orderId = customAlphabet('0123456789ABCDEF', 12)

export const handler = async () => {
  let seed = 7
  const fixed = customRandom('abcdefghij', 10, (size) => new Uint8Array(size).map(() => (seed = (seed * 31 + 11) % 256)))
  const many = Array.from({ length: 200 }, () => nanoid())
  return {
    ids: [nanoid(), nanoid(8), orderId(), orderId(4), insecure(), insecure(5)],
    distinct: new Set(many).size,
    fixed: [fixed(), fixed(4)],
    bytes: random(16).length,
    urlAlphabet,
  }
}
`,
}

function check(t: Test, payload: unknown): void {
  const { ids, distinct, fixed, bytes, urlAlphabet } = payload as { ids: string[]; distinct: number; fixed: string[]; bytes: number; urlAlphabet: string }
  const [id, short, order, shortOrder, weak, shortWeak] = ids
  t.match(id ?? '', /^[A-Za-z0-9_-]{21}$/, 'nanoid(): 21 url-safe characters')
  t.match(short ?? '', /^[A-Za-z0-9_-]{8}$/, 'nanoid(8)')
  t.match(order ?? '', /^[0-9A-F]{12}$/, 'customAlphabet, default size')
  t.match(shortOrder ?? '', /^[0-9A-F]{4}$/, 'customAlphabet, size 4')
  t.match(weak ?? '', /^[A-Za-z0-9_-]{21}$/, 'non-secure')
  t.match(shortWeak ?? '', /^[A-Za-z0-9_-]{5}$/, 'non-secure, size 5')
  t.equal(distinct, 200, '200 ids, all different')
  t.same(fixed, ['ihcdgjgjaf', 'hihc'], 'customRandom with a fixed source (bytes read last to first, 250 and above rejected)')
  t.equal(bytes, 16, 'random(16)')
  t.equal(urlAlphabet, 'useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict')
}

for (const packaging of ['bundled', 'unbundled'] as Packaging[]) {
  t.test(`nanoid 5 (${packaging})`, (t) =>
    runCase(t, {
      packaging,
      files,
      packages: ['nanoid'],
      events: [{ label: 'ids', event: {}, check, comparable: ({ distinct, fixed, bytes, urlAlphabet }) => ({ distinct, fixed, bytes, urlAlphabet }) }],
    }),
  )
}
