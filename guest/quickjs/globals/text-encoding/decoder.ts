/**
 * The interface shared by the decoders: exact WHATWG state machines, each decoding a chunk into
 * UTF-16 code units in a caller-provided `out` buffer and returning how many it wrote, or -1 on
 * an error when fatal. They keep partial state between streaming calls.
 */

/** U+FFFD REPLACEMENT CHARACTER, emitted for each malformed sequence when not fatal. */
export const REPLACEMENT = 0xfffd

export interface Decoder {
  /** Decodes `bytes`; `flush` means end of stream. Returns code units written to `out`, -1 on fatal error. */
  decode(bytes: Uint8Array, out: Uint16Array, flush: boolean, fatal: boolean): number
  /** Upper bound of code units `decode` may produce for `byteLength` more bytes. */
  maxUnits(byteLength: number): number
  /** True when no partial sequence is pending. */
  idle(): boolean
  reset(): void
}
