/**
 * Node's `util.format`: printf-style directives (%s %d %i %f %j %o %O %c %%) in a leading string
 * argument, the remaining arguments appended with spaces (strings as they are, everything else
 * through `inspect`).
 */
import { inspect } from './format-value.js'
import type { InspectOptions } from './options.js'
import { formatBigInt, formatNumber } from './primitives.js'
import { getBrands, hasOwn } from './type-checks.js'

/**
 * Whether `%s` should inspect the object rather than call String() on it: true unless it (or a
 * user-defined class in its chain) has its own toString / Symbol.toPrimitive.
 */
function hasBuiltInToString(value: object): boolean {
  const { builtInObjects } = getBrands()
  let ownToString = (object: object): boolean => hasOwn(object, 'toString')
  let ownToPrimitive = (object: object): boolean => hasOwn(object, Symbol.toPrimitive)
  const record = value as Record<PropertyKey, unknown>
  if (typeof record.toString !== 'function') {
    if (typeof record[Symbol.toPrimitive] !== 'function') return true
    if (hasOwn(value, Symbol.toPrimitive)) return false
    ownToString = () => false
  } else if (hasOwn(value, 'toString')) {
    return false
  } else if (typeof record[Symbol.toPrimitive] !== 'function') {
    ownToPrimitive = () => false
  } else if (hasOwn(value, Symbol.toPrimitive)) {
    return false
  }
  let pointer: object | null = value
  do {
    pointer = Object.getPrototypeOf(pointer) as object | null
  } while (pointer !== null && !ownToString(pointer) && !ownToPrimitive(pointer))
  if (pointer === null) return true
  const descriptor = Object.getOwnPropertyDescriptor(pointer, 'constructor')
  return (
    descriptor !== undefined &&
    typeof descriptor.value === 'function' &&
    builtInObjects.has((descriptor.value as Function).name)
  )
}

function tryStringify(value: unknown): string {
  try {
    return String(JSON.stringify(value))
  } catch (err) {
    if (err instanceof TypeError && /circular/i.test(err.message)) return '[Circular]'
    throw err
  }
}

/**
 * Node's `util.format(...args)`, i.e. what `console.log(...args)` prints; with `inspectOptions`,
 * `util.formatWithOptions(inspectOptions, ...args)`.
 */
export function formatLogArguments(args: readonly unknown[], inspectOptions?: InspectOptions): string {
  const first = args[0]
  let a = 0
  let str = ''
  let join = ''
  if (typeof first === 'string') {
    if (args.length === 1) return first
    let tempStr = ''
    let lastPos = 0
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue // '%'
      const nextChar = first.charCodeAt(++i)
      if (a + 1 !== args.length) {
        switch (nextChar) {
          case 115: {
            // 's'
            const tempArg = args[++a]
            if (typeof tempArg === 'number') tempStr = formatNumber(tempArg)
            else if (typeof tempArg === 'bigint') tempStr = formatBigInt(tempArg)
            else if (typeof tempArg !== 'object' || tempArg === null || !hasBuiltInToString(tempArg)) tempStr = String(tempArg)
            else tempStr = inspect(tempArg, { ...inspectOptions, depth: 0, colors: false, compact: 3 })
            break
          }
          case 106: // 'j'
            tempStr = tryStringify(args[++a])
            break
          case 100: {
            // 'd'
            const tempNum = args[++a]
            if (typeof tempNum === 'bigint') tempStr = formatBigInt(tempNum)
            else if (typeof tempNum === 'symbol') tempStr = 'NaN'
            else tempStr = formatNumber(Number(tempNum))
            break
          }
          case 79: // 'O'
            tempStr = inspect(args[++a], inspectOptions)
            break
          case 111: // 'o'
            tempStr = inspect(args[++a], { ...inspectOptions, showHidden: true, depth: 4 })
            break
          case 105: {
            // 'i'
            const tempInteger = args[++a]
            if (typeof tempInteger === 'bigint') tempStr = formatBigInt(tempInteger)
            else if (typeof tempInteger === 'symbol') tempStr = 'NaN'
            else tempStr = formatNumber(Number.parseInt(tempInteger as string))
            break
          }
          case 102: {
            // 'f'
            const tempFloat = args[++a]
            if (typeof tempFloat === 'symbol') tempStr = 'NaN'
            else tempStr = formatNumber(Number.parseFloat(tempFloat as string))
            break
          }
          case 99: // 'c'
            a += 1
            tempStr = ''
            break
          case 37: // '%'
            str += first.slice(lastPos, i)
            lastPos = i + 1
            continue
          default:
            continue
        }
        if (lastPos !== i - 1) str += first.slice(lastPos, i - 1)
        str += tempStr
        lastPos = i + 1
      } else if (nextChar === 37) {
        str += first.slice(lastPos, i)
        lastPos = i + 1
      }
    }
    if (lastPos !== 0) {
      a++
      join = ' '
      if (lastPos < first.length) str += first.slice(lastPos)
    }
  }
  while (a < args.length) {
    const value = args[a]
    str += join
    str += typeof value !== 'string' ? inspect(value, inspectOptions) : value
    join = ' '
    a++
  }
  return str
}
