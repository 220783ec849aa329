import { HOST_IO_KEY, type HostIo } from '../host-io.js'
import { streamClasses } from './body-stream.js'
import { Request, takeRequestBody } from './request.js'
import { createFetchedResponse, type Response } from './response.js'

/**
 * `fetch` in the guest: the request is made by the host (src/egress/host-fetch.ts, undici, under
 * the function's egress policy) and its response comes back as host I/O events. Small bodies
 * arrive whole with the head; larger ones stream into a ReadableStream. Failures are
 * `TypeError: fetch failed` with the reason as `cause` (code ERR_EGRESS_DENIED, ECONNREFUSED,
 * ETIMEDOUT …), as in Node; an aborted signal rejects with the signal's reason.
 */

interface FetchHead {
  status: number
  statusText: string
  headers: [string, string][]
  url: string
  redirected: boolean
}

interface Failure {
  message: string
  code: string
}

interface Signal {
  readonly aborted: boolean
  readonly reason: unknown
  throwIfAborted(): void
  addEventListener(type: 'abort', listener: () => void, options?: { once: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

interface StreamController {
  enqueue(chunk: Uint8Array): void
  close(): void
  error(reason: unknown): void
}

function fetchFailed(failure: Failure): TypeError {
  const cause = Object.assign(new Error(failure.message), { code: failure.code })
  return Object.assign(new TypeError('fetch failed'), { cause })
}

export function createFetch(global: Record<string | symbol, unknown>): (input: unknown, init?: unknown) => Promise<Response> {
  const io = () => global[Symbol.for(HOST_IO_KEY)] as HostIo
  return async function fetch(input: unknown, init?: unknown): Promise<Response> {
    const request = new Request(input as ConstructorParameters<typeof Request>[0], init as ConstructorParameters<typeof Request>[1])
    const signal = request.signal as unknown as Signal
    signal.throwIfAborted()
    const body = await takeRequestBody(request)
    signal.throwIfAborted()
    const description = JSON.stringify({ method: request.method, url: request.url, headers: [...request.headers], redirect: request.redirect })
    return new Promise<Response>((resolve, reject) => {
      let stream: StreamController | undefined
      let settled = false
      const onAbort = () => {
        io().cancel(id)
        if (!settled) reject(signal.reason)
        stream?.error(signal.reason)
      }
      const done = () => signal.removeEventListener('abort', onAbort)
      const bytes = body === null ? undefined : (body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer)
      const id = io().fetch(description, bytes, (kind, text, data) => {
        switch (kind) {
          case 'head': {
            const head = JSON.parse(text ?? '{}') as FetchHead
            settled = true
            if (data !== undefined) {
              done()
              resolve(createFetchedResponse(new Uint8Array(data), head))
              return
            }
            const readable = new (streamClasses().ReadableStream)({
              start: (controller: StreamController) => {
                stream = controller
              },
              cancel: () => {
                done()
                io().cancel(id)
              },
            })
            resolve(createFetchedResponse(readable, head))
            return
          }
          case 'chunk':
            if (data !== undefined) stream?.enqueue(new Uint8Array(data))
            return
          case 'end':
            done()
            stream?.close()
            return
          case 'error': {
            done()
            const error = fetchFailed(JSON.parse(text ?? '{}') as Failure)
            if (!settled) reject(error)
            else stream?.error(error)
            settled = true
          }
        }
      })
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }
}
