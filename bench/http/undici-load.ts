/**
 * The Node load generator: a closed loop of undici clients (a Pool with one connection per
 * simulated client, pipelining 1: each sends its next request once its answer has arrived). It
 * runs on a worker thread (its own event loop) or on the calling thread (serialised with a server
 * living there).
 */
import { performance } from 'node:perf_hooks'
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'
import { Pool } from 'undici'
import { summarise } from '../stats.js'
import type { LoadPlan, LoadResult } from './load-plan.js'

const WORKER_ROLE = 'thaw-http-load-generator'

export async function undiciLoad(plan: LoadPlan): Promise<LoadResult> {
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
        const response = await pool.request({ path: plan.path, method: 'POST', headers: { 'content-type': 'application/json' }, body: plan.body })
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
  const latency = summarise(latencies)
  const windowMs = lastAnswerAt - measureFrom
  return { requestsPerSecond: latencies.length / (windowMs / 1000), p50Ms: latency.p50, p99Ms: latency.p99, errors, firstError, generatorLoopUtilisation }
}

// This module is also the generator's worker entry (see undiciLoadInWorker).
if (!isMainThread && (workerData as { role?: string } | null)?.role === WORKER_ROLE) {
  parentPort?.postMessage(await undiciLoad((workerData as { plan: LoadPlan }).plan))
}

export function undiciLoadInWorker(plan: LoadPlan): Promise<LoadResult> {
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
