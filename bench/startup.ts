/**
 * Cold start (new environment + INIT + first invoke) and warm invoke of the examples, through
 * the public embedding API, side by side in one run.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { createHost, type Host } from '../dist/src/index.js'
import type { BenchOptions } from './run.js'
import { formatMs, printTable, summarise, type Summary } from './stats.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

interface Workload {
  readonly name: string
  readonly handler: string
  readonly files: Record<string, string>
  readonly event: unknown
}

async function filesOf(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const absolute = path.join(entry.parentPath, entry.name)
      files[path.relative(dir, absolute)] = await readFile(absolute, 'utf8')
    }
  }
  return files
}

async function workloads(): Promise<Workload[]> {
  return [{ name: 'hello', handler: 'index.handler', files: await filesOf(path.join(root, 'examples/hello')), event: { name: 'bench' } }]
}

async function coldStarts(host: Host, workload: Workload, runs: number): Promise<Summary> {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const name = `${workload.name}-cold-${i}`
    await host.deploy({ name, runtime: 'quickjs', handler: workload.handler, code: { files: workload.files } })
    const started = performance.now()
    const result = await host.invoke(name, workload.event)
    samples.push(performance.now() - started)
    if (!result.ok) throw new Error(`${workload.name} failed: ${result.error.errorMessage}`)
    host.removeFunction(name)
  }
  return summarise(samples)
}

async function warmInvokes(host: Host, workload: Workload, runs: number): Promise<Summary> {
  const name = `${workload.name}-warm`
  await host.deploy({ name, runtime: 'quickjs', handler: workload.handler, code: { files: workload.files } })
  for (let i = 0; i < 200; i++) await host.invoke(name, workload.event) // let V8 and the pool settle
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await host.invoke(name, workload.event)
    samples.push(performance.now() - started)
  }
  return summarise(samples)
}

export async function run(options: BenchOptions) {
  const coldRuns = options.runs ?? 300
  const warmRuns = (options.runs ?? 300) * 20
  const host = await createHost()
  const results: Record<string, { cold: Summary; warm: Summary; coldOverWarm: number }> = {}
  try {
    for (const workload of await workloads()) {
      await coldStarts(host, workload, 20) // warm-up: JIT the host and the engine
      const cold = await coldStarts(host, workload, coldRuns)
      const warm = await warmInvokes(host, workload, warmRuns)
      results[workload.name] = { cold, warm, coldOverWarm: cold.p50 / warm.p50 }
    }
  } finally {
    await host.close()
  }
  const report = { benchmark: 'startup', node: process.version, date: new Date().toISOString(), results }
  await mkdir(path.join(root, 'bench/results'), { recursive: true })
  await writeFile(path.join(root, 'bench/results/startup.json'), `${JSON.stringify(report, null, 2)}\n`)
  if (!options.json) {
    const rows = [['workload', 'phase', 'runs', 'p50', 'p99', 'mean']]
    for (const [name, { cold, warm, coldOverWarm }] of Object.entries(results)) {
      rows.push([name, 'cold start', String(cold.runs), formatMs(cold.p50), formatMs(cold.p99), formatMs(cold.mean)])
      rows.push([name, 'warm invoke', String(warm.runs), formatMs(warm.p50), formatMs(warm.p99), formatMs(warm.mean)])
      rows.push([name, 'cold / warm (p50)', '', `${coldOverWarm.toFixed(0)}x`, '', ''])
    }
    printTable(rows)
  }
  return report
}
