/**
 * node:querystring, written to Node 20's lib/querystring.js behaviour. Not `querystring-es3`
 * (evaluated, v0.2.1): that package is a simplified 2014 copy that throws a URIError on a stray
 * `%` (`a=100%`, which Node decodes leniently), returns objects with Object.prototype (Node:
 * null prototype, so `__proto__` and `toString` are ordinary keys), and lacks `escape`,
 * `unescape`, `unescapeBuffer`, the custom `encodeURIComponent` / `decodeURIComponent` options,
 * bigint values and Node's skipping of empty arrays. Fixing all that is a rewrite; this is it.
 *
 * As in Node, `stringify` and `parse` call `querystring.escape` / `querystring.unescape` through
 * the module object, so code that overrides them changes both.
 */
import { nodeError } from './errors.js'

declare const require: (id: string) => unknown
declare const TextDecoder: new () => { decode(bytes: Uint8Array): string }

const hexValue = (code: number): number => {
  if (code >= 48 && code <= 57) return code - 48
  if (code >= 65 && code <= 70) return code - 55
  if (code >= 97 && code <= 102) return code - 87
  return -1
}

/** Node's lenient percent-decoding to bytes: invalid `%` sequences stay as they are; `+` is a space with `decodeSpaces`. */
function unescapeBytes(s: string, decodeSpaces: boolean): Uint8Array {
  const out = new Uint8Array(s.length)
  let length = 0
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i)
    if (code === 43 && decodeSpaces) {
      out[length++] = 32
      continue
    }
    if (code === 37 && i < s.length - 2) {
      const high = hexValue(s.charCodeAt(i + 1))
      const low = hexValue(s.charCodeAt(i + 2))
      if (high >= 0 && low >= 0) {
        out[length++] = high * 16 + low
        i += 2
        continue
      }
    }
    // Like Node's Buffer write: a character keeps its low byte.
    out[length++] = code & 0xff
  }
  return out.subarray(0, length)
}

function unescapeBuffer(s: unknown, decodeSpaces?: boolean): unknown {
  const { Buffer } = require('buffer') as { Buffer: { from(bytes: Uint8Array): unknown } }
  return Buffer.from(unescapeBytes(String(s), decodeSpaces === true))
}

function unescape(s: string, decodeSpaces?: boolean): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return new TextDecoder().decode(unescapeBytes(s, decodeSpaces === true))
  }
}

function escape(input: unknown): string {
  const str = typeof input === 'string' ? input : typeof input === 'object' ? String(input) : `${input as string}`
  try {
    return encodeURIComponent(str)
  } catch {
    throw nodeError(URIError, 'ERR_INVALID_URI', 'URI malformed')
  }
}

type Encoder = (value: string) => string

/** A value as it appears in a query string: strings encoded, finite numbers, bigints and booleans as text, anything else empty. */
function stringifyValue(value: unknown, encode: Encoder, custom: boolean): string {
  if (typeof value === 'string') return value.length > 0 || custom ? encode(value) : ''
  if (typeof value === 'number' && Number.isFinite(value)) return Math.abs(value) < 1e21 && !custom ? `${value}` : encode(`${value}`)
  if (typeof value === 'bigint') return custom ? encode(`${value}`) : `${value}`
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  return ''
}

function stringify(obj: unknown, sep?: string | null, eq?: string | null, options?: { encodeURIComponent?: Encoder }): string {
  const separator = sep || '&'
  const equals = eq || '='
  const custom = typeof options?.encodeURIComponent === 'function'
  const encode: Encoder = custom ? (options?.encodeURIComponent as Encoder) : (querystring.escape as Encoder)
  if (obj === null || typeof obj !== 'object') return ''
  let fields = ''
  for (const key of Object.keys(obj)) {
    const value = (obj as Record<string, unknown>)[key]
    const prefix = stringifyValue(key, encode, custom) + equals
    if (Array.isArray(value)) {
      if (value.length === 0) continue
      if (fields) fields += separator
      fields += value.map((item) => prefix + stringifyValue(item, encode, custom)).join(separator)
    } else {
      if (fields) fields += separator
      fields += prefix + stringifyValue(value, encode, custom)
    }
  }
  return fields
}

type Decoder = (value: string) => string

function parse(
  qs: unknown,
  sep?: string | null,
  eq?: string | null,
  options?: { maxKeys?: number; decodeURIComponent?: Decoder },
): Record<string, string | string[]> {
  const obj = Object.create(null) as Record<string, string | string[]>
  if (typeof qs !== 'string' || qs.length === 0) return obj
  const separator = sep ? String(sep) : '&'
  const equals = eq ? String(eq) : '='
  let pairs = 1000
  if (typeof options?.maxKeys === 'number') pairs = options.maxKeys > 0 ? options.maxKeys : -1
  const custom = typeof options?.decodeURIComponent === 'function'
  const decode: Decoder = custom ? (options?.decodeURIComponent as Decoder) : (querystring.unescape as Decoder)
  // A part is decoded when it holds a `+` or a valid %XX escape (always with a custom decoder).
  const decodePart = (part: string): string => {
    if (part.length === 0 || (!custom && !part.includes('+') && !/%[0-9a-fA-F]{2}/.test(part))) return part
    const spaced = part.replaceAll('+', '%20')
    try {
      return decode(spaced)
    } catch {
      return (querystring.unescape as typeof unescape)(spaced, true)
    }
  }
  for (const segment of qs.split(separator)) {
    if (segment.length === 0) {
      if (--pairs === 0) return obj
      continue
    }
    const index = segment.indexOf(equals)
    const key = decodePart(index === -1 ? segment : segment.slice(0, index))
    const value = decodePart(index === -1 ? '' : segment.slice(index + equals.length))
    const current = obj[key]
    if (current === undefined) obj[key] = value
    else if (Array.isArray(current)) current.push(value)
    else obj[key] = [current, value]
    if (--pairs === 0) return obj
  }
  return obj
}

/** Key order as in Node 20 (Object.keys(require('querystring'))). */
export const querystring: Record<string, unknown> = {
  unescapeBuffer,
  unescape,
  escape,
  stringify,
  encode: stringify,
  parse,
  decode: parse,
}
