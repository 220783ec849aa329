/**
 * Benchmarks. Figures are printed, never asserted: `npm run bench -- <name> [--json]`.
 *
 *   startup   cold start, snapshot start and warm invoke, side by side with peers
 *   fuel      metering overhead on CPU-bound guests; deadline-to-timeout latency
 */
import { parseArgs } from 'node:util'

const benchmarks: Record<string, () => Promise<{ run: (options: BenchOptions) => Promise<unknown> }>> = {
  startup: () => import('./startup.js'),
  fuel: () => import('./fuel.js'),
}

export interface BenchOptions {
  readonly json: boolean
  readonly runs: number | undefined
  /** startup: idle time between two snapshot starts, when the host prepares the next restore. */
  readonly idleMs: number
}

const { values, positionals } = parseArgs({
  options: { json: { type: 'boolean', default: false }, runs: { type: 'string' }, 'idle-ms': { type: 'string', default: '1' } },
  allowPositionals: true,
})
const name = positionals[0]
const load = name === undefined ? undefined : benchmarks[name]
if (load === undefined) {
  console.error(`usage: npm run bench -- <${Object.keys(benchmarks).join('|')}> [--json] [--runs N] [--idle-ms N]`)
  process.exit(2)
}
const runs = values.runs === undefined ? undefined : Number(values.runs)
const result = await (await load()).run({ json: values.json === true, runs, idleMs: Number(values['idle-ms']) })
if (values.json === true) console.log(JSON.stringify(result, null, 2))
