/**
 * UTF-16LE / UTF-16BE decoding: the WHATWG shared UTF-16 decoder (unpaired surrogates and an odd
 * trailing byte become U+FFFD, or an error when fatal), with a lead byte or lead surrogate
 * carried over between streaming calls.
 */
import { REPLACEMENT, type Decoder } from './decoder.js'

export class Utf16Decoder implements Decoder {
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
