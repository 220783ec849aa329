/**
 * The `TextDecoder` class: label and option handling, the `fatal` / `ignoreBOM` / `{ stream }`
 * semantics, and the choice between the native UTF-8 fast path and the exact state machines.
 */
import { codesToString } from '../string-utils.js'
import type { Decoder } from './decoder.js'
import { encodingForLabel, type EncodingName } from './labels.js'
import { brandClass, errorWithCode, invalidData, toBytes, type BufferSourceLike, type InspectFn } from './node-compat.js'
import { Utf16Decoder } from './utf16-decoder.js'
import { Utf8Decoder, fastUtf8 } from './utf8-decoder.js'
import { decodeWindows1252 } from './windows-1252.js'

interface TextDecoderOptions {
  fatal?: boolean
  ignoreBOM?: boolean
}

interface TextDecodeOptions {
  stream?: boolean
}

export class TextDecoder {
  static {
    brandClass(this, 'TextDecoder', function (this: TextDecoder, depth: unknown, options: unknown, inspect: InspectFn) {
      if (typeof depth === 'number' && depth < 0) return this
      return `TextDecoder ${inspect({ encoding: this.encoding, fatal: this.fatal, ignoreBOM: this.ignoreBOM })}`
    })
  }

  readonly #encoding: EncodingName
  readonly #fatal: boolean
  readonly #ignoreBOM: boolean
  readonly #decoder: Decoder
  #bomSeen = false
  #streaming = false

  constructor(label: unknown = 'utf-8', options: TextDecoderOptions | null | undefined = {}) {
    const encoding = encodingForLabel(String(label))
    if (encoding === undefined) {
      throw errorWithCode(
        new RangeError(`The "${String(label)}" encoding is not supported`),
        'ERR_ENCODING_NOT_SUPPORTED',
      )
    }
    if (options !== null && options !== undefined && typeof options !== 'object' && typeof options !== 'function') {
      throw errorWithCode(new TypeError('The "options" argument must be of type object.'), 'ERR_INVALID_ARG_TYPE')
    }
    this.#encoding = encoding
    this.#fatal = Boolean(options?.fatal)
    this.#ignoreBOM = Boolean(options?.ignoreBOM)
    // windows-1252 is stateless and decoded inline in decode(); UTF-16 never takes the UTF-8 path.
    this.#decoder = encoding === 'utf-8' || encoding === 'windows-1252' ? new Utf8Decoder() : new Utf16Decoder(encoding === 'utf-16be')
  }

  get encoding(): string {
    return this.#encoding
  }

  get fatal(): boolean {
    return this.#fatal
  }

  get ignoreBOM(): boolean {
    return this.#ignoreBOM
  }

  decode(input?: BufferSourceLike | null, options: TextDecodeOptions | null | undefined = {}): string {
    const bytes = input === undefined ? new Uint8Array(0) : toBytes(input)
    const stream = Boolean(options?.stream)
    if (!this.#streaming) {
      // A new decode sequence starts: fresh decoder state.
      this.#decoder.reset()
      this.#bomSeen = false
    }
    this.#streaming = stream

    let bytesLeft = bytes
    let prefix = ''
    if (this.#encoding === 'utf-8') {
      const decoder = this.#decoder as Utf8Decoder
      if (!decoder.idle() && bytes.length > 0) {
        // Finish the sequence left over from the previous chunk with the state machine.
        const take = Math.min(decoder.pendingBytes(), bytes.length)
        const out = new Uint16Array(4)
        const n = decoder.decode(bytes.subarray(0, take), out, false, this.#fatal)
        if (n < 0) return this.#fail()
        prefix = codesToString(out, 0, n)
        bytesLeft = bytes.subarray(take)
      }
      if (decoder.idle()) {
        const fast = fastUtf8(bytesLeft, stream)
        if (fast !== undefined) {
          let [text, consumed] = fast
          if (consumed < bytesLeft.length) {
            // The held-back tail (at most 3 bytes) goes through the state machine: usually it just
            // stays pending for the next call, but it may also be invalid already.
            const out = new Uint16Array(8)
            const n = decoder.decode(bytesLeft.subarray(consumed), out, false, this.#fatal)
            if (n < 0) return this.#fail()
            text += codesToString(out, 0, n)
          }
          return this.#finish(prefix + text, stream)
        }
      }
    } else if (this.#encoding === 'windows-1252') {
      return decodeWindows1252(bytes)
    }

    const out = new Uint16Array(this.#decoder.maxUnits(bytesLeft.length))
    const n = this.#decoder.decode(bytesLeft, out, !stream, this.#fatal)
    if (n < 0) return this.#fail()
    return this.#finish(prefix + codesToString(out, 0, n), stream)
  }

  /** Applies BOM handling to a decoded chunk and ends the decode sequence unless streaming. */
  #finish(text: string, stream: boolean): string {
    let result = text
    if (!this.#ignoreBOM && !this.#bomSeen && result.length > 0 && this.#encoding !== 'windows-1252') {
      this.#bomSeen = true
      if (result.charCodeAt(0) === 0xfeff) result = result.slice(1)
    }
    if (!stream) this.#bomSeen = false
    return result
  }

  #fail(): never {
    this.#streaming = false
    this.#decoder.reset()
    throw invalidData(this.#encoding)
  }
}
