/**
 * SnapStart inside the guest: the hooks a function registers (`thaw:snapstart`), and what must
 * change after every restore so that environments restored from one snapshot do not share
 * state they should not (Lambda's "uniqueness" lesson): `Math.random` is replaced by a
 * generator the host reseeds on each restore, because QuickJS's own state would be copied.
 */

type Hook = () => unknown

const beforeSnapshot: Hook[] = []
const afterRestore: Hook[] = []

function checkHook(hook: unknown): Hook {
  if (typeof hook !== 'function') throw new TypeError('A SnapStart hook must be a function')
  return hook as Hook
}

/** The `thaw:snapstart` module (and `globalThis.thaw.snapstart`). */
export const snapstartModule = Object.freeze({
  registerBeforeSnapshot(hook: unknown): void {
    beforeSnapshot.push(checkHook(hook))
  },
  registerAfterRestore(hook: unknown): void {
    afterRestore.push(checkHook(hook))
  },
})

/** Before-snapshot hooks run in reverse registration order (Lambda's Python and .NET semantics). */
export async function runBeforeSnapshotHooks(): Promise<void> {
  for (const hook of [...beforeSnapshot].reverse()) await hook()
}

/** After-restore hooks run in registration order. */
export async function runAfterRestoreHooks(): Promise<void> {
  for (const hook of afterRestore) await hook()
}

// xoshiro128** — small, fast in an interpreter (32-bit integer ops only), and good enough for
// Math.random (which makes no cryptographic promise; crypto.* uses host entropy directly).
const state = new Uint32Array(4)

function next32(): number {
  const [s0 = 0, s1 = 0, s2 = 0, s3 = 0] = state
  const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9)
  const t = s1 << 9
  state[2] = s2 ^ s0
  state[3] = s3 ^ s1
  state[1] = s1 ^ (s2 ^ s0)
  state[0] = s0 ^ (s3 ^ s1)
  state[2] = (state[2] ?? 0) ^ t
  state[3] = rotl(state[3] ?? 0, 11)
  return result >>> 0
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

/** Seeds the generator from 16 bytes of host entropy (all-zero state is invalid: avoided). */
export function seedRandom(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let index = 0; index < 4; index++) state[index] = view.getUint32(index * 4, true)
  if (state.every((word) => word === 0)) state[0] = 1
}

export function installRandom(global: { Math: Math }): void {
  // 53 random bits, as V8 does: two draws, 26 and 27 bits.
  global.Math.random = function random(): number {
    return ((next32() >>> 6) * 134_217_728 + (next32() >>> 5)) / 9_007_199_254_740_992
  }
}
