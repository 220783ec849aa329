/**
 * Fuel metering: what counting interrupt polls costs CPU-bound guests (against the same engine
 * with no interrupt handler), and how long after its deadline a runaway guest's caller gets
 * Sandbox.Timedout.
 */
import { performance } from 'node:perf_hooks'
import { newQuickJSWASMModuleFromVariant, type QuickJSSyncVariant } from 'quickjs-emscripten-core'
import releaseSyncImport from '@jitl/quickjs-wasmfile-release-sync'
import { createHost } from '../dist/src/index.js'
import type { BenchOptions } from './run.js'
import { formatMs, printTable, summarise, type Summary } from './stats.js'

const variant = releaseSyncImport as unknown as QuickJSSyncVariant

const workloads: Record<string, string> = {
  recursion: 'const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2)); fib(24)',
  json: 'const o = { a: [1, 2, 3], b: "x".repeat(200), c: { d: true } }; for (let i = 0; i < 20000; i++) JSON.parse(JSON.stringify(o))',
  regex: 'const r = /([a-z]+)@([a-z]+)\\.com/; for (let i = 0; i < 50000; i++) r.exec("contact: someone@example.com, other")',
}

/** Runs `code` `runs` times in one context, with or without a fuel-counting interrupt handler. */
async function cpuTime(code: string, metered: boolean, runs: number): Promise<{ summary: Summary; fuel: number }> {
  const module = await newQuickJSWASMModuleFromVariant(variant)
  const runtime = module.newRuntime()
  const context = runtime.newContext()
  let fuel = 0
  // The same shape as the environment's handler: count, compare with a budget and a deadline.
  const budget = Number.MAX_SAFE_INTEGER
  const deadline = Date.now() + 3_600_000
  if (metered) runtime.setInterruptHandler(() => ++fuel > budget || Date.now() > deadline)
  const samples: number[] = []
  for (let i = 0; i < runs + 3; i++) {
    const started = performance.now()
    context.unwrapResult(context.evalCode(`(() => { ${code} })()`, 'work.js', { type: 'global' })).dispose()
    if (i >= 3) samples.push(performance.now() - started)
  }
  return { summary: summarise(samples), fuel: fuel / (runs + 3) }
}

const NATIVE_SORT = 'export const handler = async () => { const a = []; for (let i = 0; i < 3e6; i++) a.push((i * 7919) % 1000003); a.sort(); a.sort(); return a.length }'

export async function run(options: BenchOptions) {
  const runs = options.runs ?? 30
  const overhead: Record<string, { metered: Summary; unmetered: Summary; overheadPercent: number; fuelPerRun: number }> = {}
  for (const [name, code] of Object.entries(workloads)) {
    // Interleave the two, several rounds, so machine noise hits both alike.
    const metered: number[] = []
    const unmetered: number[] = []
    let fuelPerRun = 0
    for (let round = 0; round < 5; round++) {
      const on = await cpuTime(code, true, runs)
      const off = await cpuTime(code, false, runs)
      metered.push(on.summary.p50)
      unmetered.push(off.summary.p50)
      fuelPerRun = on.fuel
    }
    const on = summarise(metered)
    const off = summarise(unmetered)
    overhead[name] = { metered: on, unmetered: off, overheadPercent: ((on.p50 - off.p50) / off.p50) * 100, fuelPerRun }
  }

  const host = await createHost({ shards: 0 })
  const latency: Record<string, Summary> = {}
  try {
    await host.deploy({ name: 'spin', runtime: 'quickjs', handler: 'index.handler', timeoutMs: 1000, code: { files: { 'index.mjs': 'export const handler = async () => { for (;;) {} }' } } })
    const samples: number[] = []
    for (let i = 0; i < Math.max(5, Math.min(runs, 20)); i++) {
      const started = performance.now()
      const result = await host.invoke('spin')
      samples.push(performance.now() - started - 1000)
      if (result.ok || result.error.errorType !== 'Sandbox.Timedout') throw new Error('expected a timeout')
    }
    latency['JS busy loop'] = summarise(samples)
  } finally {
    await host.close()
  }
  // A long native operation polls no interrupts. On the host's thread the caller waits until it
  // returns; on shards the watchdog terminates the shard past the deadline.
  for (const shards of [0, 1]) {
    const nativeHost = await createHost({ shards })
    try {
      await nativeHost.deploy({ name: 'native', runtime: 'quickjs', handler: 'index.handler', timeoutMs: 1000, memoryMb: 1024, code: { files: { 'index.mjs': NATIVE_SORT } } })
      const native: number[] = []
      for (let i = 0; i < 3; i++) {
        const started = performance.now()
        await nativeHost.invoke('native')
        native.push(performance.now() - started - 1000)
      }
      latency[`native sort of 3e6 numbers, ${shards === 0 ? 'host thread' : 'shard + watchdog'}`] = summarise(native)
    } finally {
      await nativeHost.close()
    }
  }

  const report = { benchmark: 'fuel', node: process.version, date: new Date().toISOString(), overhead, timeoutLatency: latency }
  if (!options.json) {
    const rows = [['workload', 'metered p50', 'unmetered p50', 'overhead', 'fuel / run']]
    for (const [name, figures] of Object.entries(overhead)) {
      rows.push([name, formatMs(figures.metered.p50), formatMs(figures.unmetered.p50), `${figures.overheadPercent.toFixed(2)} %`, figures.fuelPerRun.toFixed(0)])
    }
    printTable(rows)
    console.log('')
    printTable([['deadline → Sandbox.Timedout', 'p50', 'p99'], ...Object.entries(latency).map(([name, s]) => [name, formatMs(s.p50), formatMs(s.p99)])])
  }
  return report
}
