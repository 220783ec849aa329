/**
 * WHATWG Encoding Standard `TextEncoder` / `TextDecoder` for the guest (QuickJS has neither).
 *
 * - TextEncoder: UTF-8 only, as specified. Lone surrogates are encoded as U+FFFD (EF BF BD).
 * - TextDecoder: UTF-8, UTF-16LE, UTF-16BE and windows-1252 (which is what the WHATWG labels
 *   "latin1", "iso-8859-1", "ascii", "us-ascii" … mean). UTF-8 decoding follows the WHATWG
 *   decoder exactly (maximal-subpart U+FFFD replacement), supports `fatal`, `ignoreBOM` and
 *   `{ stream: true }` with multi-byte sequences split across calls.
 *
 * Hand-written (no dependency): the logic is small and performance-sensitive. QuickJS interprets
 * JS loops slowly (~100+ ns per iteration in the wasm build), so the common cases lean on native
 * builtins: strings are built from bytes with chunked `String.fromCharCode.apply`, valid UTF-8 is
 * transcoded by `decodeURIComponent(escape(latin1))` / `unescape(encodeURIComponent(str))`
 * (which reject exactly the inputs the WHATWG algorithms treat as errors), and only invalid input,
 * lone surrogates, UTF-16 and sequences split across streaming chunks run the exact JS state
 * machines below. Measured in QuickJS-wasm: decode ~20 MB/s, encode ~6 MB/s (3-4x the plain loops).
 */
import { codesToString } from './string-utils.js'

type BufferSourceLike = ArrayBuffer | ArrayBufferView

interface TextDecoderOptions {
  fatal?: boolean
  ignoreBOM?: boolean
}

interface TextDecodeOptions {
  stream?: boolean
}

interface EncodeIntoResult {
  read: number
  written: number
}

type EncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'

const REPLACEMENT = 0xfffd

function encodingForLabel(label: string): EncodingName | undefined {
  switch (label.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '').toLowerCase()) {
    case 'unicode-1-1-utf-8':
    case 'unicode-1-1-utf8': // not a WHATWG label, accepted for convenience
    case 'unicode11utf8':
    case 'unicode20utf8':
    case 'utf-8':
    case 'utf8':
    case 'x-unicode20utf8':
      return 'utf-8'
    case 'csunicode':
    case 'iso-10646-ucs-2':
    case 'ucs-2':
    case 'unicode':
    case 'unicodefeff':
    case 'utf-16':
    case 'utf-16le':
      return 'utf-16le'
    case 'unicodefffe':
    case 'utf-16be':
      return 'utf-16be'
    case 'ansi_x3.4-1968':
    case 'ascii':
    case 'cp1252':
    case 'cp819':
    case 'csisolatin1':
    case 'ibm819':
    case 'iso-8859-1':
    case 'iso-ir-100':
    case 'iso8859-1':
    case 'iso88591':
    case 'iso_8859-1':
    case 'iso_8859-1:1987':
    case 'l1':
    case 'latin1':
    case 'us-ascii':
    case 'windows-1252':
    case 'x-cp1252':
      return 'windows-1252'
    default:
      return undefined
  }
}

/** windows-1252 code points for bytes 0x80–0x9F (the rest map to themselves). */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
]

function errorWithCode<E extends Error>(error: E, code: string): E {
  Object.defineProperty(error, 'code', { value: code, writable: true, configurable: true })
  return error
}

function invalidData(encoding: string): TypeError {
  return errorWithCode(
    new TypeError(`The encoded data was not valid for encoding ${encoding}`),
    'ERR_ENCODING_INVALID_ENCODED_DATA',
  )
}

function toBytes(input: unknown): Uint8Array {
  if (input instanceof Uint8Array) return input
  if (input instanceof ArrayBuffer) return new Uint8Array(input)
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
  const SharedArrayBufferCtor = (globalThis as { SharedArrayBuffer?: new (n: number) => ArrayBufferLike })
    .SharedArrayBuffer
  if (SharedArrayBufferCtor !== undefined && input instanceof SharedArrayBufferCtor) {
    return new Uint8Array(input as ArrayBufferLike)
  }
  throw errorWithCode(
    new TypeError(
      'The "input" argument must be an instance of SharedArrayBuffer, ArrayBuffer or ArrayBufferView.',
    ),
    'ERR_INVALID_ARG_TYPE',
  )
}

// ---------------------------------------------------------------------------------------------
// UTF-8 encoding

/** Number of UTF-8 bytes needed for `str` from index `from` on. */
function utf8LengthFrom(str: string, from: number): number {
  let bytes = 0
  const len = str.length
  for (let i = from; i < len; i++) {
    const c = str.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = str.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++
        bytes += 4
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/** Writes `str[from..]` as UTF-8 into `out` at `pos` (which has room for all of it). */
function writeUtf8(str: string, from: number, out: Uint8Array, pos: number): void {
  const len = str.length
  for (let i = from; i < len; i++) {
    let c = str.charCodeAt(i)
    if (c < 0x80) {
      out[pos++] = c
    } else if (c < 0x800) {
      out[pos++] = 0xc0 | (c >> 6)
      out[pos++] = 0x80 | (c & 0x3f)
    } else if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && i + 1 < len) {
        const d = str.charCodeAt(i + 1)
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
          out[pos++] = 0xf0 | (c >> 18)
          out[pos++] = 0x80 | ((c >> 12) & 0x3f)
          out[pos++] = 0x80 | ((c >> 6) & 0x3f)
          out[pos++] = 0x80 | (c & 0x3f)
          continue
        }
      }
      // Lone surrogate: U+FFFD.
      out[pos++] = 0xef
      out[pos++] = 0xbf
      out[pos++] = 0xbd
    } else {
      out[pos++] = 0xe0 | (c >> 12)
      out[pos++] = 0x80 | ((c >> 6) & 0x3f)
      out[pos++] = 0x80 | (c & 0x3f)
    }
  }
}

/** Copies a string of char codes 0–255 into a new byte array (loop unrolled: QuickJS interprets it). */
function binaryStringToBytes(bin: string): Uint8Array {
  const len = bin.length
  const out = new Uint8Array(len)
  let i = 0
  for (const end = len - 3; i < end; i += 4) {
    out[i] = bin.charCodeAt(i)
    out[i + 1] = bin.charCodeAt(i + 1)
    out[i + 2] = bin.charCodeAt(i + 2)
    out[i + 3] = bin.charCodeAt(i + 3)
  }
  for (; i < len; i++) out[i] = bin.charCodeAt(i)
  return out
}

/** Encoder in plain JS: an ASCII pass first, then exact sizing for the rest. */
function encodeUtf8Slow(str: string): Uint8Array {
  const len = str.length
  const ascii = new Uint8Array(len)
  let i = 0
  for (; i < len; i++) {
    const c = str.charCodeAt(i)
    if (c >= 0x80) break
    ascii[i] = c
  }
  if (i === len) return ascii
  const out = new Uint8Array(i + utf8LengthFrom(str, i))
  out.set(ascii.subarray(0, i))
  writeUtf8(str, i, out, i)
  return out
}

function encodeUtf8(str: string): Uint8Array {
  if (str.length < 64) return encodeUtf8Slow(str)
  // Native transcoding (C inside QuickJS) to a byte string, then one tight copy loop: several times
  // faster than encoding char by char in interpreted JS. encodeURIComponent throws on lone
  // surrogates; the JS encoder replaces those with U+FFFD.
  let bin: string
  try {
    bin = unescape(encodeURIComponent(str))
  } catch {
    return encodeUtf8Slow(str)
  }
  return binaryStringToBytes(bin)
}

function encodeUtf8Into(str: string, dest: Uint8Array): EncodeIntoResult {
  const len = str.length
  const cap = dest.length
  let read = 0
  let pos = 0
  for (; read < len; read++) {
    let c = str.charCodeAt(read)
    if (c < 0x80) {
      if (pos >= cap) break
      dest[pos++] = c
    } else if (c < 0x800) {
      if (pos + 2 > cap) break
      dest[pos++] = 0xc0 | (c >> 6)
      dest[pos++] = 0x80 | (c & 0x3f)
    } else {
      if (c >= 0xd800 && c <= 0xdbff && read + 1 < len) {
        const d = str.charCodeAt(read + 1)
        if (d >= 0xdc00 && d <= 0xdfff) {
          if (pos + 4 > cap) break
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
          dest[pos++] = 0xf0 | (c >> 18)
          dest[pos++] = 0x80 | ((c >> 12) & 0x3f)
          dest[pos++] = 0x80 | ((c >> 6) & 0x3f)
          dest[pos++] = 0x80 | (c & 0x3f)
          read++
          continue
        }
      }
      if (pos + 3 > cap) break
      if (c >= 0xd800 && c <= 0xdfff) c = REPLACEMENT
      dest[pos++] = 0xe0 | (c >> 12)
      dest[pos++] = 0x80 | ((c >> 6) & 0x3f)
      dest[pos++] = 0x80 | (c & 0x3f)
    }
  }
  return { read, written: pos }
}

// ---------------------------------------------------------------------------------------------
// Decoders (exact WHATWG state machines). Each decodes a chunk into UTF-16 code units in `out` and
// returns how many it wrote, or -1 on an error when fatal. They keep partial state between
// streaming calls.

interface Decoder {
  /** Decodes `bytes`; `flush` means end of stream. Returns code units written to `out`, -1 on fatal error. */
  decode(bytes: Uint8Array, out: Uint16Array, flush: boolean, fatal: boolean): number
  /** Upper bound of code units `decode` may produce for `byteLength` more bytes. */
  maxUnits(byteLength: number): number
  /** True when no partial sequence is pending. */
  idle(): boolean
  reset(): void
}

class Utf8Decoder implements Decoder {
  private codePoint = 0
  private bytesSeen = 0
  private bytesNeeded = 0
  private lower = 0x80
  private upper = 0xbf

  maxUnits(byteLength: number): number {
    return byteLength + this.bytesSeen + 2
  }

  idle(): boolean {
    return this.bytesNeeded === 0
  }

  /** Continuation bytes still expected by the pending sequence. */
  pendingBytes(): number {
    return this.bytesNeeded - this.bytesSeen
  }

  reset(): void {
    this.codePoint = 0
    this.bytesSeen = 0
    this.bytesNeeded = 0
    this.lower = 0x80
    this.upper = 0xbf
  }

  decode(bytes: Uint8Array, out: Uint16Array, flush: boolean, fatal: boolean): number {
    let codePoint = this.codePoint
    let bytesSeen = this.bytesSeen
    let bytesNeeded = this.bytesNeeded
    let lower = this.lower
    let upper = this.upper
    const len = bytes.length
    let n = 0
    let i = 0
    while (i < len) {
      const byte = bytes[i] as number
      if (bytesNeeded === 0) {
        i++
        if (byte < 0x80) {
          out[n++] = byte
        } else if (byte >= 0xc2 && byte <= 0xdf) {
          bytesNeeded = 1
          codePoint = byte & 0x1f
        } else if (byte >= 0xe0 && byte <= 0xef) {
          if (byte === 0xe0) lower = 0xa0
          else if (byte === 0xed) upper = 0x9f
          bytesNeeded = 2
          codePoint = byte & 0xf
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          if (byte === 0xf0) lower = 0x90
          else if (byte === 0xf4) upper = 0x8f
          bytesNeeded = 3
          codePoint = byte & 0x7
        } else {
          if (fatal) return this.fail()
          out[n++] = REPLACEMENT
        }
        continue
      }
      if (byte < lower || byte > upper) {
        // Invalid continuation: emit U+FFFD for the partial sequence and reprocess this byte.
        codePoint = bytesNeeded = bytesSeen = 0
        lower = 0x80
        upper = 0xbf
        if (fatal) return this.fail()
        out[n++] = REPLACEMENT
        continue
      }
      i++
      lower = 0x80
      upper = 0xbf
      codePoint = (codePoint << 6) | (byte & 0x3f)
      bytesSeen++
      if (bytesSeen !== bytesNeeded) continue
      if (codePoint > 0xffff) {
        codePoint -= 0x10000
        out[n++] = 0xd800 + (codePoint >> 10)
        out[n++] = 0xdc00 + (codePoint & 0x3ff)
      } else {
        out[n++] = codePoint
      }
      codePoint = bytesNeeded = bytesSeen = 0
    }
    if (flush && bytesNeeded !== 0) {
      codePoint = bytesNeeded = bytesSeen = 0
      lower = 0x80
      upper = 0xbf
      if (fatal) return this.fail()
      out[n++] = REPLACEMENT
    }
    this.codePoint = codePoint
    this.bytesSeen = bytesSeen
    this.bytesNeeded = bytesNeeded
    this.lower = lower
    this.upper = upper
    return n
  }

  private fail(): number {
    this.reset()
    return -1
  }
}

class Utf16Decoder implements Decoder {
  private leadByte = -1
  private leadSurrogate = -1

  constructor(private readonly bigEndian: boolean) {}

  maxUnits(byteLength: number): number {
    return (byteLength >> 1) + 3
  }

  idle(): boolean {
    return this.leadByte === -1 && this.leadSurrogate === -1
  }

  reset(): void {
    this.leadByte = -1
    this.leadSurrogate = -1
  }

  decode(bytes: Uint8Array, out: Uint16Array, flush: boolean, fatal: boolean): number {
    let leadByte = this.leadByte
    let leadSurrogate = this.leadSurrogate
    const bigEndian = this.bigEndian
    const len = bytes.length
    let n = 0
    for (let i = 0; i < len; i++) {
      const byte = bytes[i] as number
      if (leadByte === -1) {
        leadByte = byte
        continue
      }
      let unit = bigEndian ? (leadByte << 8) | byte : leadByte | (byte << 8)
      leadByte = -1
      if (leadSurrogate !== -1) {
        if (unit >= 0xdc00 && unit <= 0xdfff) {
          out[n++] = leadSurrogate
          out[n++] = unit
          leadSurrogate = -1
          continue
        }
        // Unpaired lead surrogate: error, then process `unit` afresh.
        leadSurrogate = -1
        if (fatal) return this.fail()
        out[n++] = REPLACEMENT
      }
      if (unit >= 0xd800 && unit <= 0xdbff) {
        leadSurrogate = unit
      } else if (unit >= 0xdc00 && unit <= 0xdfff) {
        if (fatal) return this.fail()
        out[n++] = REPLACEMENT
      } else {
        out[n++] = unit
      }
    }
    if (flush && (leadByte !== -1 || leadSurrogate !== -1)) {
      leadByte = leadSurrogate = -1
      if (fatal) return this.fail()
      out[n++] = REPLACEMENT
    }
    this.leadByte = leadByte
    this.leadSurrogate = leadSurrogate
    return n
  }

  private fail(): number {
    this.reset()
    return -1
  }
}

// ---------------------------------------------------------------------------------------------

const customInspect = Symbol.for('nodejs.util.inspect.custom')

/**
 * Class names, toStringTag and Node's `util.inspect` rendering are set explicitly: the bundler may
 * rename the class bindings (e.g. `TextDecoder2`) when another module mentions the same name.
 */
function brandClass(ctor: Function, name: string, inspectFn: (this: never, ...args: never[]) => unknown): void {
  Object.defineProperty(ctor, 'name', { value: name, configurable: true })
  Object.defineProperty(ctor.prototype, Symbol.toStringTag, { value: name, configurable: true })
  Object.defineProperty(ctor.prototype, customInspect, { value: inspectFn, writable: true, configurable: true })
}

type InspectFn = (value: unknown, options?: unknown) => string

class TextEncoder {
  static {
    brandClass(this, 'TextEncoder', function (this: TextEncoder, depth: unknown, options: unknown, inspect: InspectFn) {
      if (typeof depth === 'number' && depth < 0) return this
      return inspect({ encoding: this.encoding }, options)
    })
  }

  get encoding(): string {
    return 'utf-8'
  }

  encode(input: unknown = ''): Uint8Array {
    return encodeUtf8(String(input))
  }

  encodeInto(source: unknown, destination: Uint8Array): EncodeIntoResult {
    if (!(destination instanceof Uint8Array)) {
      throw errorWithCode(
        new TypeError('The "dest" argument must be an instance of Uint8Array.'),
        'ERR_INVALID_ARG_TYPE',
      )
    }
    return encodeUtf8Into(String(source), destination)
  }
}

class TextDecoder {
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
      const latin = codesToString(bytes)
      return /[\x80-\x9f]/.test(latin)
        ? latin.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] as number))
        : latin
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

/**
 * UTF-8 fast path for a decoder with nothing pending: bytes → Latin-1 string (chunked
 * fromCharCode.apply), then native `decodeURIComponent(escape(…))` for non-ASCII content.
 * decodeURIComponent rejects exactly what the WHATWG decoder treats as errors (overlong forms,
 * surrogates, > U+10FFFF, bad or missing continuation bytes); on any error this returns
 * undefined and the caller runs the exact state machine, which emits U+FFFD per WHATWG.
 * When streaming, an incomplete sequence at the end is left unconsumed.
 * Returns [text, bytes consumed].
 */
function fastUtf8(bytes: Uint8Array, stream: boolean): [string, number] | undefined {
  let end = bytes.length
  if (stream && end > 0) {
    // Find the start of the last sequence; hold it back if it is incomplete.
    let i = end - 1
    while (i > 0 && end - i < 4 && ((bytes[i] as number) & 0xc0) === 0x80) i--
    const lead = bytes[i] as number
    const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
    if (end - i < needed) end = i
  }
  const latin = codesToString(bytes, 0, end)
  if (!/[^\x00-\x7f]/.test(latin)) return [latin, end]
  try {
    return [decodeURIComponent(escape(latin)), end]
  } catch {
    return undefined
  }
}

export function installTextEncoding(global: Record<string, unknown>): void {
  for (const [name, value] of [
    ['TextEncoder', TextEncoder],
    ['TextDecoder', TextDecoder],
  ] as const) {
    Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false })
  }
}
