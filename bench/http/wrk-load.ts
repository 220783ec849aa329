/**
 * The native load generator: wrk (Debian's package; `npm run bench:setup` installs it), one
 * thread, one connection per simulated client, in a process of its own. Written in C, it spends a
 * fraction of the CPU per request that a Node client does, so on a small machine it leaves the
 * server most of the cores, as a remote client would.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { LoadPlan, LoadResult } from './load-plan.js'

export function wrkInstalled(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined
}

export async function wrkLoad(plan: LoadPlan): Promise<LoadResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'thaw-wrk-'))
  try {
    // wrk's Lua hooks set the method and body; `response` counts function errors (200 with
    // X-Amz-Function-Error), which wrk's own tally of non-2xx answers would not see.
    const script = path.join(dir, 'invoke.lua')
    await writeFile(
      script,
      [
        'wrk.method = "POST"',
        `wrk.body = ${JSON.stringify(plan.body)}`,
        'wrk.headers["Content-Type"] = "application/json"',
        'local failed = 0',
        'function response(status, headers, body)',
        '  if status ~= 200 or headers["X-Amz-Function-Error"] ~= nil or headers["x-amz-function-error"] ~= nil then failed = failed + 1 end',
        'end',
        'function done(summary, latency, requests)',
        '  io.write(string.format("thaw-function-errors %d\\n", failed))',
        'end',
      ].join('\n'),
    )
    const url = `${plan.origin}${plan.path}`
    const seconds = (ms: number) => `${Math.max(1, Math.round(ms / 1000))}s`
    await run(['-t1', `-c${plan.connections}`, `-d${seconds(plan.warmupMs)}`, '-s', script, url])
    return parse(await run(['-t1', `-c${plan.connections}`, `-d${seconds(plan.durationMs)}`, '--latency', '-s', script, url]))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function run(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`wrk exited with ${code}: ${output}`))))
  })
}

/** wrk's report: `Requests/sec:`, the `--latency` distribution, error lines, our Lua tally. */
function parse(output: string): LoadResult {
  const number = (pattern: RegExp) => Number(pattern.exec(output)?.[1] ?? Number.NaN)
  const percentile = (p: number) => {
    const match = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(output)
    if (match === null) return Number.NaN
    const value = Number(match[1])
    return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value
  }
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  const transport = socketErrors === null ? 0 : socketErrors.slice(1).reduce((sum, count) => sum + Number(count), 0)
  const functionErrors = number(/^thaw-function-errors (\d+)$/m)
  const errors = transport + (Number.isNaN(functionErrors) ? 0 : functionErrors)
  return {
    requestsPerSecond: number(/^Requests\/sec:\s+([\d.]+)/m),
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    errors,
    firstError: errors > 0 ? `wrk: ${transport} socket errors, ${functionErrors} failed answers` : undefined,
    generatorLoopUtilisation: undefined,
  }
}
