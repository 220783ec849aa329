// Chunk "node-assert": node:assert (see node-util/assert.ts).
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { createAssert } from '../node-util/assert.js'
import { makeAssertionError } from '../node-util/assertion-error.js'
import { lazyChunk, type DeepEqualChunk } from '../node-util/shared-chunks.js'
import type { Warnings } from '../node-util/diagnostics.js'

type Inspect = (value: unknown, options?: Record<string, unknown>) => string

export function create(host: HostBindings): unknown {
  const { inspect } = host.loadChunk('inspect') as { inspect: Inspect }
  return createAssert(inspect, makeAssertionError(inspect), lazyChunk<DeepEqualChunk>(host, 'deep-equal'), lazyChunk<Warnings>(host, 'warnings'))
}
