import type { HostBindings } from '../../runtime-api/in-process-protocol.js'
import { defineLazyGlobal } from './globals/lazy.js'

/**
 * Globals backed by the host: `crypto` (host entropy, reseedable per environment; `subtle` digests
 * and HMACs by the host, see node-crypto/subtle.ts) and `performance` (`process` has its own
 * module, process.ts).
 */

export function installCrypto(global: Record<string, unknown>, host: HostBindings): void {
  const getRandomValues = <T extends ArrayBufferView>(array: T): T => {
    if (!ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array || array instanceof DataView) {
      throw Object.assign(new TypeError('The data argument must be an integer-type TypedArray'), { name: 'TypeMismatchError' })
    }
    if (array.byteLength > 65_536) {
      const error = new Error(`The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`)
      error.name = 'QuotaExceededError'
      throw error
    }
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(new Uint8Array(host.randomBytes(array.byteLength)))
    return array
  }
  const randomUUID = (): string => {
    const bytes = new Uint8Array(host.randomBytes(16))
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40 // version 4
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80 // RFC 4122 variant
    let hex = ''
    for (const byte of bytes) hex += byte.toString(16).padStart(2, '0')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }
  // WebCrypto's subtle (and its classes) live in a chunk, loaded on first use: a handler that never
  // hashes pays nothing.
  let chunk: SubtleChunk | undefined
  let subtle: unknown
  const loaded = () => (chunk ??= host.loadChunk('crypto-subtle') as SubtleChunk)
  const crypto = { getRandomValues, randomUUID }
  Object.defineProperty(crypto, 'subtle', { get: () => (subtle ??= loaded().create(host)), enumerable: false, configurable: true })
  global.crypto = crypto
  defineLazyGlobal(global, 'CryptoKey', () => loaded().CryptoKey)
  defineLazyGlobal(global, 'SubtleCrypto', () => loaded().SubtleCrypto)
}

interface SubtleChunk {
  create(host: HostBindings): unknown
  CryptoKey: unknown
  SubtleCrypto: unknown
}

/**
 * `performance.now()` counts from the environment's time origin. A restored environment is a new
 * one, so its origin moves to the restore (resetPerformanceOrigin).
 */
export function installPerformance(global: Record<string, unknown>, host: HostBindings): void {
  let originMonotonic = host.monotonicNow()
  const performance = {
    timeOrigin: Date.now(),
    now: () => host.monotonicNow() - originMonotonic,
    toJSON: () => ({ timeOrigin: performance.timeOrigin }),
    [RESET_ORIGIN]: () => {
      originMonotonic = host.monotonicNow()
      performance.timeOrigin = Date.now()
    },
  }
  global.performance = performance
}

const RESET_ORIGIN = Symbol('resetOrigin')

export function resetPerformanceOrigin(global: Record<string, unknown>): void {
  ;(global.performance as { [RESET_ORIGIN]?: () => void })[RESET_ORIGIN]?.()
}
