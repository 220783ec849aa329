/**
 * windows-1252 decoding (what the "latin1" / "iso-8859-1" / "ascii" labels mean): single-byte and
 * stateless, every byte valid. Bytes map to the same code point except 0x80–0x9F.
 */
import { codesToString } from '../string-utils.js'

/** windows-1252 code points for bytes 0x80–0x9F (the rest map to themselves). */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
]

const C1_RANGE = /[\x80-\x9f]/
const C1_RANGE_GLOBAL = /[\x80-\x9f]/g

const toWindows1252 = (c: string): string => String.fromCharCode(WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80] as number)

/** Decodes `bytes` as windows-1252: a Latin-1 string, with the 0x80–0x9F bytes remapped if any occur. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const latin = codesToString(bytes)
  return C1_RANGE.test(latin) ? latin.replace(C1_RANGE_GLOBAL, toWindows1252) : latin
}
