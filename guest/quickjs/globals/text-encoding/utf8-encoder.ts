/**
 * UTF-8 encoding (TextEncoder.encode / encodeInto). Lone surrogates become U+FFFD (EF BF BD), as
 * the standard requires. Strings of 64+ code units go through the engine's native transcoder
 * (`unescape(encodeURIComponent(str))`, C inside QuickJS) and one tight copy loop, several times
 * faster than encoding char by char in interpreted JS; short strings and strings with lone
 * surrogates (which encodeURIComponent rejects) take the plain JS encoder.
 */
import { REPLACEMENT } from './decoder.js'

export interface EncodeIntoResult {
  read: number
  written: number
}

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

export function encodeUtf8(str: string): Uint8Array {
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

export function encodeUtf8Into(str: string, dest: Uint8Array): EncodeIntoResult {
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
