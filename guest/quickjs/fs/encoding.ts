import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'

/**
 * Node's Buffer encodings for file contents and names. Transcoding runs on the host (Node's own
 * Buffer, so the results are Node's exactly): QuickJS has no native transcoder, and a loop in
 * its interpreter moves ~6 MB/s where the host call moves hundreds. The one thing a host call
 * cannot carry is a lone surrogate (strings cross as UTF-8), so strings that are not well
 * formed are fixed first as Node would fix them (UTF-8: U+FFFD), or encoded here.
 */

export type Encoding = 'utf8' | 'utf16le' | 'latin1' | 'ascii' | 'base64' | 'base64url' | 'hex'

const ALIASES: Record<string, Encoding> = {
  utf8: 'utf8',
  'utf-8': 'utf8',
  utf16le: 'utf16le',
  'utf-16le': 'utf16le',
  ucs2: 'utf16le',
  'ucs-2': 'utf16le',
  latin1: 'latin1',
  binary: 'latin1',
  ascii: 'ascii',
  base64: 'base64',
  base64url: 'base64url',
  hex: 'hex',
}

let host: HostBindings | undefined

/** The filesystem module hands over the host bindings once, when it is made. */
export function useHostTranscoder(bindings: HostBindings): void {
  host = bindings
}

/** The canonical name of a Node encoding, or undefined when Node has no such encoding. */
export function normalizeEncoding(name: unknown): Encoding | undefined {
  if (typeof name !== 'string') return undefined
  return ALIASES[name] ?? ALIASES[name.toLowerCase()]
}

/** Up to this length, ASCII text is transcoded here: cheaper than a host call (~5 µs). */
const SHORT = 64
const ASCII = /^[\x00-\x7f]*$/

export function encode(text: string, encoding: Encoding): Uint8Array {
  if (text.length <= SHORT && (encoding === 'utf8' || encoding === 'latin1') && ASCII.test(text)) return encodeLatin1(text)
  if (!(text as unknown as WellFormed).isWellFormed()) {
    if (encoding === 'utf16le') return encodeUtf16(text)
    if (encoding === 'latin1' || encoding === 'ascii') return encodeLatin1(text)
    // UTF-8 replaces each lone surrogate with U+FFFD; base64 and hex skip them either way.
    text = (text as unknown as WellFormed).toWellFormed()
  }
  if (text.includes('\0')) return encodeAroundNul(text, encoding)
  return new Uint8Array((host as HostBindings).encodeText(text, encoding))
}

/**
 * Strings cross to and from the host as C strings, where a NUL would end them: text with NULs is
 * transcoded in the pieces between them. Hex decoding stops at the first character that is not
 * hex (in Node too), base64 skips characters outside its alphabet.
 */
function encodeAroundNul(text: string, encoding: Encoding): Uint8Array {
  if (encoding === 'hex') return encode(text.slice(0, text.indexOf('\0')), encoding)
  if (encoding === 'base64' || encoding === 'base64url') return encode(text.replaceAll('\0', ''), encoding)
  const parts = text.split('\0').map((part) => encode(part, encoding))
  const nulBytes = encoding === 'utf16le' ? 2 : 1
  const joined = new Uint8Array(parts.reduce((size, part) => size + part.length, 0) + (parts.length - 1) * nulBytes)
  let offset = 0
  for (const part of parts) {
    joined.set(part, offset)
    offset += part.length + nulBytes
  }
  return joined
}

export function decode(bytes: Uint8Array, encoding: Encoding): string {
  if (bytes.length <= SHORT && (encoding === 'utf8' || encoding === 'latin1')) {
    let ascii = true
    for (let index = 0; index < bytes.length && ascii; index++) ascii = (bytes[index] as number) < 0x80
    if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[])
  }
  // Text with NULs is decoded between them (see encodeAroundNul); a 0 byte is never part of a
  // longer UTF-8 sequence, and a UTF-16 NUL is a 0 code unit.
  const nul = encoding === 'utf8' || encoding === 'latin1' || encoding === 'ascii' ? 1 : encoding === 'utf16le' ? 2 : 0
  const first = nul === 0 ? -1 : nulAt(bytes, 0, nul)
  if (first !== -1) {
    const parts: string[] = []
    let start = 0
    for (let at = first; at !== -1; at = nulAt(bytes, start, nul)) {
      parts.push(decode(bytes.subarray(start, at), encoding))
      start = at + nul
    }
    parts.push(decode(bytes.subarray(start), encoding))
    return parts.join('\0')
  }
  return (host as HostBindings).decodeText(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length, encoding)
}

/** Where the next NUL character (of `size` zero bytes, aligned) is from `start`, or -1. */
function nulAt(bytes: Uint8Array, start: number, size: number): number {
  if (size === 1) return bytes.indexOf(0, start)
  for (let index = start; index + 1 < bytes.length; index += 2) if (bytes[index] === 0 && bytes[index + 1] === 0) return index
  return -1
}

/** UTF-8 bytes of `text` (names and paths handed back as bytes). */
export function utf8(text: string): Uint8Array {
  return encode(text, 'utf8')
}

/** ES2024 string methods (QuickJS has them; the guest's type library is ES2023). */
interface WellFormed {
  isWellFormed(): boolean
  toWellFormed(): string
}

function encodeLatin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length)
  for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index)
  return bytes
}

function encodeUtf16(text: string): Uint8Array {
  const units = new Uint16Array(text.length)
  for (let index = 0; index < text.length; index++) units[index] = text.charCodeAt(index)
  return new Uint8Array(units.buffer)
}
