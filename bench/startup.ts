/**
 * Startup, side by side in one run: for each workload, Thaw's cold start (new environment +
 * INIT + first invoke), snapshot start (restore + first invoke), warm invoke, snapshot sizes and
 * memory per environment; then the same workloads in the peers a Node user would pick instead.
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { createHost, type Host } from '../dist/src/index.js'
import { isolatedVmPeer, peers as basePeers, type Peer } from './peers/index.js'
import type { BenchOptions } from './run.js'
import { formatMs, printTable, summarise, type Summary } from './stats.js'
import { workloads, type Workload } from './workloads/index.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

interface ThawFigures {
  cold: Summary
  snapshot: Summary
  warm: Summary
  snapshotFileBytes: number
  residentBytesPerEnvironment: number
}

async function timed(runs: number, once: () => Promise<void>): Promise<Summary> {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    await once()
    samples.push(performance.now() - started)
  }
  return summarise(samples)
}

function check(result: Awaited<ReturnType<Host['invoke']>>, workload: Workload): void {
  if (!result.ok) throw new Error(`${workload.name} failed: ${result.error.errorType}: ${result.error.errorMessage}`)
}

// Deploy is not part of a cold start: time only the first invoke of each fresh function.
async function timedColdOnly(host: Host, workload: Workload, runs: number): Promise<Summary> {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const name = `${workload.name}-cold-only-${i}`
    await host.deploy({ name, runtime: 'quickjs', handler: workload.handler, code: { files: workload.files } })
    const started = performance.now()
    const result = await host.invoke(name, workload.event)
    samples.push(performance.now() - started)
    check(result, workload)
    host.removeFunction(name)
  }
  return summarise(samples)
}

async function snapshotStarts(host: Host, workload: Workload, runs: number, idleMs: number): Promise<Summary> {
  const name = `${workload.name}-snap`
  await host.deploy({ name, runtime: 'quickjs', handler: workload.handler, snapStart: { applyOn: 'PublishedVersions' }, code: { files: workload.files } })
  await host.publishVersion(name)
  const samples: number[] = []
  for (let i = 0; i < runs + 20; i++) {
    host.evictIdle(name)
    // Idle time between requests, in which the host prepares the next restore.
    await new Promise((resolve) => setTimeout(resolve, idleMs))
    const started = performance.now()
    const result = await host.invoke(`${name}:1`, workload.event)
    if (i >= 20) samples.push(performance.now() - started)
    check(result, workload)
  }
  return summarise(samples)
}

async function warmInvokes(host: Host, workload: Workload, runs: number): Promise<Summary> {
  const name = `${workload.name}-warm`
  await host.deploy({ name, runtime: 'quickjs', handler: workload.handler, code: { files: workload.files } })
  for (let i = 0; i < 500; i++) await host.invoke(name, workload.event)
  return timed(runs, async () => void (await host.invoke(name, workload.event)))
}

/** Resident memory added per idle restored environment, over `count` of them. */
async function residentPerEnvironment(host: Host, workload: Workload, count: number): Promise<number> {
  const name = `${workload.name}-snap`
  host.evictIdle(name)
  global.gc?.()
  const before = process.memoryUsage().rss
  // Concurrent invocations need as many environments; they stay idle in the pool afterwards.
  const results = await Promise.all(Array.from({ length: count }, () => host.invoke(`${name}:1`, workload.event)))
  for (const result of results) check(result, workload)
  global.gc?.()
  return (process.memoryUsage().rss - before) / count
}

async function snapshotFileBytes(dataDir: string): Promise<number> {
  const dir = path.join(dataDir, 'snapshots')
  const files = await readdir(dir)
  const sizes = await Promise.all(files.map(async (file) => (await stat(path.join(dir, file))).size))
  return Math.max(...sizes)
}

export async function run(options: BenchOptions) {
  const runs = options.runs ?? 200
  const ivm = await isolatedVmPeer()
  const peers: Peer[] = typeof ivm === 'string' ? basePeers : [ivm, ...basePeers]
  if (typeof ivm === 'string') console.error(ivm)
  const results: Record<string, { description: string; thaw: ThawFigures; peers: Record<string, { cold: Summary; warm: Summary }> }> = {}
  const failures: Record<string, string> = {}
  for (const workload of await workloads()) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'thaw-bench-'))
    // On the host thread, so that the figures are the engine's and the snapshots', not messaging's.
    const host = await createHost({ dataDir, shards: 0 })
    try {
      await timedColdOnly(host, workload, 10) // warm-up: JIT the host and the engine
      const cold = await timedColdOnly(host, workload, runs)
      const snapshot = await snapshotStarts(host, workload, runs, options.idleMs)
      const warm = await warmInvokes(host, workload, runs * 20)
      const residentBytesPerEnvironment = await residentPerEnvironment(host, workload, 50)
      results[workload.name] = {
        description: workload.description,
        thaw: { cold, snapshot, warm, snapshotFileBytes: await snapshotFileBytes(dataDir), residentBytesPerEnvironment },
        peers: {},
      }
    } catch (error) {
      // A workload the guest platform cannot run yet is reported, and the others still measured.
      failures[workload.name] = (error as Error).message
      console.error(`${workload.name}: ${(error as Error).message}`)
      continue
    } finally {
      await host.close()
      await rm(dataDir, { recursive: true, force: true })
    }
    const script = workload.script
    if (script === undefined) continue
    for (const peer of peers) {
      let tenant = 0
      const coldSamples: number[] = []
      let invoke: (() => Promise<unknown>) | undefined
      for (let i = 0; i < Math.min(runs, 100) + 5; i++) {
        const started = performance.now()
        invoke = await peer.start({ ...workload, script }, tenant++)
        await invoke()
        if (i >= 5) coldSamples.push(performance.now() - started)
      }
      const warm = await timed(runs * 20, async () => void (await invoke?.()))
      ;(results[workload.name] as { peers: Record<string, unknown> }).peers[peer.name] = { cold: summarise(coldSamples), warm }
    }
  }
  const report = { benchmark: 'startup', idleMsBetweenSnapshotStarts: options.idleMs, node: process.version, cpus: os.cpus().length, date: new Date().toISOString(), results, failures }
  await mkdir(path.join(root, 'bench/results'), { recursive: true })
  await writeFile(path.join(root, 'bench/results/startup.json'), `${JSON.stringify(report, null, 2)}\n`)
  if (!options.json) {
    print(report.results)
    for (const [name, message] of Object.entries(failures)) console.log(`${name}: not measured, it failed: ${message}`)
    console.log(`(snapshot starts ${options.idleMs} ms apart; the host prepares restores in that idle time)`)
  }
  return report
}

function print(results: Awaited<ReturnType<typeof run>>['results']): void {
  const rows = [['workload', 'runtime', 'start', 'p50', 'p99', 'vs thaw snapshot']]
  for (const [name, { thaw, peers: peerFigures }] of Object.entries(results)) {
    const base = thaw.snapshot.p50
    const row = (runtime: string, phase: string, s: Summary, compare = true) =>
      rows.push([name, runtime, phase, formatMs(s.p50), formatMs(s.p99), compare ? `${(s.p50 / base).toFixed(1)}x` : ''])
    row('thaw', 'snapshot start', thaw.snapshot)
    row('thaw', 'cold start', thaw.cold)
    row('thaw', 'warm invoke', thaw.warm, false)
    for (const [peer, { cold, warm }] of Object.entries(peerFigures)) {
      row(peer, 'cold start', cold)
      row(peer, 'warm invoke', warm, false)
    }
    rows.push([name, 'thaw', 'snapshot file', `${(thaw.snapshotFileBytes / 1024).toFixed(0)} KiB`, '', ''])
    rows.push([name, 'thaw', 'RSS / environment', `${(thaw.residentBytesPerEnvironment / 1024 / 1024).toFixed(2)} MiB`, '', ''])
  }
  printTable(rows)
}
