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
  return new Uint8Array((host as HostBindings).encodeText(text, encoding))
}

export function decode(bytes: Uint8Array, encoding: Encoding): string {
  if (bytes.length <= SHORT && (encoding === 'utf8' || encoding === 'latin1')) {
    let ascii = true
    for (let index = 0; index < bytes.length && ascii; index++) ascii = (bytes[index] as number) < 0x80
    if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[])
  }
  return (host as HostBindings).decodeText(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length, encoding)
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
