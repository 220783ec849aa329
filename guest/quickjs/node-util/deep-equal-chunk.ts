/**
 * The shared deep equality (deep-equal.ts) is a chunk of its own, "deep-equal", loaded on first
 * use: node:util (isDeepStrictEqual) and node:assert (deepEqual, deepStrictEqual, …) share one
 * copy per environment, and `require('util')` does not pay for parsing it.
 */
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'

export interface DeepEqualChunk {
  isDeepEqual(a: unknown, b: unknown): boolean
  isDeepStrictEqual(a: unknown, b: unknown): boolean
}

export function lazyChunk<T>(host: HostBindings, name: string): () => T {
  let chunk: T | undefined
  return () => (chunk ??= host.loadChunk(name) as T)
}
