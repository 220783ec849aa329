import { Agent, fetch as undiciFetch, type Response } from 'undici'
import { egressTarget, type EgressPolicy } from './egress-policy.js'

/**
 * The host half of a guest's `fetch`: the request goes out from the host with undici, under the
 * function's egress policy, and what comes back is handed to the guest as events (head, body
 * chunks, end, or an error). Redirects are followed here, one hop at a time, so that every hop is
 * checked against the policy. Each request ends by the deadline of the phase that started it
 * (INIT or the invocation); a disposed environment aborts whatever it still has in flight.
 */

/** What the guest asks for (guest/quickjs/web/fetch.ts serialises a Request into this). */
export interface GuestFetchRequest {
  readonly method: string
  readonly url: string
  readonly headers: readonly (readonly [string, string])[]
  readonly redirect: 'follow' | 'manual' | 'error'
}

const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** The guest's request description, checked field by field: the guest is untrusted. */
export function parseGuestFetchRequest(json: string): GuestFetchRequest {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    throw new TypeError('fetch: the request description is not JSON')
  }
  const { method, url, headers, redirect } = (value ?? {}) as Record<string, unknown>
  if (typeof method !== 'string' || !METHOD.test(method)) throw new TypeError(`fetch: '${String(method)}' is not a valid HTTP method`)
  if (typeof url !== 'string') throw new TypeError('fetch: the URL must be a string')
  if (redirect !== 'follow' && redirect !== 'manual' && redirect !== 'error') throw new TypeError('fetch: redirect must be follow, manual or error')
  if (!Array.isArray(headers) || !headers.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every((part) => typeof part === 'string'))) {
    throw new TypeError('fetch: headers must be [name, value] string pairs')
  }
  return { method, url, headers: headers as [string, string][], redirect }
}

export interface FetchHead {
  readonly status: number
  readonly statusText: string
  readonly headers: readonly (readonly [string, string])[]
  readonly url: string
  readonly redirected: boolean
}

/** The cause of a failed fetch, as the guest's TypeError('fetch failed').cause will show it. */
export interface FetchFailure {
  readonly message: string
  readonly code: string
}

export type FetchEvent =
  /** The response head; `body` is the whole body when it was small enough to wait for. */
  | { readonly kind: 'head'; readonly id: number; readonly head: FetchHead; readonly body?: Uint8Array }
  | { readonly kind: 'chunk'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly kind: 'end'; readonly id: number }
  | { readonly kind: 'error'; readonly id: number; readonly failure: FetchFailure }

export interface HostFetcherOptions {
  readonly policy: EgressPolicy
  readonly maxResponseBodyBytes: number
  /** When the current phase (INIT or the invocation) ends, epoch ms. */
  readonly deadlineMs: () => number
  readonly onEvent: (event: FetchEvent) => void
  /** A request the policy refused, as one line for the function's log. */
  readonly onDenied: (line: string) => void
}

/** Bodies up to this size (by Content-Length) arrive with the head: no stream needed in the guest. */
const WHOLE_BODY_BYTES = 64 * 1024
const MAX_REDIRECTS = 20
const DEADLINE_GRACE_MS = 100
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** One connection pool per thread, shared by every environment on it (undici's Agent). */
let sharedAgent: Agent | undefined
const agent = () => (sharedAgent ??= new Agent({ connections: 64, keepAliveTimeout: 4_000 }))

class FetchFailed extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message)
  }
}

export class HostFetcher implements Disposable {
  readonly #options: HostFetcherOptions
  readonly #inFlight = new Map<number, AbortController>()
  /** Requests the guest cancelled: their last events are swallowed. */
  readonly #cancelled = new Set<number>()
  #disposed = false

  constructor(options: HostFetcherOptions) {
    this.#options = options
  }

  get inFlight(): number {
    return this.#inFlight.size
  }

  /** Starts request `id`; its events follow asynchronously, never from inside this call. */
  start(id: number, request: GuestFetchRequest, body: Uint8Array | undefined): void {
    if (this.#disposed) return
    const controller = new AbortController()
    this.#inFlight.set(id, controller)
    // A little past the deadline, so that a guest still awaiting the request ends in the
    // platform's own timeout (Sandbox.Timedout), not in a fetch error that races it.
    const remainingMs = Math.max(0, this.#options.deadlineMs() - Date.now()) + DEADLINE_GRACE_MS
    const timer = setTimeout(() => controller.abort(new FetchFailed('The request did not complete before the deadline of the invocation', 'ETIMEDOUT')), remainingMs)
    this.#run(id, request, body, controller.signal)
      .catch((error: unknown) => this.#emit({ kind: 'error', id, failure: toFailure(error, controller.signal) }))
      .finally(() => {
        clearTimeout(timer)
        this.#inFlight.delete(id)
        this.#cancelled.delete(id)
      })
  }

  /** Aborts request `id`, which the guest no longer wants; it sends no more events. */
  cancel(id: number): void {
    const controller = this.#inFlight.get(id)
    if (controller === undefined) return
    this.#inFlight.delete(id)
    this.#cancelled.add(id)
    controller.abort(new FetchFailed('The guest cancelled the request', 'ABORT_ERR'))
  }

  /** Aborts every request in flight; no more events. */
  dispose(): void {
    this.#disposed = true
    for (const controller of this.#inFlight.values()) controller.abort(new FetchFailed('The execution environment was shut down', 'ECONNRESET'))
    this.#inFlight.clear()
  }

  [Symbol.dispose](): void {
    this.dispose()
  }

  async #run(id: number, request: GuestFetchRequest, firstBody: Uint8Array | undefined, signal: AbortSignal): Promise<void> {
    let url = parseUrl(request.url)
    let method = request.method
    let body = firstBody
    let headers = request.headers.map(([name, value]) => [name, value] as [string, string])
    for (let hop = 0; ; hop++) {
      this.#check(method, url)
      const response = await undiciFetch(url, { method, headers, body, redirect: 'manual', signal, dispatcher: agent() })
      const location = response.headers.get('location')
      if (REDIRECT_STATUSES.has(response.status) && location !== null && request.redirect !== 'manual') {
        await response.body?.cancel()
        if (request.redirect === 'error') throw new FetchFailed(`unexpected redirect to ${location}`, 'ERR_FETCH_REDIRECT')
        if (hop >= MAX_REDIRECTS) throw new FetchFailed('redirect count exceeded', 'ERR_FETCH_REDIRECT')
        url = parseUrl(location, url)
        // 303, and 301/302 after a POST, turn into a GET without a body (fetch spec, HTTP-redirect fetch).
        if (response.status === 303 ? method !== 'HEAD' : (response.status === 301 || response.status === 302) && method === 'POST') {
          method = 'GET'
          body = undefined
          headers = headers.filter(([name]) => !/^content-(type|length|encoding|language|location)$/i.test(name))
        }
        continue
      }
      const head: FetchHead = {
        status: response.status,
        statusText: response.statusText,
        headers: [...response.headers],
        url: url.href,
        redirected: hop > 0,
      }
      await this.#deliverBody(id, head, response, signal)
      return
    }
  }

  #check(method: string, url: URL): void {
    const target = egressTarget(url)
    if (this.#options.policy.permits(target)) return
    const where = `${target.hostname}:${target.port}`
    this.#options.onDenied(`EGRESS_DENIED ${method} ${url.origin}${url.pathname} (${where} is not in the function's egress allow list)`)
    throw new FetchFailed(`egress to ${where} is denied by the function's egress policy`, 'ERR_EGRESS_DENIED')
  }

  async #deliverBody(id: number, head: FetchHead, response: Response, signal: AbortSignal): Promise<void> {
    const { maxResponseBodyBytes } = this.#options
    const length = Number(response.headers.get('content-length') ?? Number.NaN)
    if (response.body === null) {
      this.#emit({ kind: 'head', id, head, body: new Uint8Array(0) })
      return
    }
    if (length > maxResponseBodyBytes) {
      await response.body.cancel()
      throw new FetchFailed(`the response body (${length} bytes) exceeds the function's limit of ${maxResponseBodyBytes} bytes`, 'ERR_FETCH_BODY_TOO_LARGE')
    }
    if (length <= WHOLE_BODY_BYTES) {
      const whole = new Uint8Array(await response.arrayBuffer())
      this.#emit({ kind: 'head', id, head, body: whole })
      return
    }
    this.#emit({ kind: 'head', id, head })
    let received = 0
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      if (signal.aborted) break
      received += chunk.byteLength
      if (received > maxResponseBodyBytes) {
        throw new FetchFailed(`the response body exceeds the function's limit of ${maxResponseBodyBytes} bytes`, 'ERR_FETCH_BODY_TOO_LARGE')
      }
      this.#emit({ kind: 'chunk', id, bytes: chunk })
    }
    signal.throwIfAborted()
    this.#emit({ kind: 'end', id })
  }

  #emit(event: FetchEvent): void {
    if (!this.#disposed && !this.#cancelled.has(event.id)) this.#options.onEvent(event)
  }
}

function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base)
  } catch {
    throw new FetchFailed(`invalid URL: ${text}`, 'ERR_INVALID_URL')
  }
}

/** Whatever went wrong, as the cause the guest's TypeError will carry. */
function toFailure(error: unknown, signal: AbortSignal): FetchFailure {
  const reason: unknown = signal.aborted ? signal.reason : error
  if (reason instanceof FetchFailed) return { message: reason.message, code: reason.code }
  // undici: TypeError('fetch failed') with the socket or DNS error as its cause.
  const cause = (reason as { cause?: { message?: unknown; code?: unknown } } | null)?.cause
  const message = String(cause?.message ?? (reason as Error | null)?.message ?? reason)
  const code = typeof cause?.code === 'string' ? cause.code : 'UND_ERR'
  return { message, code }
}
