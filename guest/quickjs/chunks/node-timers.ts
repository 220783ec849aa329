// Chunk "node-timers": node:timers is the guest's timer globals (guest/quickjs/timers.ts), as
// they were when the module was first loaded, plus `promises` (node:timers/promises).
import { BUILTIN_LOADER_KEY } from '../../../runtime-api/builtin-modules.js'

const NAMES = ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval'] as const

export function create(): unknown {
  const global = globalThis as unknown as Record<string | symbol, unknown>
  const timers: Record<string, unknown> = {}
  for (const name of NAMES) timers[name] = global[name]
  Object.defineProperty(timers, 'promises', {
    enumerable: true,
    configurable: true,
    get: () => (global[Symbol.for(BUILTIN_LOADER_KEY)] as (name: string) => unknown)('timers/promises'),
  })
  return timers
}
