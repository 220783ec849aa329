import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten-core'
import {
  decodeOutboxBatch,
  decodeOutboxMessages,
  type DeliveryHeaders,
  type GuestEntryPoints,
  type OutboxBatch,
  type OutboxMessage,
} from '../../../runtime-api/in-process-protocol.js'
import type { Invocation, RuntimeApiSession } from '../../../runtime-api/session.js'
import type { FetchEvent } from '../../egress/host-fetch.js'
import { isThawError, toFunctionError } from '../../errors.js'

/**
 * Drives one QuickJS guest: calls its entry points, runs its jobs, drains its outbox into the
 * Runtime API session, and fires its timers with host timers. This is the in-process transport
 * of the Runtime API plus the guest's event loop.
 *
 * The guest runs only when the host calls into it; a "drive" runs it until it has nothing left
 * to do right now (no jobs, no delivery, no idle notice to give).
 */

export interface DriverSink {
  /** A function log line the guest wrote. */
  log(line: string): void
  /** The guest runtime is exiting with `status` (process.exit, an uncaught error). */
  exit(status: number): void
  /** The engine failed under the guest: interrupted, out of memory, trapped. */
  fatal(cause: unknown): void
  /** A drive ended; `stalled` when the guest waits on nothing that can ever wake it. */
  afterDrive(stalled: boolean): void
  /** Host I/O the guest started is still under way (its events will come through `deliverIo`). */
  ioInFlight(): boolean
}

type EntryName = keyof GuestEntryPoints

/** The entry points in a fixed order: a snapshot records their handles' addresses in this order. */
export const ENTRY_NAMES: readonly EntryName[] = ['start', 'deliver', 'flush', 'fireTimers', 'idle', 'restored', 'ioEvent', 'pendingOutbox']

export class GuestDriver {
  readonly #ctx: QuickJSContext
  readonly #runtime: QuickJSRuntime
  readonly #entries: Record<EntryName, QuickJSHandle>
  readonly #sink: DriverSink
  #session: RuntimeApiSession | undefined
  #pendingDelivery: Invocation | undefined
  #driving = false
  #failed = false
  /** The ARN last sent to the guest, which keeps it between invocations. */
  #lastArn: string | undefined
  /** Set by the interrupt handler: whatever the guest did since, it was past its deadline. */
  #interrupted = false
  /** Timers fire only while the environment is thawed (INIT or an invocation in flight). */
  #frozen = true
  #wakeAtMs = -1
  #wakeTimer: NodeJS.Timeout | undefined
  /** I/O events not yet handed to the guest: a frozen environment gets them when it thaws. */
  readonly #ioEvents: FetchEvent[] = []

  private constructor(ctx: QuickJSContext, runtime: QuickJSRuntime, sink: DriverSink, entries: readonly QuickJSHandle[]) {
    this.#ctx = ctx
    this.#runtime = runtime
    this.#sink = sink
    this.#entries = Object.fromEntries(ENTRY_NAMES.map((name, index) => [name, entries[index]])) as Record<EntryName, QuickJSHandle>
  }

  /** Boot: takes the entry points the guest runtime published on `globalThis.__thaw_guest`. */
  static attach(ctx: QuickJSContext, runtime: QuickJSRuntime, sink: DriverSink): GuestDriver {
    const guest = ctx.getProp(ctx.global, '__thaw_guest')
    ctx.setProp(ctx.global, '__thaw_guest', ctx.undefined)
    const entries = ENTRY_NAMES.map((name) => ctx.getProp(guest, name))
    guest.dispose()
    return new GuestDriver(ctx, runtime, sink, entries)
  }

  /** Restore: the entry points are the handles a snapshot recorded, adopted by the caller. */
  static adopt(ctx: QuickJSContext, runtime: QuickJSRuntime, sink: DriverSink, entries: readonly QuickJSHandle[]): GuestDriver {
    return new GuestDriver(ctx, runtime, sink, entries)
  }

  /** The entry points' handles, in ENTRY_NAMES order (for a snapshot). */
  get entryHandles(): readonly QuickJSHandle[] {
    return ENTRY_NAMES.map((name) => this.#entries[name])
  }

  bind(session: RuntimeApiSession): void {
    this.#session = session
  }

  start(bootConfigJson: string): void {
    this.#call('start', [this.#ctx.newString(bootConfigJson)])
    this.drive()
  }

  /** After a restore: reseed and run the after-restore hooks (see GuestEntryPoints.restored). */
  resume(randomSeedHex: string): void {
    this.#call('restored', [this.#ctx.newString(randomSeedHex)])
    this.drive()
  }

  thaw(): void {
    this.#frozen = false
    this.#armWake()
  }

  /** News about the guest's host I/O: handed over now, or when the environment next thaws. */
  deliverIo(event: FetchEvent): void {
    this.#ioEvents.push(event)
    if (!this.#frozen && !this.#driving) this.drive()
  }

  freeze(): void {
    this.#frozen = true
    this.#armWake()
  }

  /**
   * Called from the engine's interrupt handler when the guest ran past its deadline. QuickJS's
   * interrupt error is uncatchable by try/catch, but an async function still turns it into a
   * rejection that the guest would post as an ordinary error; this flag makes the host ignore
   * anything the guest says after it.
   */
  interrupt(): void {
    this.#interrupted = true
  }

  /** Stops everything for good: no more calls into the guest. */
  halt(): void {
    this.#failed = true
    this.#frozen = true
    this.#armWake()
  }

  /** Runs the guest until it has nothing left to do right now. */
  drive(): void {
    if (this.#driving || this.#failed) return
    this.#driving = true
    try {
      for (;;) {
        if (!this.#frozen) this.#handIoEvents()
        if (this.#failed) return
        const delivery = this.#pendingDelivery
        if (delivery !== undefined) {
          this.#pendingDelivery = undefined
          this.#deliver(delivery)
        }
        if (this.#failed) return
        const jobs = this.#runtime.executePendingJobs()
        if (this.#interrupted) {
          jobs.dispose()
          this.#fail(new Error('interrupted'))
          return
        }
        if (jobs.error !== undefined) {
          this.#fail(this.#ctx.dump(jobs.error))
          jobs.error.dispose()
          return
        }
        const batch = this.#flush()
        if (this.#failed) return
        if (batch === undefined) {
          if (this.#pendingDelivery === undefined) break
          continue
        }
        for (const message of batch.messages) this.#handle(message)
        this.#wakeAtMs = batch.nextWakeMs
        if (batch.wantsIdle && batch.nextWakeMs < 0) {
          this.#call('idle', [])
          continue
        }
        if (this.#pendingDelivery === undefined && !this.#runtime.hasPendingJob()) break
      }
    } catch (error) {
      this.#fail(error)
    } finally {
      this.#driving = false
    }
    if (this.#failed) return
    this.#armWake()
    const waitsOnIo = this.#ioEvents.length > 0 || this.#sink.ioInFlight()
    this.#sink.afterDrive(this.#wakeAtMs < 0 && !waitsOnIo && this.#pendingDelivery === undefined && !this.#runtime.hasPendingJob())
  }

  #handIoEvents(): void {
    const ctx = this.#ctx
    for (let event = this.#ioEvents.shift(); event !== undefined && !this.#failed; event = this.#ioEvents.shift()) {
      let text: QuickJSHandle = ctx.undefined
      let bytes: QuickJSHandle = ctx.undefined
      if (event.kind === 'head') {
        text = ctx.newString(JSON.stringify(event.head))
        if (event.body !== undefined) bytes = ctx.newArrayBuffer(toArrayBuffer(event.body))
      } else if (event.kind === 'chunk') bytes = ctx.newArrayBuffer(toArrayBuffer(event.bytes))
      else if (event.kind === 'error') text = ctx.newString(JSON.stringify(event.failure))
      this.#call('ioEvent', [ctx.newNumber(event.id), ctx.newString(event.kind), text, bytes])
    }
  }

  #deliver(invocation: Invocation): void {
    const ctx = this.#ctx
    const headers = this.#headersFor(invocation)
    this.#call('deliver', [
      ctx.newString(invocation.requestId),
      ctx.newNumber(invocation.deadlineMs),
      ctx.newString(invocation.payload),
      headers === undefined ? ctx.undefined : ctx.newString(JSON.stringify(headers)),
    ])
  }

  /** The rarer headers, or undefined when there are none and the ARN is the one sent last time. */
  #headersFor(invocation: Invocation): DeliveryHeaders | undefined {
    const { invokedFunctionArn, traceId, clientContext, cognitoIdentity, tenantId } = invocation
    const arnChanged = invokedFunctionArn !== this.#lastArn
    if (!arnChanged && traceId === undefined && clientContext === undefined && cognitoIdentity === undefined && tenantId === undefined) {
      return undefined
    }
    this.#lastArn = invokedFunctionArn
    return { ...(arnChanged ? { invokedFunctionArn } : {}), traceId, clientContext, cognitoIdentity, tenantId }
  }

  #flush(): OutboxBatch | undefined {
    const result = this.#ctx.callFunction(this.#entries.flush, this.#ctx.undefined)
    if (result.error !== undefined) {
      this.#fail(this.#ctx.dump(result.error))
      result.error.dispose()
      return undefined
    }
    const text = this.#ctx.getString(result.value)
    result.value.dispose()
    return text === '' ? undefined : decodeOutboxBatch(text)
  }

  #handle(message: OutboxMessage): void {
    const session = this.#session
    if (session === undefined) return
    try {
      switch (message[0]) {
        case 'log':
          this.#sink.log(message[1])
          break
        case 'next':
          session.next((invocation) => {
            this.#pendingDelivery = invocation
            if (!this.#driving) this.drive()
          })
          break
        case 'response':
          session.respond(message[1], message[2])
          break
        case 'error':
          session.error(message[1], toFunctionError(parseJson(message[2])), message[2], message[3])
          break
        case 'initError':
          session.initError(toFunctionError(parseJson(message[1])), message[2])
          break
        case 'restoreNext':
          session.restoreNext()
          break
        case 'restoreError':
          session.restoreError(toFunctionError(parseJson(message[1])), message[2])
          break
        case 'exit':
          this.#sink.exit(message[1])
          break
      }
    } catch (error) {
      // A Runtime API refusal (e.g. a 413 for an oversized response) is the runtime's problem to
      // hear about, not the host's: the session has already settled the invocation accordingly.
      if (!isThawError(error)) throw error
    }
  }

  #call(name: EntryName, args: QuickJSHandle[]): void {
    const ctx = this.#ctx
    try {
      const result = ctx.callFunction(this.#entries[name], ctx.undefined, ...args)
      if (this.#interrupted) {
        result.dispose()
        this.#fail(new Error('interrupted'))
      } else if (result.error !== undefined) {
        const cause = ctx.dump(result.error)
        result.error.dispose()
        this.#fail(cause)
      } else result.value.dispose()
    } finally {
      for (const arg of args) if (arg.alive && arg !== ctx.undefined) arg.dispose()
    }
  }

  #fail(cause: unknown): void {
    if (this.#failed) return
    this.halt()
    this.#salvageLogs()
    this.#sink.fatal(cause)
  }

  /**
   * The guest was stopped before it could flush: its log lines so far still belong to the
   * invocation (Lambda keeps what a timed-out function printed). Read with a plain property get:
   * no guest code runs.
   */
  #salvageLogs(): void {
    try {
      const ctx = this.#ctx
      const encoded = ctx.getProp(this.#entries.pendingOutbox, 'encoded')
      const text = ctx.typeof(encoded) === 'string' ? ctx.getString(encoded) : ''
      encoded.dispose()
      for (const message of decodeOutboxMessages(text)) if (message[0] === 'log') this.#sink.log(message[1])
    } catch {
      // The engine may be past reading (a trap); the logs are lost with it.
    }
  }

  #armWake(): void {
    if (this.#wakeTimer !== undefined) clearTimeout(this.#wakeTimer)
    this.#wakeTimer = undefined
    if (this.#frozen || this.#failed || this.#wakeAtMs < 0) return
    this.#wakeTimer = setTimeout(() => {
      this.#wakeTimer = undefined
      if (this.#frozen || this.#failed) return
      this.#call('fireTimers', [this.#ctx.newNumber(Date.now())])
      this.drive()
    }, Math.max(0, this.#wakeAtMs - Date.now()))
  }
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer
  return whole ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
