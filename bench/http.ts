/**
 * HTTP: warm Invoke API throughput and latency over loopback. `hello` deployed in a host behind
 * `startHttpServer` on 127.0.0.1, driven with `POST /2015-03-31/functions/hello/invocations` for
 * a bounded time at 1 and at 64 connections, closed loop (each connection sends its next request
 * once its answer has arrived).
 *
 * Side by side in one run:
 * - servers: Thaw with the host's default shards, Thaw with `shards: 0` (environments on the
 *   server's thread), and a bare node:http server answering the same bytes without running
 *   anything (the ceiling HTTP alone allows on this machine);
 * - generators: undici on a worker thread, undici on the server's own thread, and wrk (native,
 *   its own process; when installed: `npm run bench:setup`). Every generator shares the cores
 *   with the server, and a Node one spends as much CPU per request as the server does.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { startCeilingServer } from './http/ceiling-server.js'
import type { LoadPlan, LoadResult } from './http/load-plan.js'
import { undiciLoad, undiciLoadInWorker } from './http/undici-load.js'
import { wrkInstalled, wrkLoad } from './http/wrk-load.js'
import type { BenchOptions } from './run.js'
import { formatMs, printTable } from './stats.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const FUNCTION_NAME = 'hello'
const INVOKE_PATH = `/2015-03-31/functions/${FUNCTION_NAME}/invocations`
const EVENT_BODY = JSON.stringify({ name: 'bench' })
const CONNECTION_COUNTS = [1, 64] as const
const CELL_WARMUP_MS = 1000
/** Unmeasured load once per server at the highest concurrency: environments created, server JIT. */
const SERVER_WARMUP_MS = 3000
const TARGET = { connections: 64, requestsPerSecond: 15_000, p99Ms: 5 } as const

type Generator = 'undici, worker thread' | 'undici, server thread' | 'wrk'

const GENERATORS: Record<Generator, (plan: LoadPlan) => Promise<LoadResult>> = {
  'undici, worker thread': undiciLoadInWorker,
  'undici, server thread': undiciLoad,
  wrk: wrkLoad,
}

interface CellFigures extends LoadResult {
  readonly server: string
  readonly generator: Generator
  readonly connections: number
  /** This process's CPU time over wall time in the cell (2.0 = both cores): wrk's own is not in it. */
  readonly processCpuCores: number
  /** Event-loop utilisation of the server's thread (a generator there included). */
  readonly serverLoopUtilisation: number
}

interface ServerUnderTest {
  readonly label: string
  readonly url: string
  stop(): Promise<void>
}

async function measureCell(server: ServerUnderTest, generator: Generator, connections: number, durationMs: number): Promise<CellFigures> {
  const plan: LoadPlan = { origin: server.url, path: INVOKE_PATH, body: EVENT_BODY, connections, warmupMs: CELL_WARMUP_MS, durationMs }
  // This process's CPU and the server thread's loop over the measured window only (a timer approximates its start).
  let cpuAtStart = process.cpuUsage()
  let loopAtStart = performance.eventLoopUtilization()
  let wallAtStart = performance.now()
  const timer = setTimeout(() => {
    cpuAtStart = process.cpuUsage()
    loopAtStart = performance.eventLoopUtilization()
    wallAtStart = performance.now()
  }, CELL_WARMUP_MS)
  const result = await GENERATORS[generator](plan)
  clearTimeout(timer)
  const cpu = process.cpuUsage(cpuAtStart)
  const wallMs = performance.now() - wallAtStart
  return {
    ...result,
    server: server.label,
    generator,
    connections,
    processCpuCores: (cpu.user + cpu.system) / 1000 / wallMs,
    serverLoopUtilisation: performance.eventLoopUtilization(loopAtStart).utilization,
  }
}

async function startThaw(shards: number | undefined): Promise<ServerUnderTest> {
  const { createHost, startHttpServer } = await import('../dist/src/index.js')
  const label = shards === undefined ? `thaw, shards default (${Math.min(8, os.availableParallelism())})` : `thaw, shards ${shards}`
  const host = await createHost(shards === undefined ? {} : { shards })
  await host.deploy({ name: FUNCTION_NAME, runtime: 'quickjs', handler: 'index.handler', code: { dir: path.join(root, 'examples/hello') } })
  const server = await startHttpServer({ host, port: 0, hostname: '127.0.0.1' })
  return {
    label,
    url: server.url,
    stop: async () => {
      await server.destroy()
      await host.close()
    },
  }
}

async function startCeiling(): Promise<ServerUnderTest> {
  const server = await startCeilingServer()
  return { label: 'node:http, no function (ceiling)', url: server.url, stop: () => server.close() }
}

async function measureServer(start: () => Promise<ServerUnderTest>, generators: readonly Generator[], durationMs: number): Promise<CellFigures[]> {
  const server = await start()
  try {
    const plan = { origin: server.url, path: INVOKE_PATH, body: EVENT_BODY, connections: Math.max(...CONNECTION_COUNTS), warmupMs: 0, durationMs: SERVER_WARMUP_MS }
    const warm = await undiciLoad(plan)
    if (warm.errors > 0) throw new Error(`${server.label}: warm-up failed: ${warm.errors} errors, first: ${warm.firstError ?? ''}`)
    const cells: CellFigures[] = []
    for (const generator of generators) {
      for (const connections of CONNECTION_COUNTS) cells.push(await measureCell(server, generator, connections, durationMs))
    }
    return cells
  } finally {
    await server.stop()
  }
}

export async function run(options: BenchOptions) {
  const durationMs = (options.durationS ?? 10) * 1000
  const haveWrk = wrkInstalled()
  const generators: Generator[] = ['undici, worker thread', 'undici, server thread', ...(haveWrk ? (['wrk'] as const) : [])]
  const cells: CellFigures[] = []
  for (const start of [() => startThaw(undefined), () => startThaw(0), startCeiling]) cells.push(...(await measureServer(start, generators, durationMs)))
  const report = {
    benchmark: 'http',
    node: process.version,
    cpus: os.cpus().length,
    date: new Date().toISOString(),
    durationSPerCell: durationMs / 1000,
    request: `POST ${INVOKE_PATH} ${EVENT_BODY}`,
    target: TARGET,
    wrk: haveWrk ? 'used' : 'not installed (npm run bench:setup)',
    cells,
  }
  await mkdir(path.join(root, 'bench/results'), { recursive: true })
  await writeFile(path.join(root, 'bench/results/http.json'), `${JSON.stringify(report, null, 2)}\n`)
  if (!options.json) print(cells, durationMs / 1000, haveWrk)
  return report
}

function print(cells: readonly CellFigures[], durationS: number, haveWrk: boolean): void {
  console.log(`hello over loopback: POST ${INVOKE_PATH}, closed loop, ${durationS} s per cell after ${CELL_WARMUP_MS / 1000} s of warm-up`)
  const rows = [['server', 'generator', 'conns', 'req/s', 'p50', 'p99', 'errors', 'CPU (cores)', 'server loop']]
  for (const cell of cells) {
    rows.push([
      cell.server,
      cell.generator,
      String(cell.connections),
      cell.requestsPerSecond.toFixed(0),
      formatMs(cell.p50Ms),
      formatMs(cell.p99Ms),
      String(cell.errors),
      cell.processCpuCores.toFixed(2),
      `${(cell.serverLoopUtilisation * 100).toFixed(0)} %`,
    ])
  }
  printTable(rows)
  for (const cell of cells) if (cell.firstError !== undefined) console.log(`${cell.server} / ${cell.generator} / ${cell.connections}: first error: ${cell.firstError}`)
  console.log('')
  const ceiling = (generator: Generator) => cells.find((c) => c.server.startsWith('node:http') && c.generator === generator && c.connections === TARGET.connections)
  for (const cell of cells.filter((c) => c.connections === TARGET.connections && !c.server.startsWith('node:http'))) {
    const met = cell.requestsPerSecond >= TARGET.requestsPerSecond && cell.p99Ms <= TARGET.p99Ms && cell.errors === 0
    const bare = ceiling(cell.generator)
    const share = bare === undefined ? '' : `, ${((cell.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(0)} % of the bare server's ${bare.requestsPerSecond.toFixed(0)} req/s`
    console.log(
      `target ≥ ${TARGET.requestsPerSecond} req/s, p99 ≤ ${TARGET.p99Ms} ms at ${TARGET.connections} connections, ${cell.server}, ${cell.generator}: ` +
        `${met ? 'met' : 'MISSED'} (${cell.requestsPerSecond.toFixed(0)} req/s, p99 ${formatMs(cell.p99Ms)}${share})`,
    )
  }
  if (!haveWrk) console.log('wrk is not installed: `npm run bench:setup` installs it, for figures with a native generator.')
}
