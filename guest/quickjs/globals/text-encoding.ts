/**
 * WHATWG Encoding Standard `TextEncoder` / `TextDecoder` for the guest (QuickJS has neither;
 * chunk "text-encoding").
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
 * machines. Measured in QuickJS-wasm: decode ~20 MB/s, encode ~6 MB/s (3-4x the plain loops).
 *
 *   text-encoding/text-encoder.ts     the TextEncoder class
 *   text-encoding/text-decoder.ts     the TextDecoder class: options, BOM, streaming, dispatch
 *   text-encoding/labels.ts           label → encoding table
 *   text-encoding/node-compat.ts      Node's error codes, BufferSource arguments, class branding
 *   text-encoding/utf8-encoder.ts     UTF-8 encoding (native fast path + JS encoder)
 *   text-encoding/decoder.ts          the interface the decoder state machines share
 *   text-encoding/utf8-decoder.ts     UTF-8 state machine and native fast path
 *   text-encoding/utf16-decoder.ts    UTF-16LE/BE state machine
 *   text-encoding/windows-1252.ts     windows-1252 (stateless)
 */
import { TextDecoder } from './text-encoding/text-decoder.js'
import { TextEncoder } from './text-encoding/text-encoder.js'

export function installTextEncoding(global: Record<string, unknown>): void {
  for (const [name, value] of [
    ['TextEncoder', TextEncoder],
    ['TextDecoder', TextDecoder],
  ] as const) {
    Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false })
  }
}
