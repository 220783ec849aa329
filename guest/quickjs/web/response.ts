/**
 * `Response` (Fetch Standard) as undici has it in Node 20: status 200-599 (RangeError otherwise),
 * a null-body status (101, 103, 204, 205, 304) refuses a body, the body's Content-Type is added
 * unless the headers have one, `Response.error()`, `Response.json()`, `Response.redirect()` (their
 * headers immutable), `clone()` (a stream body is teed), the Body mixin (body.ts, streams only when
 * `.body` is read). `createFetchedResponse` is how fetch (fetch.ts) makes the responses it returns.
 */
import { bodyMethods, bodyStream, bodyUnusable, bodyUsed, bytesBody, cloneBody, extractBody, streamBody, type Body } from './body.js'
import type { ReadableStreamLike } from './body-stream.js'
import { chunkGlobals } from './chunk-loader.js'
import { appendHeader, copyHeaders, headersGuard, headerValue, Headers } from './headers.js'
import { brand, inspectFlat } from './inspect.js'
import { byteString, dictionary, failure, unsignedShort } from './webidl.js'

type ResponseType = 'basic' | 'cors' | 'default' | 'error' | 'opaque' | 'opaqueredirect'

interface ResponseInit {
  status?: unknown
  statusText?: unknown
  headers?: ConstructorParameters<typeof Headers>[0]
}

export interface FetchedResponseInit {
  status: number
  statusText: string
  headers: [string, string][]
  url: string
  redirected: boolean
}

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304])
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308])
const REASON_PHRASE = /^[\t\u0020-\u007E\u0080-\u00FF]*$/

type UrlClass = new (input: string, base?: string) => { href: string }
const illegalInvocation = (): TypeError => new TypeError('Illegal invocation')

let isResponse: (value: unknown) => value is Response
let responseBody: (response: Response) => Body | null
let responseHeaders: (response: Response) => Headers
let initialize: (response: Response, init: unknown, extracted: { body: Body; type: string | null } | null) => void
let setState: (response: Response, state: { type?: ResponseType; status?: number; statusText?: string; url?: string; redirected?: boolean; body?: Body | null; headers?: Headers }) => void

export class Response {
  #type: ResponseType = 'default'
  #status = 200
  #statusText = ''
  #headers = new Headers()
  #body: Body | null = null
  #url = ''
  #redirected = false

  static {
    isResponse = (value): value is Response => typeof value === 'object' && value !== null && #body in value
    responseBody = (response) => response.#body
    responseHeaders = (response) => response.#headers
    initialize = (response, init, extracted) => {
      const { headers, status, statusText } = dictionary<ResponseInit>(init, 'undefined')
      // The dictionary's members in WebIDL order: headers, status, statusText.
      const headerList = headers === undefined || headers === null ? undefined : new Headers(headers)
      const code = status === undefined ? 200 : unsignedShort(status)
      const text = statusText === undefined ? '' : byteString(statusText, 'ResponseInit', 'statusText')
      if (code < 200 || code > 599) throw new RangeError('init["status"] must be in the range of 200 to 599, inclusive.')
      if (!REASON_PHRASE.test(text)) throw new TypeError('Invalid statusText')
      response.#status = code
      response.#statusText = text
      if (headerList !== undefined) response.#headers = copyHeaders(headerList, 'response')
      else headersGuard(response.#headers, 'response')
      if (extracted === null) return
      if (NULL_BODY_STATUS.has(code)) throw failure('Response constructor', `Invalid response status code ${code}`)
      response.#body = extracted.body
      if (extracted.type !== null && headerValue(response.#headers, 'content-type') === null) {
        appendHeader(response.#headers, 'content-type', extracted.type)
      }
    }
    setState = (response, state) => {
      if (state.type !== undefined) response.#type = state.type
      if (state.status !== undefined) response.#status = state.status
      if (state.statusText !== undefined) response.#statusText = state.statusText
      if (state.url !== undefined) response.#url = state.url
      if (state.redirected !== undefined) response.#redirected = state.redirected
      if (state.body !== undefined) response.#body = state.body
      if (state.headers !== undefined) response.#headers = state.headers
    }
  }

  constructor(body: unknown = null, init: ResponseInit | null = {}) {
    initialize(this, init, body === null ? null : extractBody(body))
  }

  static error(): Response {
    const response = new Response()
    setState(response, { type: 'error', status: 0 })
    headersGuard(response.#headers, 'immutable')
    return response
  }

  static json(data: unknown, init: ResponseInit | null = {}): Response {
    const text = JSON.stringify(data)
    if (text === undefined) throw new TypeError('Value is not JSON serializable')
    const response = new Response()
    initialize(response, init, { body: extractBody(text).body, type: 'application/json' })
    return response
  }

  static redirect(url: unknown, status: unknown = 302): Response {
    const URL = chunkGlobals<{ URL: UrlClass }>('url').URL
    let parsed: { href: string }
    try {
      parsed = new URL(`${url as string}`)
    } catch (error) {
      throw new TypeError(`Failed to parse URL from ${url as string}`, { cause: error })
    }
    const code = unsignedShort(status)
    if (!REDIRECT_STATUS.has(code)) throw new RangeError(`Invalid status code ${code}`)
    const response = new Response()
    response.#status = code
    appendHeader(response.#headers, 'location', parsed.href)
    headersGuard(response.#headers, 'immutable')
    return response
  }

  get type(): ResponseType {
    if (!isResponse(this)) throw illegalInvocation()
    return this.#type
  }

  get url(): string {
    if (!isResponse(this)) throw illegalInvocation()
    return this.#url
  }

  get redirected(): boolean {
    if (!isResponse(this)) throw illegalInvocation()
    return this.#redirected
  }

  get status(): number {
    if (!isResponse(this)) throw illegalInvocation()
    return this.#status
  }

  get ok(): boolean {
    if (!isResponse(this)) throw illegalInvocation()
    return this.#status >= 200 && this.#status <= 299
  }

  get statusText(): string {
    if (!isResponse(this)) throw illegalInvocation()
    return this.#statusText
  }

  get headers(): Headers {
    if (!isResponse(this)) throw illegalInvocation()
    return this.#headers
  }

  get body(): ReadableStreamLike | null {
    if (!isResponse(this)) throw illegalInvocation()
    return bodyStream(this.#body)
  }

  get bodyUsed(): boolean {
    if (!isResponse(this)) throw illegalInvocation()
    return bodyUsed(this.#body)
  }

  clone(): Response {
    if (!isResponse(this)) throw illegalInvocation()
    if (bodyUnusable(this.#body)) throw failure('Response.clone', 'Body has already been consumed.')
    const clone = new Response()
    clone.#type = this.#type
    clone.#status = this.#status
    clone.#statusText = this.#statusText
    clone.#url = this.#url
    clone.#redirected = this.#redirected
    clone.#headers = copyHeaders(this.#headers)
    clone.#body = this.#body === null ? null : cloneBody(this.#body)
    return clone
  }

  blob(): ReturnType<typeof bodyMethods.blob> {
    return isResponse(this) ? bodyMethods.blob(this.#body, this.#headers) : Promise.reject(illegalInvocation())
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return isResponse(this) ? bodyMethods.arrayBuffer(this.#body) : Promise.reject(illegalInvocation())
  }

  text(): Promise<string> {
    return isResponse(this) ? bodyMethods.text(this.#body) : Promise.reject(illegalInvocation())
  }

  json(): Promise<unknown> {
    return isResponse(this) ? bodyMethods.json(this.#body) : Promise.reject(illegalInvocation())
  }

  formData(): ReturnType<typeof bodyMethods.formData> {
    return isResponse(this) ? bodyMethods.formData(this.#body, this.#headers) : Promise.reject(illegalInvocation())
  }

  bytes(): Promise<Uint8Array> {
    return isResponse(this) ? bodyMethods.bytes(this.#body) : Promise.reject(illegalInvocation())
  }
}

brand(Response, 'Response', function inspectResponse(this: Response, _depth, options, inspect) {
  const properties = {
    status: this.status,
    statusText: this.statusText,
    headers: this.headers,
    body: this.body,
    bodyUsed: this.bodyUsed,
    ok: this.ok,
    redirected: this.redirected,
    type: this.type,
    url: this.url,
  }
  return inspectFlat('Response', properties, options, inspect)
})

/**
 * A Response as fetch returns it: type 'basic', the headers as received (immutable), the final
 * URL and whether a redirect led there. `body` is the content already read or a stream of it.
 */
export function createFetchedResponse(body: ReadableStreamLike | Uint8Array | null, init: FetchedResponseInit): Response {
  const response = new Response()
  const headers = new Headers()
  for (const [name, value] of init.headers) appendHeader(headers, name, value)
  headersGuard(headers, 'immutable')
  setState(response, {
    type: 'basic',
    status: init.status,
    statusText: init.statusText,
    url: init.url,
    redirected: init.redirected,
    headers,
    body: body === null ? null : body instanceof Uint8Array ? bytesBody(body) : streamBody(body),
  })
  return response
}

export { isResponse, responseBody, responseHeaders }
