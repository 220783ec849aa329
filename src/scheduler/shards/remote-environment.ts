import type { Invocation } from '../../../runtime-api/session.js'
import type { FunctionError } from '../../errors.js'
import {
  platformErrors,
  type EnvironmentInvokeResult,
  type ExecutionEnvironment,
  type InitOptions,
  type InitResult,
} from '../../isolates/environment.js'
import { INIT_TIMEOUT_MS } from '../../isolates/quickjs/environment.js'
import type { ShardReplyValue } from './protocol.js'
import { StuckGuestError, type Shard } from './shard.js'

type Watched = { readonly kind: 'reply'; readonly value: ShardReplyValue } | { readonly kind: 'stuck' } | { readonly kind: 'lost'; readonly error: FunctionError }

/**
 * An environment living on a shard, seen from the host. Deadlines and fuel are enforced inside
 * the shard as on the host thread; the shard's watchdog covers the one case they cannot, a guest
 * stuck in a long native operation.
 */
export class RemoteEnvironment implements ExecutionEnvironment {
  readonly id: string
  readonly #shard: Shard
  readonly #envId: number
  readonly #timeoutMs: number
  #reusable = false
  #disposed = false

  constructor(shard: Shard, envId: number, timeoutMs: number) {
    this.#shard = shard
    this.#envId = envId
    this.#timeoutMs = timeoutMs
    this.id = `shard${shard.id}-env${envId}`
    shard.environments += 1
  }

  get reusable(): boolean {
    return this.#reusable && !this.#disposed && this.#shard.alive
  }

  async init(options?: InitOptions): Promise<InitResult> {
    const startedAt = Date.now()
    const watched = await this.#watch({ op: 'init', envId: this.#envId, ...(options === undefined ? {} : { options }) }, startedAt + INIT_TIMEOUT_MS)
    if (watched.kind === 'reply' && watched.value.op === 'init') {
      this.#reusable = watched.value.reusable
      return watched.value.result
    }
    const error = watched.kind === 'lost' ? watched.error : platformErrors.timeout('init', INIT_TIMEOUT_MS)
    return { ok: false, phase: 'init', durationMs: Date.now() - startedAt, logs: [], error }
  }

  async invoke(invocation: Invocation): Promise<EnvironmentInvokeResult> {
    const watched = await this.#watch({ op: 'invoke', envId: this.#envId, invocation }, invocation.deadlineMs)
    if (watched.kind === 'reply' && watched.value.op === 'invoke') {
      this.#reusable = watched.value.reusable
      return watched.value.result
    }
    this.#reusable = false
    const error = watched.kind === 'lost' ? watched.error : platformErrors.timeout(invocation.requestId, this.#timeoutMs)
    return { outcome: { kind: 'error', error, body: JSON.stringify(error) }, logs: [], maxMemoryUsedBytes: 0, fuelUsed: 0 }
  }

  dispose(): void {
    if (this.#disposed) return
    this.#disposed = true
    this.#shard.environments -= 1
    if (this.#shard.alive) this.#shard.request({ op: 'dispose', envId: this.#envId }).catch(() => undefined)
  }

  [Symbol.dispose](): void {
    this.dispose()
  }

  /**
   * Sends `request` under the shard's watchdog. A StuckGuestError means this request's own guest
   * was stuck and its shard terminated; any other failure means the shard died for another
   * reason (terminated for a neighbour) and the work is lost.
   */
  #watch(request: Parameters<Shard['request']>[0], deadlineMs: number): Promise<Watched> {
    return this.#shard.request(request, deadlineMs).then(
      (value): Watched => ({ kind: 'reply', value }),
      (error: Error): Watched => {
        if (error instanceof StuckGuestError) return { kind: 'stuck' }
        const exit = platformErrors.exit('shard', 1)
        return { kind: 'lost', error: { ...exit, errorMessage: `${exit.errorMessage} (${error.message})` } }
      },
    )
  }
}
