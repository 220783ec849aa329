/**
 * The WebIDL conversions the fetch classes apply to their arguments, with undici's messages
 * (what Node 20 throws): argument counts, ByteString, unsigned short, dictionaries.
 */

/** TypeError with undici's `Context: message` shape. */
export function failure(context: string, message: string): TypeError {
  return new TypeError(`${context}: ${message}`)
}

export function argumentCount(args: { length: number }, min: number, context: string): void {
  if (args.length < min) {
    throw failure(context, `${min} argument${min !== 1 ? 's' : ''} required, but${args.length ? ' only' : ''} ${args.length} found.`)
  }
}

/** WebIDL ByteString: any string conversion, then no code unit above 0xFF. */
export function byteString(value: unknown, context: string, argument: string): string {
  if (typeof value === 'symbol') throw failure(context, `${argument} is a symbol, which cannot be converted to a DOMString.`)
  const text = `${value as string}`
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code > 255) {
      throw new TypeError(`Cannot convert argument to a ByteString because the character at index ${index} has a value of ${code} which is greater than 255.`)
    }
  }
  return text
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** WebIDL USVString: a string with lone surrogates replaced by U+FFFD. */
export function usvString(value: unknown): string {
  return `${value as string}`.replace(LONE_SURROGATE, '\uFFFD')
}

/** WebIDL unsigned short: ToNumber, truncated, modulo 2^16 (NaN and infinities give 0). */
export function unsignedShort(value: unknown): number {
  const number = Math.trunc(Number(value))
  if (!Number.isFinite(number)) return 0
  return ((number % 65536) + 65536) % 65536
}

/** A dictionary argument: an object (functions too), or null/undefined for an empty one. */
export function dictionary<T extends object>(value: unknown, context: string): Partial<T> {
  if (value === null || value === undefined) return {}
  if (typeof value !== 'object' && typeof value !== 'function') {
    throw failure(context, `Expected ${typeof value === 'symbol' ? 'Symbol()' : String(value)} to be one of: Null, Undefined, Object.`)
  }
  return value as Partial<T>
}

/** A WebIDL enumeration value. */
export function enumValue<T extends string>(value: unknown, allowed: readonly T[], context: string): T {
  const text = `${value as string}`
  if (!(allowed as readonly string[]).includes(text)) throw failure(context, `${text} is not an accepted type. Expected one of ${allowed.join(', ')}.`)
  return text as T
}
