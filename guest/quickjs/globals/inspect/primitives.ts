/**
 * Strings, numbers, bigints and the other primitives, and boxed primitives (`[Number: 3]`).
 * Strings are quoted the way Node does it: single quotes unless the string contains one, then
 * double quotes or backticks, whichever avoids escaping; control characters and lone surrogates
 * are escaped; long strings are split into `'…' +` lines at newlines.
 */
import type { Context, Key } from './options.js'
import { passes } from './type-checks.js'

/** Strings no longer than this are never split across lines. */
const kMinLineLength = 16

// Characters that need escaping inside single quotes (first pair) or inside double quotes /
// backticks (second pair, no \x27); the /g variants drive `replace`.
const strEscapeSequencesRegExp =
  /[\x00-\x1f\x27\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
export const strEscapeSequencesReplacer =
  /[\x00-\x1f\x27\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const strEscapeSequencesRegExpSingle =
  /[\x00-\x1f\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
const strEscapeSequencesReplacerSingle =
  /[\x00-\x1f\x5c\x7f-\x9f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** Escape sequences for the code units below 0xA0 ('' where the character is printed as is). */
function buildMeta(): readonly string[] {
  const table: string[] = []
  for (let i = 0; i < 0xa0; i++) {
    table.push(i < 0x20 || i >= 0x7f ? `\\x${i.toString(16).toUpperCase().padStart(2, '0')}` : '')
  }
  table[8] = '\\b'
  table[9] = '\\t'
  table[10] = '\\n'
  table[12] = '\\f'
  table[13] = '\\r'
  table[39] = "\\'"
  table[92] = '\\\\'
  return table
}

let metaTable: readonly string[] | undefined
const getMeta = (): readonly string[] => (metaTable ??= buildMeta())

export function escapeFn(str: string): string {
  const code = str.charCodeAt(0)
  const table = getMeta()
  return code < table.length ? (table[code] as string) : `\\u${code.toString(16)}`
}

function addQuotes(str: string, quotes: number): string {
  if (quotes === -1) return `"${str}"`
  if (quotes === -2) return `\`${str}\``
  return `'${str}'`
}

/** A quoted, escaped string literal (short strings are escaped in a loop, long ones by one regexp replace, as in Node). */
export function strEscape(input: string): string {
  let str = input
  let escapeTest = strEscapeSequencesRegExp
  let escapeReplace = strEscapeSequencesReplacer
  let singleQuote = 39
  // Prefer single quotes; fall back to double quotes or backticks to avoid escaping.
  if (str.includes("'")) {
    if (!str.includes('"')) singleQuote = -1
    else if (!str.includes('`') && !str.includes('${')) singleQuote = -2
    if (singleQuote !== 39) {
      escapeTest = strEscapeSequencesRegExpSingle
      escapeReplace = strEscapeSequencesReplacerSingle
    }
  }
  if (str.length < 5000 && !escapeTest.test(str)) return addQuotes(str, singleQuote)
  if (str.length > 100) {
    str = str.replace(escapeReplace, escapeFn)
    return addQuotes(str, singleQuote)
  }
  const table = getMeta()
  let result = ''
  let last = 0
  for (let i = 0; i < str.length; i++) {
    const point = str.charCodeAt(i)
    if (point === singleQuote || point === 92 || point < 32 || (point > 126 && point < 160)) {
      result += `${str.slice(last, i)}${table[point] as string}`
      last = i + 1
    } else if (point >= 0xd800 && point <= 0xdfff) {
      if (point <= 0xdbff && i + 1 < str.length) {
        const next = str.charCodeAt(i + 1)
        if (next >= 0xdc00 && next <= 0xdfff) {
          i++
          continue
        }
      }
      result += `${str.slice(last, i)}\\u${point.toString(16)}`
      last = i + 1
    }
  }
  if (last !== str.length) result += str.slice(last)
  return addQuotes(result, singleQuote)
}

export function formatNumber(value: number): string {
  return Object.is(value, -0) ? '-0' : `${value}`
}

export function formatBigInt(value: bigint): string {
  return `${value}n`
}

export function formatPrimitive(value: unknown, ctx: Context): string {
  switch (typeof value) {
    case 'string': {
      let str = value
      let trailer = ''
      if (str.length > ctx.maxStringLength) {
        const remaining = str.length - ctx.maxStringLength
        str = str.slice(0, ctx.maxStringLength)
        trailer = `... ${remaining} more character${remaining > 1 ? 's' : ''}`
      }
      if (ctx.compact !== true && str.length > kMinLineLength && str.length > ctx.breakLength - ctx.indentationLvl - 4) {
        return (
          str
            .split(/(?<=\n)/)
            .map((line) => strEscape(line))
            .join(` +\n${' '.repeat(ctx.indentationLvl + 2)}`) + trailer
        )
      }
      return strEscape(str) + trailer
    }
    case 'number':
      return formatNumber(value)
    case 'bigint':
      return formatBigInt(value)
    case 'boolean':
      return `${value}`
    case 'undefined':
      return 'undefined'
    default:
      return (value as symbol).toString()
  }
}

/** `[Number: 3]`, `[String: 'abc']` … for boxed primitives; undefined for anything else. */
export function getBoxedBase(value: object, ctx: Context, keys: Key[], constructor: string | null, tag: string): string | undefined {
  let type: string
  let primitive: unknown
  if (passes(Number.prototype.valueOf, value)) {
    type = 'Number'
    primitive = Number.prototype.valueOf.call(value)
  } else if (passes(String.prototype.valueOf, value)) {
    type = 'String'
    primitive = String.prototype.valueOf.call(value)
    // The index keys of a String object are noise.
    keys.splice(0, (primitive as string).length)
  } else if (passes(Boolean.prototype.valueOf, value)) {
    type = 'Boolean'
    primitive = Boolean.prototype.valueOf.call(value)
  } else if (passes(BigInt.prototype.valueOf, value)) {
    type = 'BigInt'
    primitive = BigInt.prototype.valueOf.call(value)
  } else if (passes(Symbol.prototype.valueOf, value)) {
    type = 'Symbol'
    primitive = Symbol.prototype.valueOf.call(value)
  } else {
    return undefined
  }
  let base = `[${type}`
  if (type !== constructor) base += constructor === null ? ' (null prototype)' : ` (${constructor})`
  base += `: ${formatPrimitive(primitive, { ...ctx, compact: 3, indentationLvl: 0, breakLength: Infinity })}]`
  if (tag !== '' && tag !== constructor) base += ` [${tag}]`
  return base
}
