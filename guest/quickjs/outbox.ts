import type { OutboxMessage } from '../../runtime-api/in-process-protocol.js'

/**
 * Guest → host messages waiting for the host to drain them (see in-process-protocol.ts for why
 * the guest posts through an outbox instead of calling the host).
 */
export class Outbox {
  #messages: OutboxMessage[] = []
  #dirty = false

  post(message: OutboxMessage): void {
    this.#messages.push(message)
    this.#dirty = true
  }

  /** Marks state the host reads with every flush (timers, idle wish) as changed. */
  touch(): void {
    this.#dirty = true
  }

  /** JSON of the batch, or "" when nothing changed since the last flush. */
  flush(nextWakeMs: number, wantsIdle: boolean): string {
    if (!this.#dirty && !wantsIdle) return ''
    const batch = JSON.stringify({ m: this.#messages, w: nextWakeMs, i: wantsIdle ? 1 : 0 })
    this.#messages = []
    this.#dirty = false
    return batch
  }
}
