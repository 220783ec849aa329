/**
 * WHATWG Streams for the guest: `web-streams-polyfill` 4 (its ES2018 ponyfill entry, built from the
 * spec's reference implementation and tested against WPT; ~65 KB, so it is a chunk of its own,
 * evaluated only when a handler really touches a stream). Added here: Node 20's `util.inspect`
 * renderings (`ReadableStream { locked: false, state: 'readable', supportsBYOB: false }`) and
 * `TextEncoderStream` / `TextDecoderStream`, which the package does not have, on top of the
 * guest's TextEncoder / TextDecoder.
 *
 * The polyfill keeps the spec's internal slots as `_`-prefixed properties (`_state`,
 * `_disturbed`, `_backpressure`); the inspect methods and the fetch chunk read them.
 */
import {
  ByteLengthQueuingStrategy,
  CountQueuingStrategy,
  ReadableByteStreamController,
  ReadableStream,
  ReadableStreamBYOBReader,
  ReadableStreamBYOBRequest,
  ReadableStreamDefaultController,
  ReadableStreamDefaultReader,
  TransformStream,
  TransformStreamDefaultController,
  WritableStream,
  WritableStreamDefaultController,
  WritableStreamDefaultWriter,
} from 'web-streams-polyfill'
import { chunkGlobals } from './chunk-loader.js'
import { invalidThis } from './errors.js'
import { brand, customInspect, inspectNested, type InspectFn, type InspectOptions } from './inspect.js'

interface Slots {
  _state: string
  _readableStreamController?: unknown
  _backpressure?: boolean
}

type InspectMethod = (this: never, depth: number | null, options: InspectOptions, inspect: InspectFn) => unknown

function defineInspect(ctor: Function, method: InspectMethod): void {
  Object.defineProperty(ctor.prototype, customInspect, { value: method, writable: true, configurable: true })
}

defineInspect(ReadableStream, function inspectReadable(this: ReadableStream & Slots, depth, options, inspect) {
  const properties = { locked: this.locked, state: this._state, supportsBYOB: this._readableStreamController instanceof ReadableByteStreamController }
  return inspectNested(this, 'ReadableStream', properties, depth, options, inspect)
})
defineInspect(WritableStream, function inspectWritable(this: WritableStream & Slots, depth, options, inspect) {
  return inspectNested(this, 'WritableStream', { locked: this.locked, state: this._state }, depth, options, inspect)
})
defineInspect(TransformStream, function inspectTransform(this: TransformStream & Slots, depth, options, inspect) {
  const properties = { readable: this.readable, writable: this.writable, backpressure: this._backpressure }
  return inspectNested(this, 'TransformStream', properties, depth, options, inspect)
})

interface TextCodecs {
  TextEncoder: new () => { encode(input: string): Uint8Array }
  TextDecoder: new (label?: string, options?: object) => {
    readonly encoding: string
    readonly fatal: boolean
    readonly ignoreBOM: boolean
    decode(input?: unknown, options?: { stream: boolean }): string
  }
}

const codecs = (): TextCodecs => chunkGlobals<TextCodecs>('text-encoding')

/**
 * Encodes a stream of strings as UTF-8. A high surrogate at the end of one chunk waits for the
 * next (it may start a pair); one left at the end becomes U+FFFD.
 */
export class TextEncoderStream {
  #transform: TransformStream<string, Uint8Array>

  constructor() {
    const encoder = new (codecs().TextEncoder)()
    let pending = ''
    this.#transform = new TransformStream<string, Uint8Array>({
      transform(chunk, controller) {
        let text = pending + String(chunk)
        pending = ''
        const last = text.charCodeAt(text.length - 1)
        if (last >= 0xd800 && last <= 0xdbff) {
          pending = text.slice(-1)
          text = text.slice(0, -1)
        }
        if (text !== '') controller.enqueue(encoder.encode(text))
      },
      flush(controller) {
        if (pending !== '') controller.enqueue(new Uint8Array([0xef, 0xbf, 0xbd]))
      },
    })
  }

  get encoding(): string {
    if (!(#transform in this)) throw invalidThis('TextEncoderStream')
    return 'utf-8'
  }

  get readable(): ReadableStream<Uint8Array> {
    if (!(#transform in this)) throw invalidThis('TextEncoderStream')
    return this.#transform.readable
  }

  get writable(): WritableStream<string> {
    if (!(#transform in this)) throw invalidThis('TextEncoderStream')
    return this.#transform.writable
  }
}

brand(TextEncoderStream, 'TextEncoderStream', function inspectEncoderStream(this: TextEncoderStream, depth, options, inspect) {
  return inspectNested(this, 'TextEncoderStream', { encoding: this.encoding, readable: this.readable, writable: this.writable }, depth, options, inspect)
})

/** Decodes a stream of byte chunks with a TextDecoder in streaming mode (labels and options as TextDecoder's). */
export class TextDecoderStream {
  #transform: TransformStream<unknown, string>
  #decoder: InstanceType<TextCodecs['TextDecoder']>

  constructor(label = 'utf-8', options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    const decoder = new (codecs().TextDecoder)(label, options)
    this.#decoder = decoder
    this.#transform = new TransformStream<unknown, string>({
      transform(chunk, controller) {
        const text = decoder.decode(chunk, { stream: true })
        if (text !== '') controller.enqueue(text)
      },
      flush(controller) {
        const text = decoder.decode()
        if (text !== '') controller.enqueue(text)
      },
    })
  }

  get encoding(): string {
    if (!(#transform in this)) throw invalidThis('TextDecoderStream')
    return this.#decoder.encoding
  }

  get fatal(): boolean {
    if (!(#transform in this)) throw invalidThis('TextDecoderStream')
    return this.#decoder.fatal
  }

  get ignoreBOM(): boolean {
    if (!(#transform in this)) throw invalidThis('TextDecoderStream')
    return this.#decoder.ignoreBOM
  }

  get readable(): ReadableStream<string> {
    if (!(#transform in this)) throw invalidThis('TextDecoderStream')
    return this.#transform.readable
  }

  get writable(): WritableStream<unknown> {
    if (!(#transform in this)) throw invalidThis('TextDecoderStream')
    return this.#transform.writable
  }
}

brand(TextDecoderStream, 'TextDecoderStream', function inspectDecoderStream(this: TextDecoderStream, depth, options, inspect) {
  const properties = { encoding: this.encoding, fatal: this.fatal, ignoreBOM: this.ignoreBOM, readable: this.readable, writable: this.writable }
  return inspectNested(this, 'TextDecoderStream', properties, depth, options, inspect)
})

export const STREAM_GLOBALS = {
  ReadableStream,
  ReadableStreamDefaultReader,
  ReadableStreamBYOBReader,
  ReadableStreamBYOBRequest,
  ReadableByteStreamController,
  ReadableStreamDefaultController,
  TransformStream,
  TransformStreamDefaultController,
  WritableStream,
  WritableStreamDefaultWriter,
  WritableStreamDefaultController,
  ByteLengthQueuingStrategy,
  CountQueuingStrategy,
  TextEncoderStream,
  TextDecoderStream,
}
