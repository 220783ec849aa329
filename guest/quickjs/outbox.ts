import { encodeOutboxMessage, type OutboxMessage } from '../../runtime-api/in-process-protocol.js'

/**
 * Guest → host messages waiting for the host to drain them (see in-process-protocol.ts for why
 * the guest posts through an outbox instead of calling the host). Messages are encoded as they
 * are posted, so a flush is one string.
 */
export class Outbox {
  /**
   * The encoded messages not yet flushed, on a plain object the host holds a handle to: when the
   * host stops a guest (timeout, out of memory) it reads the log lines already written from here,
   * without running any guest code.
   */
  readonly pending = { encoded: '' }
  #dirty = false

  post(message: OutboxMessage): void {
    this.pending.encoded += encodeOutboxMessage(message)
    this.#dirty = true
  }

  /** Marks state the host reads with every flush (timers, idle wish) as changed. */
  touch(): void {
    this.#dirty = true
  }

  /** The batch (see `decodeOutboxBatch`), or "" when nothing changed since the last flush. */
  flush(nextWakeMs: number, wantsIdle: boolean): string {
    if (!this.#dirty && !wantsIdle) return ''
    const batch = `${nextWakeMs};${wantsIdle ? 1 : 0};${this.pending.encoded}`
    this.pending.encoded = ''
    this.#dirty = false
    return batch
  }
}
