/**
 * The recursion at the heart of `inspect`: `formatValue` handles custom inspect methods and
 * circular references, `formatRaw` works out what kind of object it has (array, Map, Error,
 * boxed primitive …), picks the braces, prefix and entry formatter, and hands the entries to
 * the layout. Mirrors formatValue/formatRaw in Node's lib/internal/util/inspect.js.
 *
 * The recursion is mutual, as in Node's single file: the entry formatters (collections.ts) and
 * getConstructorName (names.ts) call back into this module. The import cycle is only followed at
 * call time, never while the modules initialise.
 */
import { formatArray, formatArrayBuffer, formatMap, formatSet, formatTypedArray } from './collections.js'
import { formatError } from './errors.js'
import { getFunctionBase } from './functions.js'
import { reduceToSingleString } from './layout.js'
import { getConstructorName, getCtxStyle, getKeys, getOwnNonIndexProperties, getPrefix } from './names.js'
import {
  createContext,
  getUserOptions,
  legacyOptions,
  kArrayExtrasType,
  kArrayType,
  kObjectType,
  type Context,
  type Formatter,
  type InspectOptions,
  type Key,
} from './options.js'
import { escapeFn, formatNumber, formatPrimitive, getBoxedBase, strEscape, strEscapeSequencesReplacer } from './primitives.js'
import {
  getBrands,
  hasOwn,
  isArrayBuffer,
  isDataView,
  isDate,
  isError,
  isMap,
  isPromise,
  isRegExp,
  isSet,
  isStackOverflow,
  isWeak,
  objectToString,
  typedArrayName,
} from './type-checks.js'

/** Above this length, (typed) arrays are not scanned for extra non-index properties. */
const LARGE_COLLECTION = 10000
const customInspectSymbol = Symbol.for('nodejs.util.inspect.custom')
/** Property keys printed without quotes. */
const keyStrRegExp = /^[a-zA-Z_][a-zA-Z_0-9]*$/

/**
 * Node's `util.inspect` (no colors), including the legacy `inspect(value, showHidden, depth,
 * colors)` form. node:util exports this very function, so custom inspect methods receive it.
 */
export function inspect(value: unknown, options?: InspectOptions | boolean, ...legacy: unknown[]): string {
  return formatValue(createContext(legacyOptions(options, legacy)), value, 0)
}

/** One `key: value` entry (just the value for array items). Accessors are shown, not called. */
export function formatProperty(ctx: Context, value: object, recurseTimes: number, key: Key, type: number): string {
  let str: string
  let extra = ' '
  const desc: PropertyDescriptor = Object.getOwnPropertyDescriptor(value, key) ?? {
    value: (value as Record<Key, unknown>)[key],
    enumerable: true,
  }
  if (desc.value !== undefined) {
    // `compact: true` puts a long value of an object property on its own line.
    const diff = ctx.compact !== true || type !== kObjectType ? 2 : 3
    ctx.indentationLvl += diff
    str = formatValue(ctx, desc.value, recurseTimes)
    if (diff === 3 && ctx.breakLength < str.length) extra = `\n${' '.repeat(ctx.indentationLvl)}`
    ctx.indentationLvl -= diff
  } else if (desc.get !== undefined) {
    const label = desc.set !== undefined ? 'Getter/Setter' : 'Getter'
    const getters = ctx.getters
    if (getters === true || (getters === 'get' && desc.set === undefined) || (getters === 'set' && desc.set !== undefined)) {
      // The `getters` option: call the getter and show what it returns.
      try {
        const result: unknown = desc.get.call(value)
        ctx.indentationLvl += 2
        if (result === null) str = `[${label}: null]`
        else if (typeof result === 'object') str = `[${label}] ${formatValue(ctx, result, recurseTimes)}`
        else str = `[${label}: ${formatPrimitive(result, ctx)}]`
        ctx.indentationLvl -= 2
      } catch (err) {
        str = `[${label}: <Inspection threw (${(err as Error).message})>]`
      }
    } else {
      str = `[${label}]`
    }
  } else if (desc.set !== undefined) {
    str = '[Setter]'
  } else {
    str = 'undefined'
  }
  if (type === kArrayType) return str
  let name: string
  if (typeof key === 'symbol') {
    name = `[${key.toString().replace(strEscapeSequencesReplacer, escapeFn)}]`
  } else if (key === '__proto__') {
    name = "['__proto__']"
  } else if (desc.enumerable === false) {
    name = `[${key.replace(strEscapeSequencesReplacer, escapeFn)}]`
  } else if (keyStrRegExp.test(key)) {
    name = key
  } else {
    name = strEscape(key)
  }
  return `${name}:${extra}${str}`
}

/** Any value: primitives directly; objects after their custom inspect method and the cycle check. */
export function formatValue(ctx: Context, value: unknown, recurseTimes: number, typedArray?: boolean): string {
  if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(value, ctx)
  if (value === null) return 'null'
  const object = value as object

  if (ctx.customInspect) {
    let maybeCustom: unknown
    try {
      maybeCustom = (object as Record<symbol, unknown>)[customInspectSymbol]
    } catch {
      maybeCustom = undefined
    }
    if (typeof maybeCustom === 'function' && maybeCustom !== inspect) {
      const ctor = (object as { constructor?: { prototype?: unknown } }).constructor
      if (!(ctor && ctor.prototype === object)) {
        const depth = ctx.depth - recurseTimes
        const ret: unknown = maybeCustom.call(object, depth === Infinity ? null : depth, getUserOptions(ctx), inspect)
        if (ret !== object) {
          if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes)
          return ret.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`)
        }
      }
    }
  }

  if (ctx.seen.includes(object)) {
    let index = 1
    if (ctx.circular === undefined) {
      ctx.circular = new Map()
      ctx.circular.set(object, index)
    } else {
      const known = ctx.circular.get(object)
      if (known === undefined) {
        index = ctx.circular.size + 1
        ctx.circular.set(object, index)
      } else {
        index = known
      }
    }
    return `[Circular *${index}]`
  }
  return formatRaw(ctx, object, recurseTimes, typedArray)
}

/** An object not already on the current path: chooses its braces, prefix and entries. */
function formatRaw(ctx: Context, value: object, recurseTimes: number, typedArray?: boolean): string {
  let keys: Key[] = []
  const constructor = getConstructorName(value)
  let tag: unknown
  try {
    tag = (value as Record<symbol, unknown>)[Symbol.toStringTag]
  } catch {
    tag = ''
  }
  // Only show the tag when it is not an own (enumerable) property, which would print twice.
  if (
    typeof tag !== 'string' ||
    (tag !== '' &&
      (ctx.showHidden ? hasOwn(value, Symbol.toStringTag) : Object.prototype.propertyIsEnumerable.call(value, Symbol.toStringTag)))
  ) {
    tag = ''
  }
  const tagStr = tag as string
  let base = ''
  let formatter: Formatter = () => []
  let braces: [string, string] = ['{', '}']
  let noIterator = true
  let extrasType = kObjectType

  if (Symbol.iterator in value || constructor === null) {
    noIterator = false
    if (Array.isArray(value)) {
      const prefix = constructor !== 'Array' || tagStr !== '' ? getPrefix(constructor, tagStr, 'Array', `(${value.length})`) : ''
      // Listing the own keys of a huge array is slow in an interpreter: skip extra-key detection there.
      keys = value.length > LARGE_COLLECTION && !ctx.showHidden ? [] : getOwnNonIndexProperties(value, ctx.showHidden)
      braces = [`${prefix}[`, ']']
      if (value.length === 0 && keys.length === 0) return `${braces[0]}]`
      extrasType = kArrayExtrasType
      formatter = formatArray
    } else if (isSet(value)) {
      const size = getBrands().setSize.call(value) as number
      const prefix = getPrefix(constructor, tagStr, 'Set', `(${size})`)
      keys = getKeys(value, ctx.showHidden)
      formatter = formatSet
      if (size === 0 && keys.length === 0) return `${prefix}{}`
      braces = [`${prefix}{`, '}']
    } else if (isMap(value)) {
      const size = getBrands().mapSize.call(value) as number
      const prefix = getPrefix(constructor, tagStr, 'Map', `(${size})`)
      keys = getKeys(value, ctx.showHidden)
      formatter = formatMap
      if (size === 0 && keys.length === 0) return `${prefix}{}`
      braces = [`${prefix}{`, '}']
    } else {
      const typedName = typedArrayName(value)
      if (typedName !== undefined) {
        const size = (value as Uint8Array).length
        keys = size > LARGE_COLLECTION && !ctx.showHidden ? [] : getOwnNonIndexProperties(value, ctx.showHidden)
        const prefix = getPrefix(constructor, tagStr, constructor === null ? typedName : '', `(${size})`)
        braces = [`${prefix}[`, ']']
        if (size === 0 && keys.length === 0 && !ctx.showHidden) return `${braces[0]}]`
        formatter = formatTypedArray(size)
        extrasType = kArrayExtrasType
      } else {
        noIterator = true
      }
    }
  }
  if (noIterator) {
    keys = getKeys(value, ctx.showHidden)
    braces = ['{', '}']
    if (typeof value === 'function') {
      base = getFunctionBase(value as Function, constructor, tagStr)
      if (keys.length === 0) return base
    } else if (constructor === 'Object') {
      if (objectToString(value) === '[object Arguments]') {
        braces[0] = '[Arguments] {'
      } else if (tagStr !== '') {
        braces[0] = `${getPrefix(constructor, tagStr, 'Object')}{`
      }
      if (keys.length === 0) return `${braces[0]}}`
    } else if (isRegExp(value)) {
      base = RegExp.prototype.toString.call(value)
      const prefix = getPrefix(constructor, tagStr, 'RegExp')
      if (prefix !== 'RegExp ') base = `${prefix}${base}`
      if (keys.length === 0 || recurseTimes > ctx.depth) return base
    } else if (isDate(value)) {
      const time = Date.prototype.getTime.call(value)
      base = Number.isNaN(time) ? Date.prototype.toString.call(value) : Date.prototype.toISOString.call(value)
      const prefix = getPrefix(constructor, tagStr, 'Date')
      if (prefix !== 'Date ') base = `${prefix}${base}`
      if (keys.length === 0) return base
    } else if (isError(value)) {
      base = formatError(value, constructor, tagStr, ctx, keys)
      if (keys.length === 0) return base
    } else if (isArrayBuffer(value)) {
      const prefix = getPrefix(constructor, tagStr, 'ArrayBuffer')
      if (typedArray === undefined) {
        formatter = formatArrayBuffer
      } else if (keys.length === 0) {
        return `${prefix}{ byteLength: ${formatNumber(value.byteLength)} }`
      }
      braces[0] = `${prefix}{`
      keys.unshift('byteLength')
    } else if (isDataView(value)) {
      braces[0] = `${getPrefix(constructor, tagStr, 'DataView')}{`
      keys.unshift('byteLength', 'byteOffset', 'buffer')
    } else if (isPromise(value)) {
      braces[0] = `${getPrefix(constructor, tagStr, 'Promise')}{`
      formatter = () => ['<unknown>']
    } else if (isWeak(value, (globalThis as Record<string, unknown>).WeakSet)) {
      braces[0] = `${getPrefix(constructor, tagStr, 'WeakSet')}{`
      formatter = () => ['<items unknown>']
    } else if (isWeak(value, (globalThis as Record<string, unknown>).WeakMap)) {
      braces[0] = `${getPrefix(constructor, tagStr, 'WeakMap')}{`
      formatter = () => ['<items unknown>']
    } else if (constructor === null && tagStr === 'Module') {
      braces[0] = '[Module: null prototype] {'
    } else {
      const boxed = getBoxedBase(value, ctx, keys, constructor, tagStr)
      if (boxed !== undefined) {
        base = boxed
        if (keys.length === 0) return base
      } else {
        if (keys.length === 0) return `${getCtxStyle(constructor, tagStr)}{}`
        braces[0] = `${getCtxStyle(constructor, tagStr)}{`
      }
    }
  }

  if (recurseTimes > ctx.depth) {
    let constructorName = getCtxStyle(constructor, tagStr).slice(0, -1)
    if (constructor !== null) constructorName = `[${constructorName}]`
    return constructorName
  }
  recurseTimes += 1
  ctx.seen.push(value)
  ctx.currentDepth = recurseTimes
  let output: string[]
  const indentationLvl = ctx.indentationLvl
  try {
    output = formatter(ctx, value, recurseTimes)
    for (const key of keys) output.push(formatProperty(ctx, value, recurseTimes, key, extrasType))
  } catch (err) {
    if (!isStackOverflow(err)) throw err
    ctx.seen.pop()
    ctx.indentationLvl = indentationLvl
    const constructorName = getCtxStyle(constructor, tagStr).slice(0, -1)
    return `[${constructorName}: Inspection interrupted prematurely. Maximum call stack size exceeded.]`
  }
  if (ctx.sorted !== false) {
    const comparator = ctx.sorted === true ? undefined : ctx.sorted
    if (extrasType === kObjectType) {
      output.sort(comparator)
    } else if (keys.length > 1) {
      // Array-likes: only the extra keys after the items are sorted.
      const extras = output.splice(output.length - keys.length, keys.length).sort(comparator)
      output.push(...extras)
    }
  }
  if (ctx.circular !== undefined) {
    const index = ctx.circular.get(value)
    if (index !== undefined) {
      const reference = `<ref *${index}>`
      base = base === '' ? reference : `${reference} ${base}`
    }
  }
  ctx.seen.pop()
  return reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value)
}
