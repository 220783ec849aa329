/**
 * Chunks shared by several modules, loaded on first use: "deep-equal" (deep-equal.ts, for
 * util.isDeepStrictEqual and node:assert), "warnings" (warnings.ts), "inspect" (the console's
 * formatter). The runtime evaluates a chunk once per environment (shareChunks in
 * lazy-chunks.ts), so modules using one share its state, and `require('util')` does not pay for
 * parsing deep equality until it is used.
 */
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'

export interface DeepEqualChunk {
  isDeepEqual(a: unknown, b: unknown): boolean
  isDeepStrictEqual(a: unknown, b: unknown): boolean
}

/** A chunk's exports, loaded on first use (the runtime's loadChunk shares them per environment). */
export function lazyChunk<T>(host: HostBindings, name: string): () => T {
  let chunk: T | undefined
  return () => (chunk ??= host.loadChunk(name) as T)
}
