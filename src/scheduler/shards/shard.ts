import { Worker } from 'node:worker_threads'
import { ThawError } from '../../errors.js'
import type { ShardEnvelope, ShardReply, ShardReplyValue, ShardRequest } from './protocol.js'

/**
 * How long past its deadline a request may stay unanswered before the watchdog kills the shard.
 * Generous on purpose: the shard's own deadline normally answers within milliseconds, but a
 * loaded machine (or a guest that just filled its heap and is being collected) can delay that,
 * and killing a shard that was about to answer loses every tenant on it.
 */
export const WATCHDOG_GRACE_MS = 1000
/** How often the watchdog looks at the requests in flight (only while there are any). */
const WATCHDOG_SWEEP_MS = 20

interface Pending {
  readonly resolve: (value: ShardReplyValue) => void
  readonly reject: (error: Error) => void
  /** Epoch ms past which (plus the grace) an unanswered request means a stuck guest. */
  readonly deadlineMs: number
}

/** What a request fails with when the watchdog found its own guest stuck. */
export class StuckGuestError extends ThawError {
  constructor(shardId: number) {
    super('THAW_SHARD_KILLED', `Shard ${shardId} was terminated: a guest ran ${WATCHDOG_GRACE_MS} ms past its deadline without yielding`)
  }
}

/**
 * The host's side of one shard: a worker thread running environments. Requests are answered in
 * any order (matched by sequence number). The watchdog sweeps the requests in flight: one still
 * unanswered `WATCHDOG_GRACE_MS` past its deadline means its guest is stuck where no interrupt
 * reaches (a long native operation), and the whole thread is terminated. Everything the shard
 * held is lost: that request fails with StuckGuestError, the others with THAW_SHARD_KILLED.
 */
export class Shard {
  readonly id: number
  readonly #worker: Worker
  readonly #pending = new Map<number, Pending>()
  #seq = 0
  #dead: Error | undefined
  #sweeper: NodeJS.Timeout | undefined
  /** Specs and snapshots this shard already holds, by the host's ids (one sequence for both). */
  readonly known = new Set<number>()
  /** Environments living here: the backend places new ones on the least loaded shard. */
  environments = 0

  constructor(id: number, entry: URL) {
    this.id = id
    this.#worker = new Worker(entry, { execArgv: workerExecArgv(process.execArgv) })
    this.#worker.unref()
    this.#worker.on('message', (reply: ShardReply) => {
      const pending = this.#pending.get(reply.seq)
      if (pending === undefined) return
      this.#pending.delete(reply.seq)
      if (this.#pending.size === 0) this.#idle()
      if (reply.ok) pending.resolve(reply.value)
      else pending.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.error.code }))
    })
    this.#worker.on('error', (error) => this.#die(error))
    this.#worker.on('exit', (code) => this.#die(new Error(`Shard ${id} exited with code ${code}`)))
  }

  get alive(): boolean {
    return this.#dead === undefined
  }

  /** Sends a request; `deadlineMs` puts it under the watchdog. */
  request(request: ShardRequest, deadlineMs = Number.POSITIVE_INFINITY): Promise<ShardReplyValue> {
    if (this.#dead !== undefined) return Promise.reject(this.#dead)
    const seq = ++this.#seq
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#busy()
      this.#pending.set(seq, { resolve, reject, deadlineMs })
      const envelope: ShardEnvelope = { seq, request }
      this.#worker.postMessage(envelope)
    })
  }

  /** Terminates the thread now, failing everything pending on it. */
  kill(reason: string): void {
    this.#die(new ThawError('THAW_SHARD_KILLED', `Shard ${this.id} was terminated: ${reason}`))
    void this.#worker.terminate()
  }

  /** While requests are in flight the worker keeps the host alive, as inline environments do. */
  #busy(): void {
    this.#worker.ref()
    this.#sweeper = setInterval(() => this.#sweep(), WATCHDOG_SWEEP_MS)
  }

  #idle(): void {
    this.#worker.unref()
    clearInterval(this.#sweeper)
    this.#sweeper = undefined
  }

  #sweep(): void {
    const now = Date.now()
    for (const pending of this.#pending.values()) {
      if (now > pending.deadlineMs + WATCHDOG_GRACE_MS) {
        pending.reject(new StuckGuestError(this.id))
        this.kill('a guest was stuck past its deadline')
        return
      }
    }
  }

  #die(error: Error): void {
    if (this.#dead !== undefined) return
    this.#dead = error instanceof ThawError ? error : new ThawError('THAW_SHARD_KILLED', error.message, { cause: error })
    for (const pending of this.#pending.values()) pending.reject(this.#dead)
    this.#pending.clear()
    this.#idle()
  }
}

/** Node flags a worker accepts and a shard needs: how modules load (TypeScript loaders in tests, conditions). */
const LOADING_FLAGS = ['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C']

/**
 * The host's Node flags that concern module loading, and only those: a worker inherits execArgv
 * but rejects process-wide flags (`--expose-gc`, `--no-node-snapshot`, `--input-type`, an
 * `--eval` script), so a host started with any of them could not start its shards.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const kept: string[] = []
  for (let index = 0; index < execArgv.length; index++) {
    const arg = execArgv[index] as string
    const flag = LOADING_FLAGS.find((name) => arg === name || arg.startsWith(`${name}=`))
    if (flag === undefined) {
      if (arg === '--enable-source-maps') kept.push(arg)
      continue
    }
    kept.push(arg)
    if (arg === flag && index + 1 < execArgv.length) kept.push(execArgv[++index] as string)
  }
  return kept
}
