/**
 * UTF-8 decoding: the WHATWG decoder's state machine (maximal-subpart U+FFFD replacement, bytes
 * split across streaming calls) and the native fast path used whenever nothing is pending.
 */
import { codesToString } from '../string-utils.js'
import { REPLACEMENT, type Decoder } from './decoder.js'

export class Utf8Decoder implements Decoder {
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

/**
 * UTF-8 fast path for a decoder with nothing pending: bytes → Latin-1 string (chunked
 * fromCharCode.apply), then native `decodeURIComponent(escape(…))` for non-ASCII content.
 * decodeURIComponent rejects exactly what the WHATWG decoder treats as errors (overlong forms,
 * surrogates, > U+10FFFF, bad or missing continuation bytes); on any error this returns
 * undefined and the caller runs the exact state machine, which emits U+FFFD per WHATWG.
 * When streaming, an incomplete sequence at the end is left unconsumed.
 * Returns [text, bytes consumed].
 */
export function fastUtf8(bytes: Uint8Array, stream: boolean): [string, number] | undefined {
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
