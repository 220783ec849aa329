/**
 * uuid 11 (its Node build: node:crypto's randomFillSync, randomUUID and createHash): random v4
 * and v7 ids (format, version and variant bits, uniqueness, v7's time order), name-based v3/v5
 * (known values), v7 and v1 from fixed inputs, validate/version/parse/stringify. Bundled, and
 * unbundled (uuid's `exports` map with its `node` condition).
 */
import t, { type Test } from 'tap'
import { runCase, type Packaging } from './harness.js'

const files = {
  'index.mjs': `import { v1, v3, v4, v5, v7, validate, version, parse, stringify, NIL, MAX } from 'uuid'

export const handler = async (event) => {
  const before = Date.now()
  const random = { v4: [v4(), v4(), v4()], v7: [v7(), v7(), v7()] }
  return {
    random,
    v7Time: random.v7.map((id) => parseInt(id.replaceAll('-', '').slice(0, 12), 16) - before),
    fixed: {
      v5dns: v5('hello.example.com', v5.DNS),
      v5url: v5('https://www.w3.org/', v5.URL),
      v3dns: v3('hello.example.com', v3.DNS),
      v5custom: v5(event.name, '1b671a64-40d5-491e-99b0-da01ff1f3341'),
      v7: v7({ msecs: 1710270238000, seq: 0x1234abcd, random: Array.from({ length: 16 }, (_, i) => i * 17) }),
      v1: v1({ msecs: 1710270238000, nsecs: 5678, clockseq: 0x1234, node: [1, 35, 69, 103, 137, 171] }),
      v4: v4({ random: Array.from({ length: 16 }, (_, i) => 255 - i) }),
    },
    checks: {
      valid: [validate(random.v4[0]), validate('not-a-uuid'), validate(NIL), validate(MAX)],
      versions: [version(random.v4[0]), version(random.v7[0]), version(v5('x', v5.URL))],
      roundTrip: stringify(parse(event.id)),
      bytes: Array.from(parse(event.id).slice(0, 4)),
    },
  }
}
`,
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-([0-9a-f])[0-9a-f]{3}-([0-9a-f])[0-9a-f]{3}-[0-9a-f]{12}$/

function check(t: Test, payload: unknown): void {
  const r = payload as {
    random: { v4: string[]; v7: string[] }
    v7Time: number[]
    fixed: Record<string, string>
    checks: Record<string, unknown>
  }
  for (const [kind, ids] of Object.entries(r.random)) {
    for (const id of ids) {
      const [, versionDigit, variant] = UUID.exec(id) ?? []
      t.equal(versionDigit, kind.slice(1), `${kind} ${id}: version digit`)
      t.match(variant ?? '', /^[89ab]$/, `${kind} ${id}: RFC variant`)
    }
    t.equal(new Set(ids).size, ids.length, `${kind}: ids differ`)
  }
  t.ok(r.v7Time.every((ms) => ms >= 0 && ms < 1000), 'v7 ids carry the current time in ms')
  t.same([...r.random.v7].sort(), r.random.v7, 'v7 ids sort in creation order')
  t.equal(r.fixed.v5dns, 'fdda765f-fc57-5604-a269-52a7df8164ec', "v5, DNS namespace (uuid's README)")
  t.equal(r.fixed.v5url, 'c106a26a-21bb-5538-8bf2-57095d1976c1', "v5, URL namespace (uuid's README)")
  t.equal(r.fixed.v3dns, '9125a8dc-52ee-365b-a5aa-81b0b3681cf6', "v3, DNS namespace (uuid's README)")
  t.equal(r.fixed.v7, '018e340c-cd30-7123-92af-36bbccddeeff', 'v7 from fixed msecs, seq and random bytes')
  t.equal(r.fixed.v4, 'fffefdfc-fbfa-49f8-b7f6-f5f4f3f2f1f0', 'v4 from fixed random bytes')
  t.same(r.checks.valid, [true, false, true, true], 'validate')
  t.same(r.checks.versions, [4, 7, 5], 'version')
  t.equal(r.checks.roundTrip, '6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'parse + stringify')
  t.same(r.checks.bytes, [0x6b, 0xa7, 0xb8, 0x10], 'parse gives the bytes')
}

for (const packaging of ['bundled', 'unbundled'] as Packaging[]) {
  t.test(`uuid 11 (${packaging})`, (t) =>
    runCase(t, {
      packaging,
      files,
      packages: ['uuid'],
      events: [
        {
          label: 'v1, v3, v4, v5, v7 and helpers',
          event: { name: 'thaw', id: '6BA7B810-9DAD-11D1-80B4-00C04FD430C8' },
          // Random ids differ from Node's.
          comparable: ({ fixed, checks }) => ({ fixed, checks }),
          check,
        },
      ],
    }),
  )
}
