/**
 * Deep equality as Node 20 defines it (lib/internal/util/comparisons.js), shared by
 * `util.isDeepStrictEqual` and node:assert's deepEqual / deepStrictEqual family.
 *
 * Strict mode: primitives by Object.is, same prototypes, same builtin tag, own enumerable
 * string and symbol keys. Loose mode: primitives by `==` (NaN equals NaN), prototypes and symbol
 * keys ignored. Both: Dates by time, RegExps by source/flags/lastIndex, errors by name and
 * message (plus their enumerable keys), typed arrays and ArrayBuffers by content (loose float
 * arrays element by element), boxed primitives by value, Sets and Maps by deep-equal members in
 * any order, cycles by the position at which each pair was met.
 */
import type { types as Types } from './types.js'

// node:util/types, the guest's builtin (the guest-builtins build plugin resolves this at run time).
declare const require: (id: string) => unknown
const types = require('util/types') as typeof Types

type Memos = { a: Map<object, number>; b: Map<object, number>; position: number }
type Key = string | symbol

const enum Iteration {
  None,
  Array,
  Set,
  Map,
}

const hasOwn = (object: object, key: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(object, key)
const isEnumerable = (object: object, key: PropertyKey): boolean => Object.prototype.propertyIsEnumerable.call(object, key)
const tagOf = (value: unknown): string => Object.prototype.toString.call(value) as string
const isErrorLike = (value: object): boolean => types.isNativeError!(value) || value instanceof Error

export function isDeepEqual(a: unknown, b: unknown): boolean {
  return innerDeepEqual(a, b, false, undefined)
}

export function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  return innerDeepEqual(a, b, true, undefined)
}

/** Own enumerable keys that are not array indices (strict mode includes enumerable symbols). */
function nonIndexKeys(value: object, strict: boolean): Key[] {
  const keys: Key[] = Object.keys(value).filter((key) => !/^(0|[1-9][0-9]*)$/.test(key) || Number(key) >= 2 ** 32 - 1)
  if (strict) for (const symbol of Object.getOwnPropertySymbols(value)) if (isEnumerable(value, symbol)) keys.push(symbol)
  return keys
}

function innerDeepEqual(a: unknown, b: unknown, strict: boolean, memos: Memos | undefined): boolean {
  if (a === b) return a !== 0 || !strict || Object.is(a, b)
  if (strict) {
    if (typeof a !== 'object') return typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b)
    if (typeof b !== 'object' || a === null || b === null) return false
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
  } else {
    if (a === null || typeof a !== 'object') {
      // eslint-disable-next-line eqeqeq -- loose equality is what deepEqual means for primitives
      if (b === null || typeof b !== 'object') return a == b || (Number.isNaN(a) && Number.isNaN(b))
      return false
    }
    if (b === null || typeof b !== 'object') return false
  }
  const left = a as object
  const right = b as object
  if (tagOf(left) !== tagOf(right)) return false

  if (Array.isArray(left)) {
    if (!Array.isArray(right) || left.length !== right.length) return false
    const keys = nonIndexKeys(left, strict)
    if (keys.length !== nonIndexKeys(right, strict).length) return false
    return keyCheck(left, right, strict, memos, Iteration.Array, keys)
  }
  if (tagOf(left) === '[object Object]') return keyCheck(left, right, strict, memos, Iteration.None)
  if (types.isDate!(left)) {
    if (!types.isDate!(right) || Date.prototype.getTime.call(left) !== Date.prototype.getTime.call(right)) return false
  } else if (types.isRegExp!(left)) {
    if (!types.isRegExp!(right) || !similarRegExps(left as RegExp, right as RegExp)) return false
  } else if (isErrorLike(left)) {
    // The stacks are not compared: identical errors made on different lines must be equal.
    const l = left as Error
    const r = right as Error
    if (!isErrorLike(right) || l.message !== r.message || l.name !== r.name) return false
  } else if (ArrayBuffer.isView(left)) {
    if (!ArrayBuffer.isView(right)) return false
    const floats = !strict && (types.isFloat32Array!(left) || types.isFloat64Array!(left))
    if (!(floats ? similarFloatArrays(left, right) : sameBytes(left, right))) return false
    const keys = nonIndexKeys(left, strict)
    if (keys.length !== nonIndexKeys(right, strict).length) return false
    return keyCheck(left, right, strict, memos, Iteration.None, keys)
  } else if (types.isSet!(left)) {
    if (!types.isSet!(right) || (left as Set<unknown>).size !== (right as Set<unknown>).size) return false
    return keyCheck(left, right, strict, memos, Iteration.Set)
  } else if (types.isMap!(left)) {
    if (!types.isMap!(right) || (left as Map<unknown, unknown>).size !== (right as Map<unknown, unknown>).size) return false
    return keyCheck(left, right, strict, memos, Iteration.Map)
  } else if (types.isAnyArrayBuffer!(left)) {
    if (!types.isAnyArrayBuffer!(right) || !sameBytes(new Uint8Array(left as ArrayBuffer), new Uint8Array(right as ArrayBuffer))) return false
  } else if (types.isBoxedPrimitive!(left)) {
    if (!equalBoxedPrimitives(left, right)) return false
  } else if (
    Array.isArray(right) ||
    ArrayBuffer.isView(right) ||
    types.isSet!(right) ||
    types.isMap!(right) ||
    types.isDate!(right) ||
    types.isRegExp!(right) ||
    types.isAnyArrayBuffer!(right) ||
    types.isBoxedPrimitive!(right) ||
    isErrorLike(right)
  ) {
    return false
  }
  return keyCheck(left, right, strict, memos, Iteration.None)
}

function similarRegExps(a: RegExp, b: RegExp): boolean {
  return a.source === b.source && a.flags === b.flags && a.lastIndex === b.lastIndex
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.byteLength !== b.byteLength) return false
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  return true
}

/** Loose mode compares float arrays by value: 0 equals -0, NaN differs from NaN. */
function similarFloatArrays(a: ArrayBufferView, b: ArrayBufferView): boolean {
  if (a.byteLength !== b.byteLength) return false
  const x = a as unknown as ArrayLike<number>
  const y = b as unknown as ArrayLike<number>
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  return true
}

function equalBoxedPrimitives(a: object, b: object): boolean {
  const pairs: Array<[(value: unknown) => boolean, (this: unknown) => unknown]> = [
    [types.isNumberObject!, Number.prototype.valueOf],
    [types.isStringObject!, String.prototype.valueOf],
    [types.isBooleanObject!, Boolean.prototype.valueOf],
    [types.isBigIntObject!, BigInt.prototype.valueOf],
    [types.isSymbolObject!, Symbol.prototype.valueOf],
  ]
  for (const [is, valueOf] of pairs) {
    if (is(a)) return is(b) && Object.is(valueOf.call(a), valueOf.call(b))
  }
  return false
}

/**
 * Same own keys (any order), then equal values for each; Sets and Maps by content. Cycles: a
 * pair of objects met again while still being compared is equal only if both were entered at the
 * same position.
 */
function keyCheck(a: object, b: object, strict: boolean, memos: Memos | undefined, iteration: Iteration, givenKeys?: Key[]): boolean {
  let keys: Key[]
  if (givenKeys === undefined) {
    keys = Object.keys(a)
    if (keys.length !== Object.keys(b).length) return false
  } else {
    keys = givenKeys
  }
  for (const key of keys) if (!hasOwn(b, key)) return false
  if (strict && givenKeys === undefined) {
    const symbolsA = Object.getOwnPropertySymbols(a).filter((symbol) => isEnumerable(a, symbol))
    const symbolsB = Object.getOwnPropertySymbols(b).filter((symbol) => isEnumerable(b, symbol))
    if (symbolsA.length !== symbolsB.length) return false
    for (const symbol of symbolsA) {
      if (!isEnumerable(b, symbol)) return false
      keys.push(symbol)
    }
  }
  const size = (a as { size?: number }).size
  if (
    keys.length === 0 &&
    (iteration === Iteration.None || (iteration === Iteration.Array && (a as unknown[]).length === 0) || size === 0)
  ) {
    return true
  }
  let memo = memos
  if (memo === undefined) {
    memo = { a: new Map(), b: new Map(), position: 0 }
  } else {
    const positionA = memo.a.get(a)
    if (positionA !== undefined) {
      const positionB = memo.b.get(b)
      if (positionB !== undefined) return positionA === positionB
    }
    memo.position++
  }
  memo.a.set(a, memo.position)
  memo.b.set(b, memo.position)
  const equal = objectEquivalent(a, b, strict, keys, memo, iteration)
  memo.a.delete(a)
  memo.b.delete(b)
  return equal
}

function objectEquivalent(a: object, b: object, strict: boolean, keys: Key[], memos: Memos, iteration: Iteration): boolean {
  if (iteration === Iteration.Set) {
    if (!setEquivalent(a as Set<unknown>, b as Set<unknown>, strict, memos)) return false
  } else if (iteration === Iteration.Map) {
    if (!mapEquivalent(a as Map<unknown, unknown>, b as Map<unknown, unknown>, strict, memos)) return false
  } else if (iteration === Iteration.Array) {
    const x = a as unknown[]
    const y = b as unknown[]
    for (let i = 0; i < x.length; i++) {
      if (hasOwn(x, i)) {
        if (!hasOwn(y, i) || !innerDeepEqual(x[i], y[i], strict, memos)) return false
      } else if (hasOwn(y, i)) {
        return false
      } else {
        // A hole: compare the remaining keys of the sparse array as an object's.
        const keysA = Object.keys(x)
        for (; i < keysA.length; i++) {
          const key = keysA[i] as string
          if (!hasOwn(y, key) || !innerDeepEqual((x as unknown as Record<string, unknown>)[key], (y as unknown as Record<string, unknown>)[key], strict, memos)) return false
        }
        return keysA.length === Object.keys(y).length
      }
    }
  }
  for (const key of keys) {
    if (!innerDeepEqual((a as Record<Key, unknown>)[key], (b as Record<Key, unknown>)[key], strict, memos)) return false
  }
  return true
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null

/**
 * For loose mode: the primitive a missing primitive might loosely equal. `undefined` means "look
 * for null/undefined", true "some other primitive might match", false "nothing can match".
 */
function looseCounterpart(primitive: unknown): unknown {
  switch (typeof primitive) {
    case 'undefined':
      return null
    case 'object':
      return undefined
    case 'symbol':
      return false
    case 'string':
      return !Number.isNaN(+primitive)
    case 'number':
      return !Number.isNaN(primitive)
    default:
      return true
  }
}

function setMightHaveLoosePrimitive(a: Set<unknown>, b: Set<unknown>, primitive: unknown): boolean {
  const alternative = looseCounterpart(primitive)
  if (alternative !== null && alternative !== undefined) return alternative as boolean
  return b.has(alternative) && !a.has(alternative)
}

function takeEqual(candidates: Set<unknown>, value: unknown, strict: boolean, memos: Memos): boolean {
  for (const candidate of candidates) {
    if (innerDeepEqual(value, candidate, strict, memos)) {
      candidates.delete(candidate)
      return true
    }
  }
  return false
}

function setEquivalent(a: Set<unknown>, b: Set<unknown>, strict: boolean, memos: Memos): boolean {
  let pending: Set<unknown> | null = null
  for (const value of a) {
    if (isObject(value)) {
      ;(pending ??= new Set()).add(value)
    } else if (!b.has(value)) {
      if (strict || !setMightHaveLoosePrimitive(a, b, value)) return false
      ;(pending ??= new Set()).add(value)
    }
  }
  if (pending === null) return true
  for (const value of b) {
    if (isObject(value)) {
      if (!takeEqual(pending, value, strict, memos)) return false
    } else if (!strict && !a.has(value) && !takeEqual(pending, value, strict, memos)) {
      return false
    }
  }
  return pending.size === 0
}

function mapMightHaveLoosePrimitive(a: Map<unknown, unknown>, b: Map<unknown, unknown>, key: unknown, item: unknown, memos: Memos): boolean {
  const alternative = looseCounterpart(key)
  if (alternative !== null && alternative !== undefined) return alternative as boolean
  const other = b.get(alternative)
  if ((other === undefined && !b.has(alternative)) || !innerDeepEqual(item, other, false, memos)) return false
  return !a.has(alternative) && innerDeepEqual(item, other, false, memos)
}

function takeEqualEntry(keys: Set<unknown>, map: Map<unknown, unknown>, key: unknown, item: unknown, strict: boolean, memos: Memos): boolean {
  for (const candidate of keys) {
    if (innerDeepEqual(key, candidate, strict, memos) && innerDeepEqual(item, map.get(candidate), strict, memos)) {
      keys.delete(candidate)
      return true
    }
  }
  return false
}

function mapEquivalent(a: Map<unknown, unknown>, b: Map<unknown, unknown>, strict: boolean, memos: Memos): boolean {
  let pending: Set<unknown> | null = null
  for (const [key, item] of a) {
    if (isObject(key)) {
      ;(pending ??= new Set()).add(key)
      continue
    }
    const other = b.get(key)
    if ((other === undefined && !b.has(key)) || !innerDeepEqual(item, other, strict, memos)) {
      if (strict || !mapMightHaveLoosePrimitive(a, b, key, item, memos)) return false
      ;(pending ??= new Set()).add(key)
    }
  }
  if (pending === null) return true
  for (const [key, item] of b) {
    if (isObject(key)) {
      if (!takeEqualEntry(pending, a, key, item, strict, memos)) return false
    } else if (
      !strict &&
      (!a.has(key) || !innerDeepEqual(a.get(key), item, false, memos)) &&
      !takeEqualEntry(pending, a, key, item, false, memos)
    ) {
      return false
    }
  }
  return pending.size === 0
}
