/**
 * `Request` (Fetch Standard) as undici has it in Node 20: the URL parsed by the guest's URL (no
 * base: a relative URL fails, as in Node), credentials in it refused; methods DELETE, GET, HEAD,
 * OPTIONS, POST, PUT normalised to upper case, others kept, CONNECT/TRACE/TRACK refused; GET and
 * HEAD cannot have a body; a stream body needs `duplex: 'half'`; a Request as input hands its
 * body over (and is used up); `signal` follows `init.signal` (or the input's); the RequestInit
 * enumerations checked with undici's messages; the Body mixin (body.ts).
 *
 * The signal is created when first read (a Request that nobody asks for its signal never loads
 * the events chunk); following the same signals, it behaves as if it had been created at once.
 * `takeRequestBody` is how fetch (fetch.ts) reads the body it sends.
 */
import { bodyMethods, bodyStream, bodyUnusable, bodyUsed, cloneBody, consumeBytes, extractBody, streamBody, type Body } from './body.js'
import { streamClasses, type ReadableStreamLike } from './body-stream.js'
import { chunkGlobals, loadChunk } from './chunk-loader.js'
import { appendHeader, copyHeaders, headersGuard, headerValue, Headers } from './headers.js'
import { brand, inspectFlat } from './inspect.js'
import { TOKEN } from './mime.js'
import { argumentCount, byteString, dictionary, enumValue, failure, usvString } from './webidl.js'

interface RequestInit {
  method?: unknown
  headers?: ConstructorParameters<typeof Headers>[0]
  body?: unknown
  referrer?: unknown
  referrerPolicy?: unknown
  mode?: unknown
  credentials?: unknown
  cache?: unknown
  redirect?: unknown
  integrity?: unknown
  keepalive?: unknown
  signal?: unknown
  window?: unknown
  duplex?: unknown
}

/** What `init.signal` may be: Node accepts anything shaped like an AbortSignal. */
interface SignalLike {
  readonly aborted: boolean
  readonly reason: unknown
  addEventListener(type: 'abort', listener: () => void, options: { once: boolean }): void
}

interface EventsChunk {
  AbortController: new () => { signal: SignalLike; abort(reason?: unknown): void }
  AbortSignal: { any(signals: SignalLike[]): SignalLike }
  isAbortSignal(value: unknown): boolean
}

type UrlClass = new (input: string) => { href: string; username: string; password: string; protocol: string; pathname: string }

const REFERRER_POLICIES = ['', 'no-referrer', 'no-referrer-when-downgrade', 'same-origin', 'origin', 'strict-origin', 'origin-when-cross-origin', 'strict-origin-when-cross-origin', 'unsafe-url'] as const
const MODES = ['navigate', 'same-origin', 'no-cors', 'cors'] as const
const CREDENTIALS = ['omit', 'same-origin', 'include'] as const
const CACHES = ['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached'] as const
const REDIRECTS = ['follow', 'manual', 'error'] as const
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'])
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK'])

const illegalInvocation = (): TypeError => new TypeError('Illegal invocation')
const parseUrl = (input: string): InstanceType<UrlClass> => new (chunkGlobals<{ URL: UrlClass }>('url').URL)(input)

function normalizeMethod(value: unknown): string {
  const method = byteString(value, 'RequestInit', 'method')
  const upper = method.toUpperCase()
  if (NORMALIZED_METHODS.has(upper)) return upper
  if (!TOKEN.test(method)) throw new TypeError(`'${method}' is not a valid HTTP method.`)
  if (FORBIDDEN_METHODS.has(upper)) throw new TypeError(`'${method}' HTTP method is unsupported.`)
  return method
}

let isRequest: (value: unknown) => value is Request
/** Reads and consumes the body as bytes (null without one); the Request's bodyUsed is true after. */
export let takeRequestBody: (request: Request) => Promise<Uint8Array | null>

export class Request {
  #method = 'GET'
  #url = ''
  #headers = new Headers()
  #body: Body | null = null
  /** 'client', 'no-referrer' or a URL. */
  #referrer = 'client'
  #referrerPolicy = ''
  #mode = 'cors'
  #credentials = 'same-origin'
  #cache = 'default'
  #redirect = 'follow'
  #integrity = ''
  #keepalive = false
  #signal: SignalLike | null = null
  /** The signal this request's signal follows (created on first read). */
  #follow: SignalLike | null = null

  static {
    isRequest = (value): value is Request => typeof value === 'object' && value !== null && #body in value
    takeRequestBody = (request) => (isRequest(request) ? consumeBytes(request.#body) : Promise.reject(illegalInvocation()))
  }

  constructor(input: unknown, init: RequestInit | null = {}) {
    argumentCount(arguments, 1, 'Request constructor')
    const options = dictionary<RequestInit>(init, 'Request constructor')
    const source = isRequest(input) ? input : null
    if (source === null) {
      const text = usvString(input)
      let parsed: InstanceType<UrlClass>
      try {
        parsed = parseUrl(text)
      } catch (error) {
        throw new TypeError(`Failed to parse URL from ${text}`, { cause: error })
      }
      if (parsed.username !== '' || parsed.password !== '') {
        throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${text}`)
      }
      this.#url = parsed.href
    } else {
      this.#url = source.#url
      this.#method = source.#method
      this.#referrer = source.#referrer
      this.#referrerPolicy = source.#referrerPolicy
      this.#mode = source.#mode
      this.#credentials = source.#credentials
      this.#cache = source.#cache
      this.#redirect = source.#redirect
      this.#integrity = source.#integrity
      this.#keepalive = source.#keepalive
      this.#follow = source.#signal ?? source.#follow
    }

    // RequestInit's members, converted in WebIDL order (body, cache, credentials, duplex, …).
    const { body, signal } = options
    const cache = options.cache === undefined ? undefined : enumValue(options.cache, CACHES, 'Request constructor')
    const credentials = options.credentials === undefined ? undefined : enumValue(options.credentials, CREDENTIALS, 'Request constructor')
    const duplex = options.duplex === undefined ? undefined : enumValue(options.duplex, ['half'], 'Request constructor')
    const integrity = options.integrity === undefined ? undefined : `${options.integrity as string}`
    const method = options.method === undefined ? undefined : normalizeMethod(options.method)
    const mode = options.mode === undefined ? undefined : enumValue(options.mode, MODES, 'Request constructor')
    const redirect = options.redirect === undefined ? undefined : enumValue(options.redirect, REDIRECTS, 'Request constructor')
    const referrer = options.referrer === undefined ? undefined : usvString(options.referrer)
    const referrerPolicy = options.referrerPolicy === undefined ? undefined : enumValue(options.referrerPolicy, REFERRER_POLICIES, 'Request constructor')
    if (signal !== undefined && signal !== null) {
      const candidate = signal as Partial<SignalLike>
      if (typeof candidate !== 'object' || typeof candidate.aborted !== 'boolean' || typeof candidate.addEventListener !== 'function') {
        throw new TypeError("Failed to construct 'Request': member signal is not of type AbortSignal.")
      }
    }
    if (options.window !== undefined && options.window !== null) throw new TypeError("'window' option 'client' must be null")

    // "If init is not empty": any RequestInit member given (own or inherited, as WebIDL reads them).
    const members = [body, cache, credentials, duplex, options.headers, integrity, options.keepalive, method, mode, redirect, referrer, referrerPolicy, signal, options.window]
    if (members.some((value) => value !== undefined)) {
      this.#referrer = 'client'
      this.#referrerPolicy = ''
    }
    if (referrer !== undefined) {
      if (referrer === '') this.#referrer = 'no-referrer'
      else {
        let parsed: InstanceType<UrlClass>
        try {
          parsed = parseUrl(referrer)
        } catch (error) {
          throw new TypeError(`Referrer "${referrer}" is not a valid URL.`, { cause: error })
        }
        this.#referrer = parsed.protocol === 'about:' && parsed.pathname === 'client' ? 'client' : parsed.href
      }
    }
    if (referrerPolicy !== undefined) this.#referrerPolicy = referrerPolicy
    if (mode === 'navigate') throw failure('Request constructor', 'invalid request mode navigate.')
    if (mode !== undefined) this.#mode = mode
    if (credentials !== undefined) this.#credentials = credentials
    if (cache !== undefined) this.#cache = cache
    if (this.#cache === 'only-if-cached' && this.#mode !== 'same-origin') {
      throw new TypeError("'only-if-cached' can be set only with 'same-origin' mode")
    }
    if (redirect !== undefined) this.#redirect = redirect
    if (integrity !== undefined) this.#integrity = integrity
    if (options.keepalive !== undefined) this.#keepalive = Boolean(options.keepalive)
    if (method !== undefined) this.#method = method
    if (signal !== undefined && signal !== null) this.#follow = signal as SignalLike

    if (options.headers !== undefined) this.#headers = copyHeaders(new Headers(options.headers), 'request')
    else if (source !== null) this.#headers = copyHeaders(source.#headers, 'request')
    else headersGuard(this.#headers, 'request')
    if (this.#mode === 'no-cors' && !['GET', 'HEAD', 'POST'].includes(this.#method)) {
      throw new TypeError(`'${this.#method} is unsupported in no-cors mode.`)
    }

    const inputBody = source === null ? null : source.#body
    if ((body !== undefined && body !== null) || inputBody !== null) {
      if (this.#method === 'GET' || this.#method === 'HEAD') throw new TypeError('Request with GET/HEAD method cannot have body.')
    }
    if (body !== undefined && body !== null) {
      const extracted = extractBody(body)
      if (extracted.type !== null && headerValue(this.#headers, 'content-type') === null) appendHeader(this.#headers, 'content-type', extracted.type)
      if (extracted.body.source === null && duplex === undefined) throw new TypeError('RequestInit: duplex option is required when sending a body.')
      this.#body = extracted.body
    } else if (inputBody !== null) {
      if (bodyUnusable(inputBody)) throw new TypeError('Cannot construct a Request with a Request object that has already been used.')
      this.#body = takeOver(inputBody)
    }
  }

  get method(): string {
    if (!isRequest(this)) throw illegalInvocation()
    return this.#method
  }

  get url(): string {
    if (!isRequest(this)) throw illegalInvocation()
    return this.#url
  }

  get headers(): Headers {
    if (!isRequest(this)) throw illegalInvocation()
    return this.#headers
  }

  get destination(): string {
    if (!isRequest(this)) throw illegalInvocation()
    return ''
  }

  get referrer(): string {
    if (!isRequest(this)) throw illegalInvocation()
    return this.#referrer === 'client' ? 'about:client' : this.#referrer === 'no-referrer' ? '' : this.#referrer
  }

  get referrerPolicy(): string {
    if (!isRequest(this)) throw illegalInvocation()
    return this.#referrerPolicy
  }

  get mode(): string {
    if (!isRequest(this)) throw illegalInvocation()
    return this.#mode
  }

  get credentials(): string {
    if (!isRequest(this)) throw illegalInvocation()
    return this.#credentials
  }

  get cache(): string {
    if (!isRequest(this)) throw illegalInvocation()
    return this.#cache
  }

  get redirect(): string {
    if (!isRequest(this)) throw illegalInvocation()
    return this.#redirect
  }

  get integrity(): string {
    if (!isRequest(this)) throw illegalInvocation()
    return this.#integrity
  }

  get keepalive(): boolean {
    if (!isRequest(this)) throw illegalInvocation()
    return this.#keepalive
  }

  get isReloadNavigation(): boolean {
    if (!isRequest(this)) throw illegalInvocation()
    return false
  }

  get isHistoryNavigation(): boolean {
    if (!isRequest(this)) throw illegalInvocation()
    return false
  }

  get signal(): SignalLike {
    if (!isRequest(this)) throw illegalInvocation()
    if (this.#signal === null) {
      const events = loadChunk<EventsChunk>('events')
      const follow = this.#follow
      if (follow === null) this.#signal = new events.AbortController().signal
      else if (events.isAbortSignal(follow)) this.#signal = events.AbortSignal.any([follow])
      else {
        const controller = new events.AbortController()
        if (follow.aborted) controller.abort(follow.reason)
        else follow.addEventListener('abort', () => controller.abort(follow.reason), { once: true })
        this.#signal = controller.signal
      }
    }
    return this.#signal
  }

  get body(): ReadableStreamLike | null {
    if (!isRequest(this)) throw illegalInvocation()
    return bodyStream(this.#body)
  }

  get bodyUsed(): boolean {
    if (!isRequest(this)) throw illegalInvocation()
    return bodyUsed(this.#body)
  }

  get duplex(): string {
    if (!isRequest(this)) throw illegalInvocation()
    return 'half'
  }

  clone(): Request {
    if (!isRequest(this)) throw illegalInvocation()
    if (bodyUnusable(this.#body)) throw new TypeError('unusable')
    const clone = new Request(this.#url)
    clone.#method = this.#method
    clone.#headers = copyHeaders(this.#headers)
    clone.#body = this.#body === null ? null : cloneBody(this.#body)
    clone.#referrer = this.#referrer
    clone.#referrerPolicy = this.#referrerPolicy
    clone.#mode = this.#mode
    clone.#credentials = this.#credentials
    clone.#cache = this.#cache
    clone.#redirect = this.#redirect
    clone.#integrity = this.#integrity
    clone.#keepalive = this.#keepalive
    clone.#follow = this.#signal ?? this.#follow
    return clone
  }

  blob(): ReturnType<typeof bodyMethods.blob> {
    return isRequest(this) ? bodyMethods.blob(this.#body, this.#headers) : Promise.reject(illegalInvocation())
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return isRequest(this) ? bodyMethods.arrayBuffer(this.#body) : Promise.reject(illegalInvocation())
  }

  text(): Promise<string> {
    return isRequest(this) ? bodyMethods.text(this.#body) : Promise.reject(illegalInvocation())
  }

  json(): Promise<unknown> {
    return isRequest(this) ? bodyMethods.json(this.#body) : Promise.reject(illegalInvocation())
  }

  formData(): ReturnType<typeof bodyMethods.formData> {
    return isRequest(this) ? bodyMethods.formData(this.#body, this.#headers) : Promise.reject(illegalInvocation())
  }

  bytes(): Promise<Uint8Array> {
    return isRequest(this) ? bodyMethods.bytes(this.#body) : Promise.reject(illegalInvocation())
  }
}

/**
 * The input Request's body moves to the new one and the input is used up: content still held is
 * handed over, a stream is piped through an identity transform (as undici does).
 */
function takeOver(body: Body): Body {
  if (body.stream === null) {
    body.used = true
    return { source: body.source, stream: null, used: false }
  }
  const { TransformStream } = streamClasses() as unknown as { TransformStream: new () => { readable: ReadableStreamLike; writable: unknown } }
  const identity = new TransformStream()
  void (body.stream as unknown as { pipeTo(target: unknown): Promise<void> }).pipeTo(identity.writable).catch(() => {})
  return streamBody(identity.readable)
}

brand(Request, 'Request', function inspectRequest(this: Request, _depth, options, inspect) {
  const properties = {
    method: this.method,
    url: this.url,
    headers: this.headers,
    destination: this.destination,
    referrer: this.referrer,
    referrerPolicy: this.referrerPolicy,
    mode: this.mode,
    credentials: this.credentials,
    cache: this.cache,
    redirect: this.redirect,
    integrity: this.integrity,
    keepalive: this.keepalive,
    isReloadNavigation: this.isReloadNavigation,
    isHistoryNavigation: this.isHistoryNavigation,
    signal: this.signal,
  }
  return inspectFlat('Request', properties, options, inspect)
})

export { isRequest }
