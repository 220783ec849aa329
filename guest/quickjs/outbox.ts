import { encodeOutboxMessage, type OutboxMessage } from '../../runtime-api/in-process-protocol.js'

/**
 * Guest → host messages waiting for the host to drain them (see in-process-protocol.ts for why
 * the guest posts through an outbox instead of calling the host). Messages are encoded as they
 * are posted, so a flush is one string.
 */
export class Outbox {
  #encoded = ''
  #dirty = false

  post(message: OutboxMessage): void {
    this.#encoded += encodeOutboxMessage(message)
    this.#dirty = true
  }

  /** Marks state the host reads with every flush (timers, idle wish) as changed. */
  touch(): void {
    this.#dirty = true
  }

  /** The batch (see `decodeOutboxBatch`), or "" when nothing changed since the last flush. */
  flush(nextWakeMs: number, wantsIdle: boolean): string {
    if (!this.#dirty && !wantsIdle) return ''
    const batch = `${nextWakeMs};${wantsIdle ? 1 : 0};${this.#encoded}`
    this.#encoded = ''
    this.#dirty = false
    return batch
  }
}
