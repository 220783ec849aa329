/**
 * Entry formatters for arrays (holes as `<N empty items>`), typed arrays, ArrayBuffer bytes, Set
 * and Map. Each returns the list of entries; `reduceToSingleString` (layout.ts) lays them out.
 * Lengths and sizes are read through brand-checked getters so a subclass or a spoofed
 * `length`/`size` cannot change what is listed.
 */
import { formatProperty, formatValue } from './format-value.js'
import { numberRegExp } from './names.js'
import { kArrayType, type Context, type Formatter } from './options.js'
import { formatBigInt, formatNumber } from './primitives.js'
import { getBrands, hasOwn } from './type-checks.js'

const remainingText = (remaining: number): string => `... ${remaining} more item${remaining > 1 ? 's' : ''}`

export function formatArrayBuffer(ctx: Context, value: object): string[] {
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(value as ArrayBuffer)
  } catch {
    return ['(detached)']
  }
  const shown = Math.min(ctx.maxArrayLength, bytes.length)
  const hex: string[] = new Array<string>(shown)
  for (let i = 0; i < shown; i++) hex[i] = (bytes[i] as number).toString(16).padStart(2, '0')
  let str = hex.join(' ')
  const remaining = bytes.length - ctx.maxArrayLength
  if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? 's' : ''}`
  return [`[Uint8Contents]: <${str}>`]
}

function formatSpecialArray(
  ctx: Context,
  value: unknown[],
  recurseTimes: number,
  maxLength: number,
  output: string[],
  start: number,
): string[] {
  const keys = Object.keys(value)
  let index = start
  for (let i = start; i < keys.length && output.length < maxLength; i++) {
    const key = keys[i] as string
    const tmp = +key
    if (tmp > 2 ** 32 - 2) break
    if (`${index}` !== key) {
      if (!numberRegExp.test(key)) break
      const emptyItems = tmp - index
      output.push(`<${emptyItems} empty item${emptyItems > 1 ? 's' : ''}>`)
      index = tmp
      if (output.length === maxLength) break
    }
    output.push(formatProperty(ctx, value, recurseTimes, key, kArrayType))
    index++
  }
  const remaining = value.length - index
  if (output.length !== maxLength) {
    if (remaining > 0) output.push(`<${remaining} empty item${remaining > 1 ? 's' : ''}>`)
  } else if (remaining > 0) {
    output.push(remainingText(remaining))
  }
  return output
}

export function formatArray(ctx: Context, value: object, recurseTimes: number): string[] {
  const array = value as unknown[]
  const valLen = array.length
  const len = Math.min(Math.max(0, ctx.maxArrayLength), valLen)
  const remaining = valLen - len
  const output: string[] = []
  for (let i = 0; i < len; i++) {
    if (!hasOwn(array, i)) return formatSpecialArray(ctx, array, recurseTimes, len, output, i)
    output.push(formatProperty(ctx, array, recurseTimes, String(i), kArrayType))
  }
  if (remaining > 0) output.push(remainingText(remaining))
  return output
}

/** The length is read once, through the brand-checked getter, by formatRaw and captured here. */
export function formatTypedArray(length: number): Formatter {
  return (ctx, value, recurseTimes) => {
    const array = value as unknown as ArrayLike<number | bigint>
    const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), length)
    const remaining = array.length - maxLength
    const output = new Array<string>(maxLength)
    for (let i = 0; i < maxLength; ++i) {
      const element = array[i] as number | bigint
      output[i] = typeof element === 'number' ? formatNumber(element) : formatBigInt(element)
    }
    if (remaining > 0) output[maxLength] = remainingText(remaining)
    if (ctx.showHidden) {
      ctx.indentationLvl += 2
      for (const key of ['BYTES_PER_ELEMENT', 'length', 'byteLength', 'byteOffset', 'buffer']) {
        const str = formatValue(ctx, (value as unknown as Record<string, unknown>)[key], recurseTimes, true)
        output.push(`[${key}]: ${str}`)
      }
      ctx.indentationLvl -= 2
    }
    return output
  }
}

export function formatSet(ctx: Context, value: object, recurseTimes: number): string[] {
  const set = value as Set<unknown>
  const length = getBrands().setSize.call(set) as number
  const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), length)
  const remaining = length - maxLength
  const output: string[] = []
  ctx.indentationLvl += 2
  let i = 0
  for (const v of Set.prototype.values.call(set)) {
    if (i >= maxLength) break
    output.push(formatValue(ctx, v, recurseTimes))
    i++
  }
  if (remaining > 0) output.push(remainingText(remaining))
  ctx.indentationLvl -= 2
  return output
}

export function formatMap(ctx: Context, value: object, recurseTimes: number): string[] {
  const map = value as Map<unknown, unknown>
  const length = getBrands().mapSize.call(map) as number
  const maxLength = Math.min(Math.max(0, ctx.maxArrayLength), length)
  const remaining = length - maxLength
  const output: string[] = []
  ctx.indentationLvl += 2
  let i = 0
  for (const [k, v] of Map.prototype.entries.call(map)) {
    if (i >= maxLength) break
    output.push(`${formatValue(ctx, k, recurseTimes)} => ${formatValue(ctx, v, recurseTimes)}`)
    i++
  }
  if (remaining > 0) output.push(remainingText(remaining))
  ctx.indentationLvl -= 2
  return output
}
