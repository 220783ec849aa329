// Chunk "node-events": node:events (see node/events.ts).
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import EventEmitter, { useInspect } from '../node/events.js'
import { BECOME_EMITTER } from '../process.js'

export function create(host: HostBindings): unknown {
  let inspect: ((value: unknown) => string) | undefined
  useInspect((value) => (inspect ??= (host.loadChunk('inspect') as { inspect: (value: unknown) => string }).inspect)(value))
  // `process` is an EventEmitter from now on (see process.ts).
  const processPrototype = Object.getPrototypeOf((globalThis as { process?: object }).process ?? {}) as Record<symbol, unknown>
  ;(processPrototype[BECOME_EMITTER] as ((emitter: unknown) => void) | undefined)?.(EventEmitter)
  return EventEmitter
}
