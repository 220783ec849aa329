/**
 * Bytes and text for the fetch classes: UTF-8 through the guest's own TextEncoder/TextDecoder
 * (the "text-encoding" chunk, loaded on first need), copies of BufferSources, concatenation.
 */
import { codesToString } from '../globals/string-utils.js'
import { chunkGlobals } from './chunk-loader.js'

export { concatBytes } from '../globals/byte-utils.js'

interface Codecs {
  TextEncoder: new () => { encode(text: string): Uint8Array }
  TextDecoder: new (label?: string, options?: { ignoreBOM?: boolean }) => { decode(bytes: Uint8Array): string }
}

let encoder: { encode(text: string): Uint8Array } | undefined
let decoder: { decode(bytes: Uint8Array): string } | undefined
let decoderKeepingBOM: { decode(bytes: Uint8Array): string } | undefined

/** UTF-8 bytes of `text` (lone surrogates become U+FFFD). */
export function utf8Encode(text: string): Uint8Array {
  encoder ??= new (chunkGlobals<Codecs>('text-encoding').TextEncoder)()
  return encoder.encode(text)
}

/** UTF-8 decoding with replacement; a leading BOM is dropped unless `keepBOM`. */
export function utf8Decode(bytes: Uint8Array, keepBOM = false): string {
  if (keepBOM) {
    decoderKeepingBOM ??= new (chunkGlobals<Codecs>('text-encoding').TextDecoder)('utf-8', { ignoreBOM: true })
    return decoderKeepingBOM.decode(bytes)
  }
  decoder ??= new (chunkGlobals<Codecs>('text-encoding').TextDecoder)()
  return decoder.decode(bytes)
}

/** Each byte as one char (U+0000-U+00FF): lets native string search work on binary data. */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return codesToString(bytes, start, end)
}

/** A private copy of the bytes a BufferSource views (or undefined for anything else). */
export function copyBufferSource(value: unknown): Uint8Array | undefined {
  if (value instanceof ArrayBuffer) return new Uint8Array(value.slice(0))
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer)
  return undefined
}

/** A fresh ArrayBuffer holding exactly `bytes`. */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}
