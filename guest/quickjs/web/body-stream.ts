/**
 * ReadableStreams over bytes the guest already holds (a Blob's, a Response's), created only when a
 * handler asks for one: the "streams" chunk is loaded then, not before.
 */
import { loadChunk } from './chunk-loader.js'

export interface StreamClasses {
  ReadableStream: typeof ReadableStreamLike
}

/** The part of the polyfill's ReadableStream (and its spec slots) the fetch classes use. */
export declare class ReadableStreamLike {
  constructor(source?: object, strategy?: object)
  readonly locked: boolean
  getReader(): { read(): Promise<{ done: boolean; value?: unknown }>; releaseLock(): void; cancel(reason?: unknown): Promise<void> }
  tee(): [ReadableStreamLike, ReadableStreamLike]
  cancel(reason?: unknown): Promise<void>
  static from(iterable: unknown): ReadableStreamLike
  _disturbed?: boolean
  _state?: string
}

export const streamClasses = (): StreamClasses => loadChunk<StreamClasses>('streams')

/**
 * Whether `value` is a ReadableStream. Its shape is looked at first, so that a body that is not a
 * stream never loads the streams chunk.
 */
export function isReadableStream(value: unknown): value is ReadableStreamLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { getReader?: unknown }).getReader === 'function' &&
    '_readableStreamController' in value &&
    value instanceof streamClasses().ReadableStream
  )
}

/** The spec's "disturbed": read from or cancelled (the polyfill keeps the slot as `_disturbed`). */
export function isDisturbed(stream: ReadableStreamLike): boolean {
  return stream._disturbed === true
}

/**
 * A byte stream (`supportsBYOB`, as Node's bodies are) that yields `bytes()` on the first read.
 * The bytes are produced at the first pull, so a stream nobody reads costs nothing more. The
 * stream takes the chunk's whole ArrayBuffer (byte streams transfer it): `bytes` must return a
 * Uint8Array nobody else holds.
 */
export function bytesStream(bytes: () => Uint8Array): ReadableStreamLike {
  return new (streamClasses().ReadableStream)({
    type: 'bytes',
    pull(controller: { enqueue(chunk: Uint8Array): void; close(): void; byobRequest?: unknown }) {
      const chunk = bytes()
      if (chunk.byteLength > 0) controller.enqueue(chunk)
      controller.close()
      // A BYOB read waiting on an empty body must be answered too.
      ;(controller.byobRequest as { respond(n: number): void } | null | undefined)?.respond(0)
    },
  }, { highWaterMark: 0 })
}
