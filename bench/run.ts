/**
 * Benchmarks. Figures are printed, never asserted: `npm run bench -- <name> [--json]`.
 *
 *   startup   cold start, snapshot start and warm invoke, side by side with peers
 *   fuel      metering overhead on CPU-bound guests; deadline-to-timeout latency
 *   http      warm Invoke API throughput and latency over loopback at 1 and 64 connections
 */
import { parseArgs } from 'node:util'

const benchmarks: Record<string, () => Promise<{ run: (options: BenchOptions) => Promise<unknown> }>> = {
  startup: () => import('./startup.js'),
  fuel: () => import('./fuel.js'),
  http: () => import('./http.js'),
}

export interface BenchOptions {
  readonly json: boolean
  readonly runs: number | undefined
  /** startup: idle time between two snapshot starts, when the host prepares the next restore. */
  readonly idleMs: number
  /** http: measured seconds per cell (generator placement × shards × connections). */
  readonly durationS: number | undefined
}

const { values, positionals } = parseArgs({
  options: { json: { type: 'boolean', default: false }, runs: { type: 'string' }, 'idle-ms': { type: 'string', default: '1' }, 'duration-s': { type: 'string' } },
  allowPositionals: true,
})
const name = positionals[0]
const load = name === undefined ? undefined : benchmarks[name]
if (load === undefined) {
  console.error(`usage: npm run bench -- <${Object.keys(benchmarks).join('|')}> [--json] [--runs N] [--idle-ms N] [--duration-s N]`)
  process.exit(2)
}
const runs = values.runs === undefined ? undefined : Number(values.runs)
const durationS = values['duration-s'] === undefined ? undefined : Number(values['duration-s'])
if (durationS !== undefined && !(durationS > 0)) {
  console.error('--duration-s must be a positive number of seconds')
  process.exit(2)
}
const result = await (await load()).run({ json: values.json === true, runs, idleMs: Number(values['idle-ms']), durationS })
if (values.json === true) console.log(JSON.stringify(result, null, 2))
