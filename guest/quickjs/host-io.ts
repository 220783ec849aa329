import type { HostBindings, IoEventKind } from '../../runtime-api/in-process-protocol.js'

/**
 * The guest's asynchronous host I/O (today: fetch). An operation is started through a host
 * binding and its news come back through the `ioEvent` entry point; while any is open, the event
 * loop is not empty (the invocation is not over, INIT is not stalled). Part of the runtime core:
 * kept small; the fetch API itself is a chunk that reaches this object through HOST_IO_KEY.
 */

/** Key (a `Symbol.for`) on globalThis of the runtime's HostIo, for the chunks that use it. */
export const HOST_IO_KEY = 'thaw.hostIo'

export type IoListener = (kind: IoEventKind, text: string | undefined, bytes: ArrayBuffer | undefined) => void

export class HostIo {
  readonly #host: HostBindings
  readonly #open = new Map<number, IoListener>()
  #nextId = 1

  constructor(host: HostBindings) {
    this.#host = host
  }

  /** Operations whose last event has not come yet. */
  get size(): number {
    return this.#open.size
  }

  /** Starts a fetch on the host; `listener` hears its events until the last one (end, error, or a whole-body head). */
  fetch(requestJson: string, body: ArrayBuffer | undefined, listener: IoListener): number {
    const id = this.#nextId++
    this.#host.fetchStart(id, requestJson, body)
    this.#open.set(id, listener)
    return id
  }

  /** The guest lost interest (an abort, a cancelled body): later events are dropped, the host stops. */
  cancel(id: number): void {
    if (this.#open.delete(id)) this.#host.ioCancel(id)
  }

  dispatch(id: number, kind: IoEventKind, text: string | undefined, bytes: ArrayBuffer | undefined): void {
    const listener = this.#open.get(id)
    if (listener === undefined) return
    if (kind === 'end' || kind === 'error' || (kind === 'head' && bytes !== undefined)) this.#open.delete(id)
    listener(kind, text, bytes)
  }

  /** After a restore: the host side of every open operation is gone with the old environment. */
  abandonAll(message: string): void {
    const failure = JSON.stringify({ message, code: 'ECONNRESET' })
    for (const [id, listener] of [...this.#open]) {
      this.#open.delete(id)
      listener('error', failure, undefined)
    }
  }
}
