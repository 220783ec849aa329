/**
 * HTTP: warm Invoke API throughput and latency over loopback. A host with examples/hello behind
 * `startHttpServer` on 127.0.0.1; a closed-loop load generator (undici Pool, one connection per
 * simulated client, pipelining 1: each client sends its next request when the previous answer has
 * arrived) drives `POST /2015-03-31/functions/hello/invocations` for a bounded time at 1 and at 64
 * connections.
 *
 * The generator competes with the server for the machine's cores, so it is measured in two places:
 * on a worker thread (its own event loop; the server's thread only serves) and on the server's own
 * thread (its work serialised with the server's). Both run with the host's default shards and with
 * `shards: 0` (environments on the host's thread).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { Pool } from 'undici'
import type { BenchOptions } from './run.js'
import { formatMs, printTable, summarise, type Summary } from './stats.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const FUNCTION_NAME = 'hello'
const INVOKE_PATH = `/2015-03-31/functions/${FUNCTION_NAME}/invocations`
const EVENT_BODY = JSON.stringify({ name: 'bench' })
const CONNECTION_COUNTS = [1, 64] as const
/** Unmeasured load at the start of every cell: JIT of the generator, connections opened. */
const CELL_WARMUP_MS = 1000
/** Unmeasured load once per host at the highest concurrency: environments created, server JIT. */
const HOST_WARMUP_MS = 3000
const TARGET = { connections: 64, requestsPerSecond: 15_000, p99Ms: 5 } as const
const WORKER_ROLE = 'thaw-http-load-generator'

type GeneratorPlacement = 'worker thread' | 'server thread'

interface LoadPlan {
  readonly origin: string
  readonly connections: number
  readonly warmupMs: number
  readonly durationMs: number
}

interface LoadResult {
  /** Latency of every successful request sent inside the measured window (ms). */
  readonly latenciesMs: Float64Array
  readonly errors: number
  readonly firstError: string | undefined
  /** From the end of the warm-up to the last answer of the measured window (ms). */
  readonly windowMs: number
  /** Event-loop utilisation of the generator's thread in the measured window (0-1). */
  readonly generatorLoopUtilisation: number
}

/** The closed loop: `connections` clients, each waiting for its answer before sending again. */
async function generateLoad(plan: LoadPlan): Promise<LoadResult> {
  const pool = new Pool(plan.origin, { connections: plan.connections, pipelining: 1 })
  const latencies: number[] = []
  let errors = 0
  let firstError: string | undefined
  const startedAt = performance.now()
  const measureFrom = startedAt + plan.warmupMs
  const stopAt = measureFrom + plan.durationMs
  let lastAnswerAt = measureFrom
  let loopAtMeasureStart = performance.eventLoopUtilization()
  const measureStartTimer = setTimeout(() => (loopAtMeasureStart = performance.eventLoopUtilization()), plan.warmupMs)

  const client = async (): Promise<void> => {
    for (;;) {
      const sentAt = performance.now()
      if (sentAt >= stopAt) return
      let failure: string | undefined
      try {
        const response = await pool.request({ path: INVOKE_PATH, method: 'POST', headers: { 'content-type': 'application/json' }, body: EVENT_BODY })
        const text = await response.body.text()
        if (response.statusCode !== 200 || response.headers['x-amz-function-error'] !== undefined) failure = `HTTP ${response.statusCode}: ${text.slice(0, 300)}`
      } catch (error) {
        failure = (error as Error).message
      }
      const answeredAt = performance.now()
      if (sentAt < measureFrom) continue
      lastAnswerAt = answeredAt
      if (failure === undefined) latencies.push(answeredAt - sentAt)
      else {
        errors++
        firstError ??= failure
      }
    }
  }

  await Promise.all(Array.from({ length: plan.connections }, client))
  clearTimeout(measureStartTimer)
  const generatorLoopUtilisation = performance.eventLoopUtilization(loopAtMeasureStart).utilization
  await pool.close()
  return { latenciesMs: Float64Array.from(latencies), errors, firstError, windowMs: lastAnswerAt - measureFrom, generatorLoopUtilisation }
}

// This module is also the generator's worker entry (see loadInWorker).
if (!isMainThread && (workerData as { role?: string } | null)?.role === WORKER_ROLE) {
  const result = await generateLoad((workerData as { plan: LoadPlan }).plan)
  parentPort?.postMessage(result, [result.latenciesMs.buffer as ArrayBuffer])
}

function loadInWorker(plan: LoadPlan): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // Under `npm run bench` this module is TypeScript, and tsx's loader hooks on this thread do
    // not reach a worker in Node 20: the worker loads it through tsx's API instead.
    const self = JSON.stringify(import.meta.url)
    const entry = import.meta.url.endsWith('.ts') ? `import('tsx/esm/api').then(({ tsImport }) => tsImport(${self}, ${self}))` : `import(${self})`
    const worker = new Worker(entry, { eval: true, workerData: { role: WORKER_ROLE, plan } })
    let result: LoadResult | undefined
    worker.once('message', (message: LoadResult) => (result = message))
    worker.once('error', reject)
    worker.once('exit', (code) => (result === undefined ? reject(new Error(`the load generator's worker exited with ${code} and no result`)) : resolve(result)))
  })
}

interface CellFigures {
  readonly shards: string
  readonly generator: GeneratorPlacement
  readonly connections: number
  readonly requestsPerSecond: number
  readonly latency: Summary
  readonly errors: number
  readonly firstError: string | undefined
  /** Whole-process CPU time over wall time in the cell (2.0 = both cores busy). */
  readonly processCpuCores: number
  /** Event-loop utilisation of the server's (main) thread, generator included when it runs there. */
  readonly serverLoopUtilisation: number
  readonly generatorLoopUtilisation: number
}

async function measureCell(origin: string, shards: string, generator: GeneratorPlacement, connections: number, durationMs: number): Promise<CellFigures> {
  const plan: LoadPlan = { origin, connections, warmupMs: CELL_WARMUP_MS, durationMs }
  // Process CPU and the server thread's loop over the measured window only (timers approximate it).
  let cpuAtStart = process.cpuUsage()
  let loopAtStart = performance.eventLoopUtilization()
  let wallAtStart = performance.now()
  const timer = setTimeout(() => {
    cpuAtStart = process.cpuUsage()
    loopAtStart = performance.eventLoopUtilization()
    wallAtStart = performance.now()
  }, CELL_WARMUP_MS)
  const result = generator === 'worker thread' ? await loadInWorker(plan) : await generateLoad(plan)
  clearTimeout(timer)
  const cpu = process.cpuUsage(cpuAtStart)
  const wallMs = performance.now() - wallAtStart
  return {
    shards,
    generator,
    connections,
    requestsPerSecond: result.latenciesMs.length / (result.windowMs / 1000),
    latency: summarise(Array.from(result.latenciesMs)),
    errors: result.errors,
    firstError: result.firstError,
    processCpuCores: (cpu.user + cpu.system) / 1000 / wallMs,
    serverLoopUtilisation: performance.eventLoopUtilization(loopAtStart).utilization,
    generatorLoopUtilisation: result.generatorLoopUtilisation,
  }
}

async function measureHost(shards: number | undefined, durationMs: number): Promise<CellFigures[]> {
  const { createHost, startHttpServer } = await import('../dist/src/index.js')
  const label = shards === undefined ? `default (${Math.min(8, os.availableParallelism())})` : String(shards)
  const host = await createHost(shards === undefined ? {} : { shards })
  try {
    await host.deploy({ name: FUNCTION_NAME, runtime: 'quickjs', handler: 'index.handler', code: { dir: path.join(root, 'examples/hello') } })
    const server = await startHttpServer({ host, port: 0, hostname: '127.0.0.1' })
    try {
      const warm = await generateLoad({ origin: server.url, connections: Math.max(...CONNECTION_COUNTS), warmupMs: 0, durationMs: HOST_WARMUP_MS })
      if (warm.errors > 0) throw new Error(`warm-up failed: ${warm.errors} errors, first: ${warm.firstError ?? ''}`)
      const cells: CellFigures[] = []
      for (const generator of ['worker thread', 'server thread'] as const) {
        for (const connections of CONNECTION_COUNTS) cells.push(await measureCell(server.url, label, generator, connections, durationMs))
      }
      return cells
    } finally {
      await server.destroy()
    }
  } finally {
    await host.close()
  }
}

export async function run(options: BenchOptions) {
  const durationS = options.durationS ?? 10
  const cells = [...(await measureHost(undefined, durationS * 1000)), ...(await measureHost(0, durationS * 1000))]
  const report = {
    benchmark: 'http',
    node: process.version,
    cpus: os.cpus().length,
    date: new Date().toISOString(),
    durationSPerCell: durationS,
    request: `POST ${INVOKE_PATH} ${EVENT_BODY}`,
    target: TARGET,
    cells,
  }
  await mkdir(path.join(root, 'bench/results'), { recursive: true })
  await writeFile(path.join(root, 'bench/results/http.json'), `${JSON.stringify(report, null, 2)}\n`)
  if (!options.json) print(report.cells, durationS)
  return report
}

function print(cells: readonly CellFigures[], durationS: number): void {
  console.log(`hello over loopback: POST ${INVOKE_PATH}, closed loop (undici Pool, pipelining 1), ${durationS} s per cell after ${CELL_WARMUP_MS / 1000} s of warm-up`)
  const rows = [['shards', 'generator', 'connections', 'req/s', 'p50', 'p99', 'errors', 'CPU (cores)', 'server loop', 'generator loop']]
  for (const cell of cells) {
    rows.push([
      cell.shards,
      cell.generator,
      String(cell.connections),
      cell.requestsPerSecond.toFixed(0),
      formatMs(cell.latency.p50),
      formatMs(cell.latency.p99),
      String(cell.errors),
      cell.processCpuCores.toFixed(2),
      `${(cell.serverLoopUtilisation * 100).toFixed(0)} %`,
      `${(cell.generatorLoopUtilisation * 100).toFixed(0)} %`,
    ])
  }
  printTable(rows)
  for (const cell of cells) if (cell.firstError !== undefined) console.log(`${cell.shards} / ${cell.generator} / ${cell.connections}: first error: ${cell.firstError}`)
  console.log('')
  for (const cell of cells.filter((c) => c.connections === TARGET.connections)) {
    const met = cell.requestsPerSecond >= TARGET.requestsPerSecond && cell.latency.p99 <= TARGET.p99Ms && cell.errors === 0
    console.log(
      `target ≥ ${TARGET.requestsPerSecond} req/s, p99 ≤ ${TARGET.p99Ms} ms at ${TARGET.connections} connections, shards ${cell.shards}, generator on the ${cell.generator}: ` +
        `${met ? 'met' : 'MISSED'} (${cell.requestsPerSecond.toFixed(0)} req/s, p99 ${formatMs(cell.latency.p99)})`,
    )
  }
  console.log(
    `(the generator shares the machine's ${os.cpus().length} cores with the server and the shards: every request it sends costs CPU the ` +
      'server cannot use, so these figures are a lower bound for a remote client. On a worker thread it has its own event loop; on the ' +
      "server thread its work is serialised with the server's and its latency includes the other's turns of the loop.)",
  )
}
