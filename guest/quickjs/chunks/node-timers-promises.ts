// Chunk "node-timers-promises": node:timers/promises (see node/timers-promises.ts).
import { scheduler, setImmediate, setInterval, setTimeout } from '../node/timers-promises.js'

export function create(): unknown {
  return { setTimeout, setImmediate, setInterval, scheduler }
}
