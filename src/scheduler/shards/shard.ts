import { Worker } from 'node:worker_threads'
import { ThawError } from '../../errors.js'
import type { ShardEnvelope, ShardReply, ShardReplyValue, ShardRequest } from './protocol.js'

/**
 * The host's side of one shard: a worker thread running environments. Requests are answered in
 * any order (matched by sequence number). `kill()` terminates the thread whatever it is doing:
 * the watchdog's last resort against a guest stuck in a long native operation, which no
 * interrupt handler reaches. Everything the shard held is lost; pending requests fail with
 * THAW_SHARD_KILLED.
 */
export class Shard {
  readonly id: number
  readonly #worker: Worker
  readonly #pending = new Map<number, { resolve: (value: ShardReplyValue) => void; reject: (error: Error) => void }>()
  #seq = 0
  #dead: Error | undefined
  /** Specs and snapshots this shard already holds, by the host's ids. */
  readonly knownSpecs = new Set<number>()
  readonly knownSnapshots = new Set<number>()
  /** Environments living here: the backend places new ones on the least loaded shard. */
  environments = 0

  constructor(id: number, entry: URL) {
    this.id = id
    this.#worker = new Worker(entry)
    this.#worker.unref()
    this.#worker.on('message', (reply: ShardReply) => {
      const pending = this.#pending.get(reply.seq)
      if (pending === undefined) return
      this.#pending.delete(reply.seq)
      if (reply.ok) pending.resolve(reply.value)
      else pending.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name, code: reply.error.code }))
    })
    this.#worker.on('error', (error) => this.#die(error))
    this.#worker.on('exit', (code) => this.#die(new Error(`Shard ${id} exited with code ${code}`)))
  }

  get alive(): boolean {
    return this.#dead === undefined
  }

  request(request: ShardRequest, transfer: readonly ArrayBuffer[] = []): Promise<ShardReplyValue> {
    if (this.#dead !== undefined) return Promise.reject(this.#dead)
    const seq = ++this.#seq
    return new Promise((resolve, reject) => {
      this.#pending.set(seq, { resolve, reject })
      // While a request is in flight the worker keeps the host alive, as inline environments do.
      this.#worker.ref()
      const envelope: ShardEnvelope = { seq, request }
      this.#worker.postMessage(envelope, transfer as ArrayBuffer[])
    }).finally(() => {
      if (this.#pending.size === 0 && this.#dead === undefined) this.#worker.unref()
    }) as Promise<ShardReplyValue>
  }

  /** Terminates the thread now (the watchdog), failing everything pending on it. */
  kill(reason: string): void {
    this.#die(new ThawError('THAW_SHARD_KILLED', `Shard ${this.id} was terminated: ${reason}`))
    void this.#worker.terminate()
  }

  #die(error: Error): void {
    if (this.#dead !== undefined) return
    this.#dead = error instanceof ThawError ? error : new ThawError('THAW_SHARD_KILLED', error.message, { cause: error })
    for (const pending of this.#pending.values()) pending.reject(this.#dead)
    this.#pending.clear()
  }
}
