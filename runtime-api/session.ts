import { isUtf8 } from 'node:buffer'
import { ThawError, type FunctionError } from '../src/errors.js'

/**
 * The Lambda Runtime API (2018-06-01) as one state machine per execution environment.
 *
 * Two sides talk to it. The runtime side (`next`, `respond`, `error`, `initError`) is what a
 * Lambda runtime calls: the QuickJS guest through in-process bindings, a process runtime over
 * HTTP. The platform side (`invoke`, `abort`, `close`) is the host's. Transports only translate;
 * every rule (which call is allowed when, which request id is current, the response size limit)
 * lives here, so both transports give the same answers and the same errors.
 *
 *   initializing ──next──► ready ──invoke──► invoking ──respond/error──► responded ──next──► ready
 *        │  │                                                                   ▲
 *        │  └──initError──► init-failed                    (an invoke may be queued in any live state)
 *        └──restore/next──► snapshot-ready     (SnapStart: the snapshot is taken here)
 *                                   │
 *                                   └──restore()──► restoring   (resumed in place: a process runtime)
 *
 *   restoring ──next──► ready          (a session created for an environment restored from a snapshot)
 *        └──restore/error──► restore-failed
 */

/** What `/runtime/invocation/next` hands the runtime: its headers, made into fields, and the body. */
export interface Invocation {
  readonly requestId: string
  /** Unix epoch milliseconds (`Lambda-Runtime-Deadline-Ms`). */
  readonly deadlineMs: number
  readonly invokedFunctionArn: string
  readonly traceId?: string | undefined
  /** The decoded client context JSON (`Lambda-Runtime-Client-Context`). */
  readonly clientContext?: string | undefined
  /** `Lambda-Runtime-Cognito-Identity` JSON. */
  readonly cognitoIdentity?: string | undefined
  readonly tenantId?: string | undefined
  /** The raw event payload. */
  readonly payload: string
}

export type InvocationOutcome =
  /**
   * `body` is the response as text. `bytes` is there only when the runtime posted bytes that are
   * not UTF-8 (an image or gzip, from a process runtime): exactly what it sent, which `body`
   * cannot hold; the Invoke API must return these. Valid UTF-8 round-trips through `body`
   * byte for byte, so the common case (JSON) and the in-process QuickJS runtime, which posts
   * strings, carry nothing extra.
   */
  | { readonly kind: 'response'; readonly body: string; readonly bytes?: Buffer }
  | { readonly kind: 'error'; readonly error: FunctionError; readonly body: string; readonly errorTypeHeader?: string | undefined }

export type InitOutcome =
  /** `atSnapshotPoint`: INIT ended in restore/next rather than next. */
  | { readonly ok: true; readonly atSnapshotPoint?: boolean }
  | { readonly ok: false; readonly error: FunctionError; readonly errorTypeHeader?: string | undefined }

export type SessionState =
  | 'initializing'
  | 'snapshot-ready'
  | 'restoring'
  | 'ready'
  | 'invoking'
  | 'responded'
  | 'init-failed'
  | 'restore-failed'
  | 'closed'

/** RIE accepts 6 MiB plus 100 bytes of slack for a buffered response. */
export const MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100

type Deliver = (invocation: Invocation) => void

interface InFlight {
  readonly invocation: Invocation
  readonly settle: (outcome: InvocationOutcome) => void
}

export class RuntimeApiSession {
  #state: SessionState
  #waiting: Deliver | undefined
  #queued: InFlight | undefined
  #current: InFlight | undefined
  #settleInit!: (outcome: InitOutcome) => void
  #onRestored: (() => void) | undefined
  /** Settles once: ok when the runtime first asks for an invocation, failed on `initError`. */
  readonly initialized: Promise<InitOutcome> = new Promise((resolve) => {
    this.#settleInit = resolve
  })

  /**
   * A session for a runtime starting INIT, or (`restoring`) for one resumed from a snapshot,
   * which has yet to run its after-restore hooks; `initialized` then settles on next or
   * restore/error.
   */
  constructor(options: { restoring?: boolean } = {}) {
    this.#state = options.restoring === true ? 'restoring' : 'initializing'
  }

  get state(): SessionState {
    return this.#state
  }

  /** The invocation the runtime is working on, if any. */
  get currentRequestId(): string | undefined {
    return this.#current?.invocation.requestId
  }

  // ── runtime side ────────────────────────────────────────────────────────────────────────

  /** GET /runtime/invocation/next: `deliver` is called once, when an invocation is available. */
  next(deliver: Deliver): void {
    if (this.#state !== 'initializing' && this.#state !== 'restoring' && this.#state !== 'responded') {
      throw stateError('next', this.#state)
    }
    if (this.#state === 'initializing' || this.#state === 'restoring') this.#settleInit({ ok: true })
    this.#state = 'ready'
    this.#waiting = deliver
    this.#dispatch()
  }

  /** POST /runtime/invocation/{id}/response: text from the in-process runtime, bytes over HTTP. */
  respond(requestId: string, body: string | Buffer): void {
    const current = this.#expect(requestId, 'response')
    const size = typeof body === 'string' ? Buffer.byteLength(body) : body.length
    if (size > MAX_RESPONSE_BYTES) this.#tooLarge(current, size)
    this.#finish(current, responseOutcome(body))
  }

  /**
   * POST /runtime/invocation/{id}/response with a body over MAX_RESPONSE_BYTES that the transport
   * stopped buffering (the HTTP server does not hold gigabytes to learn they are too many): only
   * its size is known. Same rule and outcome as `respond`.
   */
  respondTooLarge(requestId: string, sizeBytes: number): never {
    const current = this.#expect(requestId, 'response')
    if (sizeBytes <= MAX_RESPONSE_BYTES) throw new RangeError(`${sizeBytes} bytes is within the response limit`)
    this.#tooLarge(current, sizeBytes)
  }

  #tooLarge(current: InFlight, size: number): never {
    this.#finish(current, {
      kind: 'error',
      error: {
        errorType: 'Function.ResponseSizeTooLarge',
        errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        trace: [],
      },
      body: '',
    })
    throw new ThawError(
      'THAW_RESPONSE_TOO_LARGE',
      `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
    )
  }

  /** POST /runtime/invocation/{id}/error */
  error(requestId: string, error: FunctionError, body: string, errorTypeHeader?: string): void {
    const current = this.#expect(requestId, 'error')
    this.#finish(current, { kind: 'error', error, body, errorTypeHeader })
  }

  /**
   * GET /runtime/restore/next: INIT is over and the runtime is quiescent; snapshot it now.
   * `onRestored` is for a transport that must answer the call once the platform resumes this very
   * session (`restore()`); the QuickJS backend restores into a new session instead.
   */
  restoreNext(onRestored?: () => void): void {
    if (this.#state !== 'initializing') throw stateError('restore/next', this.#state)
    this.#state = 'snapshot-ready'
    this.#onRestored = onRestored
    this.#settleInit({ ok: true, atSnapshotPoint: true })
  }

  /** POST /runtime/restore/error: an after-restore hook failed. */
  restoreError(error: FunctionError, errorTypeHeader?: string): void {
    if (this.#state !== 'restoring') throw stateError('restore/error', this.#state)
    this.#fail('restore-failed', error, errorTypeHeader)
  }

  /** POST /runtime/init/error */
  initError(error: FunctionError, errorTypeHeader?: string): void {
    if (this.#state !== 'initializing') throw stateError('init/error', this.#state)
    this.#fail('init-failed', error, errorTypeHeader)
  }

  #fail(state: 'init-failed' | 'restore-failed', error: FunctionError, errorTypeHeader: string | undefined): void {
    this.#state = state
    this.#settleInit({ ok: false, error, errorTypeHeader })
    // Lambda returns an INIT failure to the first invoke: one queued already gets it now.
    const queued = this.#queued
    this.#queued = undefined
    queued?.settle({ kind: 'error', error, body: JSON.stringify(error), errorTypeHeader })
  }

  // ── platform side ───────────────────────────────────────────────────────────────────────

  /**
   * Resumes a session paused at the snapshot point in place (a process runtime cannot be
   * snapshotted, so it is kept running instead): its restore/next returns, and the promise
   * settles as `initialized` does for a restoring session: ok on next, failed on restore/error.
   */
  restore(): Promise<InitOutcome> {
    if (this.#state !== 'snapshot-ready') throw stateError('restore', this.#state)
    const restored = new Promise<InitOutcome>((resolve) => {
      this.#settleInit = resolve
    })
    this.#state = 'restoring'
    const onRestored = this.#onRestored
    this.#onRestored = undefined
    onRestored?.()
    return restored
  }

  /**
   * Hands an invocation to the runtime (now, or as soon as it calls `next`) and resolves with
   * what it posts. One invocation at a time: the scheduler never asks for a second.
   */
  invoke(invocation: Invocation): Promise<InvocationOutcome> {
    if (this.#state === 'closed' || this.#state === 'init-failed' || this.#state === 'restore-failed' || this.#state === 'snapshot-ready') {
      throw stateError('invoke', this.#state)
    }
    if (this.#queued !== undefined || this.#current !== undefined) {
      throw new ThawError('THAW_INVALID_STATE_TRANSITION', 'An execution environment serves one invocation at a time')
    }
    return new Promise((settle) => {
      this.#queued = { invocation, settle }
      this.#dispatch()
    })
  }

  /**
   * Ends INIT or the invocation in flight with a platform error (timeout, crash, out of memory)
   * and closes the session: the environment is being discarded.
   */
  abort(error: FunctionError): void {
    const inFlight = [this.#current, this.#queued]
    this.#current = undefined
    this.#queued = undefined
    if (this.#state === 'initializing' || this.#state === 'restoring') this.#settleInit({ ok: false, error })
    this.#state = 'closed'
    this.#waiting = undefined
    this.#onRestored = undefined
    for (const invocation of inFlight) invocation?.settle({ kind: 'error', error, body: JSON.stringify(error) })
  }

  /** Closes the session; INIT or an invocation still pending ends as a Runtime.ExitError. */
  close(): void {
    if (this.#state === 'closed') return
    this.abort({ errorType: 'Runtime.ExitError', errorMessage: 'The execution environment was shut down', trace: [] })
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────

  #dispatch(): void {
    const queued = this.#queued
    const deliver = this.#waiting
    if (queued === undefined || deliver === undefined || this.#state !== 'ready') return
    this.#queued = undefined
    this.#waiting = undefined
    this.#current = queued
    this.#state = 'invoking'
    deliver(queued.invocation)
  }

  #expect(requestId: string, operation: string): InFlight {
    const current = this.#current
    if (this.#state !== 'invoking' || current === undefined) throw stateError(operation, this.#state)
    if (current.invocation.requestId !== requestId) {
      throw new ThawError('THAW_INVALID_REQUEST_ID', `Invalid request ID: ${requestId}`)
    }
    return current
  }

  #finish(current: InFlight, outcome: InvocationOutcome): void {
    this.#current = undefined
    this.#state = 'responded'
    current.settle(outcome)
  }
}

function responseOutcome(body: string | Buffer): InvocationOutcome {
  if (typeof body === 'string') return { kind: 'response', body }
  const text = body.toString('utf8')
  return isUtf8(body) ? { kind: 'response', body: text } : { kind: 'response', body: text, bytes: body }
}

function stateError(operation: string, state: SessionState): ThawError {
  return new ThawError('THAW_INVALID_STATE_TRANSITION', `State transition from ${state} to ${operation} failed`)
}
