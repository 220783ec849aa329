/**
 * node:buffer: the `buffer` package (feross/buffer 6.0.3, Node's Buffer for browsers), brought up
 * to Node 20 where it falls short: the `base64url` encoding, Node's error codes and messages
 * (ERR_UNKNOWN_ENCODING, ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE, ERR_BUFFER_OUT_OF_BOUNDS), the
 * inspect form `<Buffer 68 69 ... 8 more bytes>`, and the module's other exports (isUtf8, isAscii,
 * atob, btoa, constants, Blob, File …).
 */
import * as bufferPackage from 'buffer/'
import { decode, encode, normalizeEncoding, type Encoding } from '../fs/encoding.js'
import { checkFixedSizeAccessors, outOfRange } from './buffer-accessors.js'
import { invalidArgType, nodeError } from './errors.js'

type Args = unknown[]
type Method = (this: Uint8Array, ...args: Args) => unknown

const buffer = bufferPackage as unknown as { Buffer: typeof bufferPackage.Buffer; SlowBuffer: unknown; kMaxLength: number }
export const Buffer = buffer.Buffer
export { useHostTranscoder } from '../fs/encoding.js'
const BufferStatics = Buffer as unknown as Record<string, (...args: Args) => unknown>
const proto = Buffer.prototype as unknown as Record<string | symbol, Method>

const unknownEncoding = (encoding: unknown) => nodeError(TypeError, 'ERR_UNKNOWN_ENCODING', `Unknown encoding: ${String(encoding)}`)

const isEncoding = Buffer.isEncoding
BufferStatics.isEncoding = function isEncoding_(encoding: unknown): boolean {
  return typeof encoding === 'string' && (encoding.toLowerCase() === 'base64url' || isEncoding(encoding))
}
Object.defineProperty(BufferStatics.isEncoding, 'name', { value: 'isEncoding' })

/**
 * The encoding argument as the package understands it. The package's base64 decoder already
 * accepts the URL-safe alphabet, so `base64url` input decodes as `base64`.
 */
function packageEncoding(encoding: unknown): unknown {
  if (typeof encoding !== 'string') return encoding
  if (encoding.toLowerCase() === 'base64url') return 'base64'
  if (encoding !== '' && !isEncoding(encoding)) throw unknownEncoding(encoding)
  return encoding
}

/** Wraps a method so that every string argument after the first is read as an encoding. */
function mapEncodingArguments(target: Record<string, Method>, name: string, from: number): void {
  const original = target[name] as Method
  const wrapped = function (this: Uint8Array, ...args: Args) {
    for (let index = from; index < args.length; index++) if (typeof args[index] === 'string') args[index] = packageEncoding(args[index])
    return original.apply(this, args)
  }
  Object.defineProperty(wrapped, 'name', { value: name })
  target[name] = wrapped
}
mapEncodingArguments(proto, 'write', 1)
mapEncodingArguments(proto, 'fill', 1)
mapEncodingArguments(proto, 'indexOf', 1)
mapEncodingArguments(proto, 'lastIndexOf', 1)
mapEncodingArguments(proto, 'includes', 1)
mapEncodingArguments(BufferStatics as unknown as Record<string, Method>, 'alloc', 2)

// Through `string` keys: TypeScript would hold these to Object.prototype's signatures.
const TO_STRING: string = 'toString'
const TO_LOCALE_STRING: string = 'toLocaleString'

/**
 * buf.toString, transcoded as Node does it (see fs/encoding.ts: the host's own Buffer for all but
 * short ASCII): the package's UTF-8 decoder replaces each byte of an invalid sequence where Node
 * replaces each maximal subpart, and it transcodes in the interpreter, byte by byte.
 */
proto[TO_STRING] = function toString(this: Uint8Array, encoding?: unknown, start?: unknown, end?: unknown): string {
  const length = this.length
  let from = 0
  let to = length
  if (start !== undefined) {
    if ((start as number) <= 0) from = 0
    else if ((start as number) >= length) return ''
    else from = Math.trunc(start as number) || 0
  }
  if (end !== undefined && (end as number) <= length) to = Math.trunc(end as number) || 0
  if (to <= from) return ''
  const canonical = encoding === undefined ? 'utf8' : normalizeEncoding(encoding)
  if (canonical === undefined) throw unknownEncoding(encoding)
  const bytes = new Uint8Array(this.buffer, this.byteOffset + from, to - from)
  return canonical !== 'hex' && canonical !== 'base64' && canonical !== 'base64url' && bytes.includes(0) ? decodeWithNul(bytes, canonical) : decode(bytes, canonical)
}

declare const TextDecoder: new (label: string, options: { fatal?: boolean; ignoreBOM?: boolean }) => { decode(bytes: Uint8Array): string }

/**
 * Text that contains U+0000 is decoded here: strings cross between the host and QuickJS as
 * NUL-terminated C strings (quickjs-emscripten), so the host's answer would stop at the first NUL.
 */
function decodeWithNul(bytes: Uint8Array, encoding: Encoding): string {
  if (encoding === 'utf8') return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
  const units = encoding === 'utf16le' ? new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + (bytes.length & ~1))) : bytes
  let text = ''
  for (let start = 0; start < units.length; start += 8192) {
    text += String.fromCharCode.apply(null, units.subarray(start, start + 8192) as unknown as number[])
  }
  return encoding === 'ascii' ? text.replace(/[\x80-\xff]/g, (c) => String.fromCharCode(c.charCodeAt(0) & 0x7f)) : text
}
proto[TO_LOCALE_STRING] = proto[TO_STRING] as Method

// Node's per-encoding methods (buf.utf8Slice, buf.latin1Write …): undocumented, but some libraries call them.
for (const encoding of ['ascii', 'base64', 'base64url', 'latin1', 'hex', 'ucs2', 'utf8']) {
  Object.defineProperty(proto, `${encoding}Slice`, {
    configurable: true,
    writable: true,
    value(this: Uint8Array, start = 0, end = this.length) {
      return (proto[TO_STRING] as Method).call(this, encoding, start, end)
    },
  })
  Object.defineProperty(proto, `${encoding}Write`, {
    configurable: true,
    writable: true,
    value(this: Uint8Array, text: string, offset = 0, length = this.length - offset) {
      return (proto.write as Method).call(this, text, offset, length, encoding)
    },
  })
}

// Buffer.from: strings transcoded as Node does (as above), Node's ERR_INVALID_ARG_TYPE for what it cannot take.
const from = BufferStatics.from as (...args: Args) => unknown
const notFromable = (value: unknown) => {
  const error = invalidArgType('first', 'of type string or an instance of Buffer, ArrayBuffer, or Array or an Array-like Object', value)
  error.message = error.message.replace('The "first" argument', 'The first argument')
  return error
}
BufferStatics.from = function from_(value: unknown, encodingOrOffset?: unknown, length?: unknown) {
  if (typeof value === 'string') {
    let encoding: Encoding | undefined = 'utf8'
    if (typeof encodingOrOffset === 'string' && encodingOrOffset !== '') {
      encoding = normalizeEncoding(encodingOrOffset)
      if (encoding === undefined) throw unknownEncoding(encodingOrOffset)
    }
    // A NUL would end the string on its way to the host (see decodeWithNul): the package encodes those.
    if (value.includes('\0')) return from(value, encoding === 'base64url' ? 'base64' : encoding)
    return Object.setPrototypeOf(encode(value, encoding), Buffer.prototype)
  }
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) throw notFromable(value)
  try {
    return from(value, encodingOrOffset, length)
  } catch (error) {
    throw error instanceof TypeError && /^The first argument/.test(error.message) ? notFromable(value) : error
  }
}
Object.defineProperty(BufferStatics.from, 'name', { value: 'from' })

/**
 * UTF-8 byte length counted without encoding (the package encodes the whole string to count it).
 * The native regex drops the ASCII first, so mostly-ASCII text (JSON) costs little interpreting.
 */
function utf8ByteLength(text: string): number {
  const rest = text.replace(/[\x00-\x7f]+/g, '')
  // Surrogates: count on the whole text, where ASCII between two halves keeps them apart.
  const units = /[\ud800-\udfff]/.test(rest) ? text : rest
  let bytes = text.length
  for (let index = 0; index < units.length; index++) {
    const unit = units.charCodeAt(index)
    if (unit < 0x80) continue
    if (unit < 0x800) bytes += 1
    else if (unit <= 0xdbff && unit >= 0xd800 && (units.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      bytes += 2 // a surrogate pair: 2 units, 4 bytes
      index++
    } else bytes += 2
  }
  return bytes
}

const byteLength = BufferStatics.byteLength as (...args: Args) => unknown
BufferStatics.byteLength = Object.defineProperty(
  function (value: unknown, encoding?: unknown) {
    if (typeof value !== 'string') return byteLength(value, encoding)
    const canonical = normalizeEncoding(encoding) ?? 'utf8' // Node counts UTF-8 for an unknown encoding
    if (canonical === 'utf8') return utf8ByteLength(value)
    return byteLength(value, canonical === 'base64url' ? 'base64' : canonical)
  },
  'name',
  { value: 'byteLength' },
)

export const kMaxLength = buffer.kMaxLength
/** QuickJS's longest string ((1 << 30) - 1 UTF-16 units). */
export const kStringMaxLength = 1_073_741_823

function validateSize(size: unknown): void {
  if (typeof size !== 'number') throw invalidArgType('size', 'of type number', size)
  if (!(size >= 0 && size <= kMaxLength)) throw outOfRange('size', `>= 0 && <= ${kMaxLength}`, size)
}
for (const name of ['alloc', 'allocUnsafe', 'allocUnsafeSlow']) {
  const allocate = BufferStatics[name] as (...args: Args) => unknown
  BufferStatics[name] = Object.defineProperty(
    function (size: unknown, ...rest: Args) {
      validateSize(size)
      return allocate(size, ...rest)
    },
    'name',
    { value: name },
  )
}

checkFixedSizeAccessors(proto)

/** Node's inspect form, `<Buffer 68 69 ... 8 more bytes>` (the package prints no count). */
proto.inspect = function inspect(this: Uint8Array) {
  const max = bufferModule.INSPECT_MAX_BYTES
  const shown = Math.min(max, this.length)
  let text = ((proto[TO_STRING] as Method).call(this, 'hex', 0, shown) as string).replace(/(.{2})/g, '$1 ').trim()
  const remaining = this.length - max
  if (remaining > 0) text += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`
  return `<${(this.constructor as { name?: string }).name ?? 'Buffer'} ${text}>`
}
proto[Symbol.for('nodejs.util.inspect.custom')] = proto.inspect

function bytesOf(input: unknown, name: string): Uint8Array {
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
  if (input instanceof ArrayBuffer) return new Uint8Array(input)
  throw invalidArgType(name, 'an instance of ArrayBuffer, Buffer, or TypedArray', input)
}

let utf8Validator: { decode(bytes: Uint8Array): string } | undefined

/** Whether `input` is valid UTF-8 (Node's buffer.isUtf8). */
export function isUtf8(input: unknown): boolean {
  const bytes = bytesOf(input, 'input')
  try {
    ;(utf8Validator ??= new TextDecoder('utf-8', { fatal: true })).decode(bytes)
    return true
  } catch {
    return false
  }
}

/** Whether every byte of `input` is ASCII (Node's buffer.isAscii). */
export function isAscii(input: unknown): boolean {
  const bytes = bytesOf(input, 'input')
  for (let index = 0; index < bytes.length; index++) if ((bytes[index] as number) > 0x7f) return false
  return true
}

const global = globalThis as unknown as Record<string, (...args: Args) => unknown>

/** The module's exports: Node 20's names; Blob and File are the guest's globals, read when asked for. */
export const bufferModule = {
  Buffer,
  SlowBuffer: buffer.SlowBuffer,
  isUtf8,
  isAscii,
  kMaxLength,
  kStringMaxLength,
  btoa: function btoa(...args: Args) {
    return global.btoa?.(...args)
  },
  atob: function atob(...args: Args) {
    return global.atob?.(...args)
  },
  constants: { MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength },
  INSPECT_MAX_BYTES: 50,
  get Blob(): unknown {
    return (globalThis as { Blob?: unknown }).Blob
  },
  get File(): unknown {
    return (globalThis as { File?: unknown }).File
  },
}
