/**
 * node:string_decoder: the `string_decoder` package (Node 8's StringDecoder, kept for browsers)
 * does the byte bookkeeping, over the guest's Buffer (its safe-buffer dependency resolves to the
 * builtin `buffer`). This wrapper gives it Node 20's surface: `base64url`, any TypedArray or
 * DataView as input, strings passed through, ERR_UNKNOWN_ENCODING / ERR_INVALID_ARG_TYPE, and
 * only `encoding` as an own property.
 */
import { Buffer } from 'buffer'
import { StringDecoder as PackageDecoder } from 'string_decoder/'
import { invalidArgType, nodeError } from './errors.js'

type Decoder = InstanceType<typeof PackageDecoder> & { lastChar: unknown; lastNeed: number; lastTotal: number }

const ENCODINGS: Record<string, string> = {
  utf8: 'utf8', 'utf-8': 'utf8', '': 'utf8',
  ucs2: 'utf16le', 'ucs-2': 'utf16le', utf16le: 'utf16le', 'utf-16le': 'utf16le',
  latin1: 'latin1', binary: 'latin1',
  base64: 'base64', base64url: 'base64url', hex: 'hex', ascii: 'ascii',
}

const toUrlAlphabet = (base64: string) => base64.replace(/[+/=]/g, (c) => (c === '+' ? '-' : c === '/' ? '_' : ''))

export class StringDecoder {
  encoding: string
  #decoder: Decoder

  constructor(encoding?: unknown) {
    const normalized = encoding === undefined || encoding === null ? 'utf8' : ENCODINGS[String(encoding).toLowerCase()]
    if (normalized === undefined || (typeof encoding !== 'string' && encoding != null)) {
      throw nodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${String(encoding)}`)
    }
    this.encoding = normalized
    this.#decoder = newDecoder(normalized)
  }

  write(buf: unknown): string {
    if (typeof buf === 'string') return buf
    return this.#translate(this.#decoder.write(toBuffer(buf)))
  }

  /** The rest, then a fresh start (as Node: the package would keep a pending partial character). */
  end(buf?: unknown): string {
    const text = typeof buf === 'string' ? buf + this.#translate(this.#decoder.end()) : this.#translate(this.#decoder.end(buf === undefined ? undefined : toBuffer(buf)))
    this.#decoder = newDecoder(this.encoding)
    return text
  }

  /** Decodes `buf` from `offset` (Node's undocumented but used `text`). */
  text(buf: unknown, offset: number): string {
    const bytes = toBuffer(buf)
    return this.write(bytes.subarray(offset))
  }

  get lastChar(): unknown {
    return this.#decoder.lastChar
  }

  get lastNeed(): number {
    return this.#decoder.lastNeed ?? 0
  }

  get lastTotal(): number {
    return this.#decoder.lastTotal ?? 0
  }

  #translate(text: string): string {
    return this.encoding === 'base64url' ? toUrlAlphabet(text) : text
  }
}

// base64url is base64 with another alphabet and no padding: decoded as base64, then translated.
const newDecoder = (encoding: string) => new PackageDecoder(encoding === 'base64url' ? 'base64' : encoding) as Decoder

function toBuffer(buf: unknown): InstanceType<typeof Buffer> {
  if (Buffer.isBuffer(buf)) return buf
  if (ArrayBuffer.isView(buf)) return Buffer.from(buf.buffer as ArrayBuffer, buf.byteOffset, buf.byteLength)
  throw invalidArgType('buf', 'an instance of Buffer, TypedArray, or DataView', buf)
}
