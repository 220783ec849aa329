/**
 * The Fetch Standard's body and Body mixin, shared by Request and Response, with undici's rules
 * and messages (Node 20).
 *
 * Lazy streams: a body made from a string, bytes, a Blob, URLSearchParams or FormData keeps that
 * content (`source`) and becomes a ReadableStream only when a handler reads `.body`; `text()`,
 * `json()`, `arrayBuffer()`… take the content directly. So a handler (or hono's Lambda adapter)
 * that only calls `text()` never loads the streams chunk, and a string body is never encoded to
 * be decoded again. Once `.body` has been read the stream is the body, as the spec has it.
 * A body given as a ReadableStream or an async iterable is a stream from the start.
 */
import type * as BlobChunk from '../chunks/blob.js'
import type { Blob } from './blob.js'
import { bytesStream, isDisturbed, isReadableStream, streamClasses, type ReadableStreamLike } from './body-stream.js'
import { concatBytes, copyBufferSource, toArrayBuffer, utf8Decode, utf8Encode } from './bytes.js'
import { chunkGlobals, loadChunk } from './chunk-loader.js'
import type { FormData } from './form-data.js'
import { headerValue, type Headers } from './headers.js'
import { parseMimeType, serializeMimeType } from './mime.js'

export interface Body {
  /** The content while no stream exists (shared by clones: never handed out without a copy). */
  source: string | Uint8Array | null
  stream: ReadableStreamLike | null
  /** Consumed without ever becoming a stream. */
  used: boolean
}

interface UrlClasses {
  URLSearchParams: new (init?: string) => Iterable<[string, string]> & { toString(): string }
}

/**
 * Streams `.body` made from content still held, while nobody has read them. Frameworks re-wrap
 * responses (`new Response(res.body, res)`: hono does it for every header set after the handler);
 * such a body takes the content over instead of pumping it through a stream (~3x cheaper).
 */
const lazyStreamSources = new WeakMap<ReadableStreamLike, string | Uint8Array>()

/** Blob, File, FormData and multipart/form-data: the "blob" chunk, loaded when a body needs it. */
const blobs = (): typeof BlobChunk => loadChunk<typeof BlobChunk>('blob')

/** Checked by its tag first: a body that is not a Blob or FormData does not load their chunk. */
function hasTag(value: object, ...tags: string[]): boolean {
  return tags.includes(Object.prototype.toString.call(value).slice(8, -1))
}

function isURLSearchParams(value: object): boolean {
  // Checked by its tag first: a body that is not one does not load the URL chunk.
  return Object.prototype.toString.call(value) === '[object URLSearchParams]' && value instanceof chunkGlobals<UrlClasses>('url').URLSearchParams
}

/** The spec's "extract a body": the body and the Content-Type it implies (or null). */
export function extractBody(object: unknown): { body: Body; type: string | null } {
  const body = (source: string | Uint8Array | null, stream: ReadableStreamLike | null = null): Body => ({ source, stream, used: false })
  if (typeof object === 'string') return { body: body(object), type: 'text/plain;charset=UTF-8' }
  if (typeof object === 'object' && object !== null) {
    const bytes = copyBufferSource(object)
    if (bytes !== undefined) return { body: body(bytes), type: null }
    if (hasTag(object, 'Blob', 'File') && blobs().isBlob(object)) {
      return { body: body(blobs().blobBytes(object)), type: (object as Blob).type || null }
    }
    if (hasTag(object, 'FormData') && blobs().isFormData(object)) {
      const { bytes: serialized, type } = blobs().serializeMultipart(blobs().formDataEntries(object as FormData))
      return { body: body(serialized), type }
    }
    if (isURLSearchParams(object)) return { body: body(String(object)), type: 'application/x-www-form-urlencoded;charset=UTF-8' }
    if (isReadableStream(object)) {
      if (object.locked || isDisturbed(object)) throw new TypeError('Response body object should not be disturbed or locked')
      const held = lazyStreamSources.get(object)
      if (held !== undefined) {
        // The new body owns the content now; the old stream is locked, as it would be once read.
        lazyStreamSources.delete(object)
        object.getReader()
        return { body: body(held), type: null }
      }
      return { body: body(null, object), type: null }
    }
    if (typeof (object as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function') {
      return { body: body(null, streamClasses().ReadableStream.from(object)), type: null }
    }
  }
  return { body: body(`${object as string}`), type: 'text/plain;charset=UTF-8' }
}

/** A body over bytes nobody else holds (fetched from the host). */
export function bytesBody(bytes: Uint8Array): Body {
  return { source: bytes, stream: null, used: false }
}

export function streamBody(stream: ReadableStreamLike): Body {
  return { source: null, stream, used: false }
}

export function bodyUsed(body: Body | null): boolean {
  return body !== null && (body.used || (body.stream !== null && isDisturbed(body.stream)))
}

export function bodyUnusable(body: Body | null): boolean {
  return body !== null && (body.used || (body.stream !== null && (body.stream.locked || isDisturbed(body.stream))))
}

/** A copy of the content as bytes the caller may keep (and a stream may take). */
function sourceBytes(source: string | Uint8Array): Uint8Array {
  return typeof source === 'string' ? utf8Encode(source) : source.slice()
}

/** `.body`: the stream, created on first read from the content still held. */
export function bodyStream(body: Body | null): ReadableStreamLike | null {
  if (body === null) return null
  if (body.stream === null) {
    if (body.used) {
      // Read already, without a stream: what undici leaves behind (closed, locked, disturbed).
      const stream = new (streamClasses().ReadableStream)({ start: (controller: { close(): void }) => controller.close() })
      void stream.getReader().read()
      body.stream = stream
    } else {
      const source = body.source ?? ''
      body.stream = bytesStream(() => sourceBytes(source))
      lazyStreamSources.set(body.stream, source)
    }
  }
  return body.stream
}

/** The spec's "clone a body": a stream is teed, content still held is shared. */
export function cloneBody(body: Body): Body {
  if (body.stream === null) return { source: body.source, stream: null, used: false }
  const [first, second] = body.stream.tee()
  body.stream = first
  return { source: body.source, stream: second, used: false }
}

async function readAll(stream: ReadableStreamLike): Promise<Uint8Array> {
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return chunks.length === 1 ? (chunks[0] as Uint8Array).slice() : concatBytes(chunks)
    if (!(value instanceof Uint8Array)) throw new TypeError('Received non-Uint8Array chunk')
    chunks.push(value)
  }
}

/**
 * Reads the whole body: its content as held (a string stays a string; bytes are shared, so
 * `owned` is false), or the bytes read from its stream (owned).
 */
async function consume(body: Body | null): Promise<{ content: string | Uint8Array; owned: boolean }> {
  if (bodyUnusable(body)) throw new TypeError('Body is unusable: Body has already been read')
  if (body === null) return { content: new Uint8Array(0), owned: true }
  if (body.stream === null) {
    body.used = true
    return { content: body.source ?? '', owned: false }
  }
  return { content: await readAll(body.stream), owned: true }
}

/** Bytes the caller may keep. */
function ownedBytes({ content, owned }: { content: string | Uint8Array; owned: boolean }): Uint8Array {
  return typeof content === 'string' ? utf8Encode(content) : owned ? content : content.slice()
}

/** The MIME type of a request's or response's Content-Type, or null. */
function mimeTypeOf(headers: Headers): ReturnType<typeof parseMimeType> {
  const contentType = headerValue(headers, 'content-type')
  return contentType === null ? null : parseMimeType(contentType)
}

/** The Body mixin's methods over a body and its headers. */
export const bodyMethods = {
  async text(body: Body | null): Promise<string> {
    const { content } = await consume(body)
    return typeof content === 'string' ? content : utf8Decode(content)
  },
  async json(body: Body | null): Promise<unknown> {
    return JSON.parse(await bodyMethods.text(body))
  },
  async arrayBuffer(body: Body | null): Promise<ArrayBuffer> {
    const bytes = ownedBytes(await consume(body))
    // A Uint8Array over a whole buffer of its own gives that buffer, without a copy.
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : toArrayBuffer(bytes)
  },
  async bytes(body: Body | null): Promise<Uint8Array> {
    return ownedBytes(await consume(body))
  },
  async blob(body: Body | null, headers: Headers): Promise<Blob> {
    const bytes = ownedBytes(await consume(body))
    const mime = mimeTypeOf(headers)
    return blobs().createBlob(bytes, mime === null ? '' : blobs().normalizeType(serializeMimeType(mime)))
  },
  async formData(body: Body | null, headers: Headers): Promise<FormData> {
    const { content } = await consume(body)
    const mime = mimeTypeOf(headers)
    if (mime?.essence === 'multipart/form-data') {
      return blobs().formDataFrom(blobs().parseMultipart(typeof content === 'string' ? utf8Encode(content) : content, mime))
    }
    if (mime?.essence === 'application/x-www-form-urlencoded') {
      const text = typeof content === 'string' ? content : utf8Decode(content)
      return blobs().formDataFrom([...new (chunkGlobals<UrlClasses>('url').URLSearchParams)(text)])
    }
    throw new TypeError('Content-Type was not one of "multipart/form-data" or "application/x-www-form-urlencoded".')
  },
}

/** Reads and consumes the whole body as bytes (null for no body): the request body fetch sends. */
export async function consumeBytes(body: Body | null): Promise<Uint8Array | null> {
  if (body === null) return null
  return ownedBytes(await consume(body))
}
