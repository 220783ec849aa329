import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isThawError, toFunctionError, type FunctionError } from '../src/errors.js'
import { readBodyUpTo } from './http-body.js'
import { MAX_RESPONSE_BYTES, type Invocation, type RuntimeApiSession } from './session.js'

/**
 * The Runtime API (2018-06-01) over HTTP: what a process runtime (a `bootstrap`, the Node
 * runtime interface client) talks to at `AWS_LAMBDA_RUNTIME_API`. One server serves one
 * RuntimeApiSession, as one Lambda execution environment has one runtime API endpoint.
 *
 * This module only translates HTTP to session calls and session refusals back to Lambda's
 * status codes and `{"errorMessage","errorType"}` bodies; every rule lives in the session, so an
 * HTTP runtime and the in-process QuickJS runtime get the same answers.
 */

const PREFIX = '/2018-06-01/runtime/'
const ERROR_TYPE_HEADER = 'lambda-runtime-function-error-type'
const RESPONSE_MODE_HEADER = 'lambda-runtime-function-response-mode'
const JSON_TYPE = 'application/json'

export interface RuntimeApiServerOptions {
  /** Loopback by default: the Runtime API is for the runtime beside it, never the network. */
  readonly host?: string
  /** 0 (the default) lets the OS pick a free port. */
  readonly port?: number
}

type Route =
  | { readonly kind: 'next' }
  | { readonly kind: 'response' | 'error'; readonly requestId: string }
  | { readonly kind: 'init-error' | 'restore-next' | 'restore-error' }

/** Start one with `startRuntimeApiServer`. */
export class RuntimeApiHttpServer {
  readonly #session: RuntimeApiSession
  readonly #server: Server
  /** Long polls (`next`, `restore/next`) with nothing to answer yet. */
  readonly #parked = new Set<ServerResponse>()
  #activeRequests = 0
  #closing: Promise<void> | undefined

  /** @internal use startRuntimeApiServer */
  constructor(session: RuntimeApiSession, server: Server) {
    this.#session = session
    this.#server = server
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      this.#activeRequests += 1
      response.on('close', () => {
        this.#activeRequests -= 1
        this.#parked.delete(response)
        // Draining: a keep-alive connection that just finished its last request is idle now.
        if (this.#closing !== undefined) this.#server.closeIdleConnections()
      })
      this.#handle(request, response).catch((error: unknown) => {
        sendError(response, 500, 'InternalServerError', error instanceof Error ? error.message : String(error))
      })
    })
  }

  /** `host:port`, the value of AWS_LAMBDA_RUNTIME_API (no scheme, as Lambda sets it). */
  get address(): string {
    const { address, port } = this.#server.address() as AddressInfo
    return `${address.includes(':') ? `[${address}]` : address}:${port}`
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port
  }

  /**
   * Stops accepting connections and lets requests in progress finish (a response being posted
   * still gets its 202). A long poll still waiting is answered 500 InternalServerError, which
   * tells a runtime to exit: the environment is going away and nothing will be delivered.
   */
  close(): Promise<void> {
    const closed = this.#stopListening()
    for (const response of [...this.#parked]) {
      sendError(response, 500, 'InternalServerError', 'The execution environment is shutting down')
    }
    this.#server.closeIdleConnections()
    return closed
  }

  /** Closes at once: every connection is cut, long polls and requests in progress included. */
  destroy(): Promise<void> {
    const closed = this.#stopListening()
    this.#parked.clear()
    this.#server.closeAllConnections()
    return closed
  }

  #stopListening(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#server.close(() => resolve())
    })
    return this.#closing
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { route, allow } = matchRoute(request.url ?? '/')
    if (route === undefined) {
      request.resume()
      sendError(response, 404, 'NotFound', `No Runtime API resource at ${request.method ?? ''} ${request.url ?? ''}`)
      return
    }
    if (request.method !== allow) {
      request.resume()
      response.setHeader('allow', allow)
      sendError(response, 405, 'MethodNotAllowed', `${request.method ?? ''} is not allowed here; use ${allow}`)
      return
    }
    try {
      switch (route.kind) {
        case 'next':
          this.#next(response)
          return
        case 'restore-next':
          this.#restoreNext(response)
          return
        case 'response':
          await this.#response(request, response, route.requestId)
          return
        case 'error': {
          const posted = await this.#postedError(request, response)
          if (posted === undefined) return
          this.#session.error(route.requestId, posted.error, posted.body, posted.errorTypeHeader)
          break
        }
        case 'init-error':
        case 'restore-error': {
          const posted = await this.#postedError(request, response)
          if (posted === undefined) return
          if (route.kind === 'init-error') this.#session.initError(posted.error, posted.errorTypeHeader)
          else this.#session.restoreError(posted.error, posted.errorTypeHeader)
          break
        }
      }
      sendJson(response, 202, { status: 'OK' })
    } catch (error) {
      if (!isThawError(error)) throw error
      sendError(response, error.httpStatus, error.errorType, error.message)
    }
  }

  #next(response: ServerResponse): void {
    this.#parked.add(response)
    try {
      this.#session.next((invocation) => {
        this.#parked.delete(response)
        // A runtime that hung up while parked loses this invocation; the deadline ends it.
        if (response.destroyed) return
        const body = Buffer.from(invocation.payload)
        response.writeHead(200, { ...nextHeaders(invocation), 'content-type': JSON_TYPE, 'content-length': body.length })
        response.end(body)
      })
    } catch (error) {
      this.#parked.delete(response)
      throw error
    }
  }

  #restoreNext(response: ServerResponse): void {
    this.#parked.add(response)
    try {
      this.#session.restoreNext(() => {
        this.#parked.delete(response)
        if (!response.destroyed) sendJson(response, 200, { status: 'OK' })
      })
    } catch (error) {
      this.#parked.delete(response)
      throw error
    }
  }

  async #response(request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void> {
    const mode = request.headers[RESPONSE_MODE_HEADER]
    if (mode !== undefined && mode !== 'streaming') {
      request.resume()
      // Lambda fails the invocation too; `error` also checks the request id and state first.
      this.#session.error(requestId, {
        errorType: 'Runtime.InvalidResponseModeHeader',
        errorMessage: `Invalid Lambda-Runtime-Function-Response-Mode: ${String(mode)}`,
        trace: [],
      }, '')
      sendError(response, 400, 'InvalidFunctionResponseMode', `Unsupported response mode: ${String(mode)}`)
      return
    }
    const body = await readBodyUpTo(request, MAX_RESPONSE_BYTES)
    if (body.sizeBytes > MAX_RESPONSE_BYTES) this.#session.respondTooLarge(requestId, body.sizeBytes)
    // A streamed response is buffered whole (the caller of a buffered invoke gets it that way);
    // a mid-stream failure arrives as trailers.
    const streamedError = mode === 'streaming' ? errorFromTrailers(request) : undefined
    if (streamedError !== undefined) {
      this.#session.error(requestId, streamedError.error, streamedError.body, streamedError.errorTypeHeader)
    } else {
      this.#session.respond(requestId, body.bytes)
    }
    sendJson(response, 202, { status: 'OK' })
  }

  /** The error a runtime posted, or undefined once a 413 has been sent for an oversized one. */
  async #postedError(request: IncomingMessage, response: ServerResponse): Promise<PostedError | undefined> {
    const body = await readBodyUpTo(request, MAX_RESPONSE_BYTES)
    if (body.sizeBytes > MAX_RESPONSE_BYTES) {
      sendError(response, 413, 'RequestEntityTooLarge', `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`)
      return undefined
    }
    // Error bodies are Lambda's error JSON: text.
    return postedError(body.bytes.toString('utf8'), headerValue(request.headers[ERROR_TYPE_HEADER]))
  }
}

/** Listens on 127.0.0.1 (by default) and serves `session` until closed. */
export async function startRuntimeApiServer(
  session: RuntimeApiSession,
  options: RuntimeApiServerOptions = {},
): Promise<RuntimeApiHttpServer> {
  // `next` blocks for as long as no invocation comes: no request or socket timeout may cut it.
  const server = createServer({ requestTimeout: 0, keepAliveTimeout: 60_000 })
  server.timeout = 0
  const runtimeApi = new RuntimeApiHttpServer(session, server)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  return runtimeApi
}

function matchRoute(url: string): { route?: Route; allow: 'GET' | 'POST' } {
  const path = url.split('?', 1)[0] ?? ''
  if (!path.startsWith(PREFIX)) return { allow: 'GET' }
  const rest = path.slice(PREFIX.length)
  switch (rest) {
    case 'invocation/next':
      return { route: { kind: 'next' }, allow: 'GET' }
    case 'init/error':
      return { route: { kind: 'init-error' }, allow: 'POST' }
    case 'restore/next':
      return { route: { kind: 'restore-next' }, allow: 'GET' }
    case 'restore/error':
      return { route: { kind: 'restore-error' }, allow: 'POST' }
  }
  const match = /^invocation\/([^/]+)\/(response|error)$/.exec(rest)
  if (match === null) return { allow: 'GET' }
  let requestId: string
  try {
    requestId = decodeURIComponent(match[1] ?? '')
  } catch {
    requestId = match[1] ?? ''
  }
  return { route: { kind: match[2] === 'response' ? 'response' : 'error', requestId }, allow: 'POST' }
}

function nextHeaders(invocation: Invocation): Record<string, string> {
  const headers: Record<string, string> = {
    'lambda-runtime-aws-request-id': invocation.requestId,
    'lambda-runtime-deadline-ms': String(invocation.deadlineMs),
    'lambda-runtime-invoked-function-arn': invocation.invokedFunctionArn,
  }
  const optional = {
    'lambda-runtime-trace-id': invocation.traceId,
    'lambda-runtime-client-context': invocation.clientContext,
    'lambda-runtime-cognito-identity': invocation.cognitoIdentity,
    'lambda-runtime-aws-tenant-id': invocation.tenantId,
  }
  for (const [name, value] of Object.entries(optional)) {
    if (value !== undefined) headers[name] = headerSafe(value)
  }
  return headers
}

/**
 * Node writes header strings as latin1 and refuses line breaks. The JSON headers may hold any
 * Unicode: send their UTF-8 bytes (what Lambda puts on the wire), and turn line breaks, which
 * JSON only allows as white space between tokens, into spaces.
 */
function headerSafe(value: string): string {
  return Buffer.from(value.replace(/[\r\n]/g, ' '), 'utf8').toString('latin1')
}

interface PostedError {
  readonly error: FunctionError
  readonly body: string
  readonly errorTypeHeader: string | undefined
}

/**
 * The body goes to the caller unchanged; the FunctionError is read from it as the in-process
 * transport does. A runtime that posts no JSON error (a shell bootstrap with only the header)
 * still gets its header's type recorded.
 */
function postedError(body: string, errorTypeHeader: string | undefined): PostedError {
  let parsed: unknown = body
  try {
    parsed = JSON.parse(body)
  } catch {
    // not JSON: the text itself is the message
  }
  const hasType = parsed !== null && typeof parsed === 'object' && typeof (parsed as { errorType?: unknown }).errorType === 'string'
  const error = toFunctionError(parsed)
  return {
    error: !hasType && errorTypeHeader !== undefined ? { ...error, errorType: errorTypeHeader } : error,
    body,
    errorTypeHeader,
  }
}

/** `Lambda-Runtime-Function-Error-Type` and `-Body` (base64 JSON), sent as trailers of a stream. */
function errorFromTrailers(request: IncomingMessage): PostedError | undefined {
  const type = headerValue(request.trailers[ERROR_TYPE_HEADER])
  if (type === undefined) return undefined
  const encoded = headerValue(request.trailers['lambda-runtime-function-error-body'])
  const body = encoded === undefined ? JSON.stringify({ errorType: type, errorMessage: '' }) : Buffer.from(encoded, 'base64').toString('utf8')
  return postedError(body, type)
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  if (response.headersSent || response.destroyed) return
  const body = JSON.stringify(value)
  response.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) })
  response.end(body)
}

function sendError(response: ServerResponse, status: number, errorType: string, errorMessage: string): void {
  sendJson(response, status, { errorMessage, errorType })
}
