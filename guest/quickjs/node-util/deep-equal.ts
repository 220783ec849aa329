/**
 * Deep equality as Node 20 defines it (lib/internal/util/comparisons.js), shared by
 * `util.isDeepStrictEqual` and node:assert's deepEqual / deepStrictEqual family.
 *
 * Strict mode: primitives by Object.is, same prototypes, same builtin tag, own enumerable
 * string and symbol keys. Loose mode: primitives by `==` (NaN equals NaN), prototypes and symbol
 * keys ignored. Both: Dates by time, RegExps by source/flags/lastIndex, errors by name, message,
 * cause and errors (plus their enumerable keys), typed arrays and ArrayBuffers by content (loose
 * float arrays element by element), boxed primitives by value, URLs by href, Sets and Maps by
 * deep-equal members in any order. Cycles: the first two levels of nested objects are tracked
 * directly, deeper ones in a set of the objects being compared; meeting a pair again counts as
 * equal (Node 20.20's algorithm, so that `a = [1, a]` equals `b = [1, [1, b]]`).
 */
import type { types as Types } from './types.js'

// node:util/types, the guest's builtin (the guest-builtins build plugin resolves this at run time).
declare const require: (id: string) => unknown
const types = require('util/types') as typeof Types

/** What the comparison tracks to stop at cycles (see keyCheck). */
interface Memos {
  set: Set<object> | undefined
  a: object
  b: object
  c: object | undefined
  d: object | undefined
  deep: boolean
  deleteFailures: boolean
}
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
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype) as object, Symbol.toStringTag)?.get as (this: unknown) => unknown
/** Node's isURL: URL-shaped (an href and a protocol, no legacy `auth` / `path`). */
const isURL = (value: object): boolean => {
  const v = value as { href?: unknown; protocol?: unknown; auth?: unknown; path?: unknown }
  return Boolean(v.href && v.protocol && v.auth === undefined && v.path === undefined)
}

export function isDeepEqual(a: unknown, b: unknown): boolean {
  return innerDeepEqual(a, b, false, undefined)
}

export function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  return innerDeepEqual(a, b, true, undefined)
}

/** Own enumerable keys that are not array indices (strict mode includes enumerable symbols). */
function nonIndexKeys(value: object, strict: boolean): Key[] {
  const names = Object.keys(value)
  const length = (value as { length?: number }).length
  // Index keys come first, in order: a full, dense array-like ends with its last index and has no others.
  const dense = length !== undefined && length > 0 && names.length === length && names[length - 1] === String(length - 1)
  const keys: Key[] = dense ? [] : names.filter((key) => !/^(0|[1-9][0-9]*)$/.test(key) || Number(key) >= 2 ** 32 - 1)
  if (strict) for (const symbol of Object.getOwnPropertySymbols(value)) if (isEnumerable(value, symbol)) keys.push(symbol)
  return keys
}

/** Errors: name, message, cause and errors, each compared as a key when enumerable and here when not. */
function equalErrors(a: object, b: object, strict: boolean, memos: Memos | undefined): boolean {
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  for (const key of ['message', 'name', 'cause', 'errors']) {
    const enumerable = isEnumerable(a, key)
    if (enumerable !== isEnumerable(b, key)) return false
    if (enumerable) continue
    if (key === 'message' || key === 'name' ? x[key] !== y[key] : !innerDeepEqual(x[key], y[key], strict, memos)) return false
  }
  return true
}

function innerDeepEqual(a: unknown, b: unknown, strict: boolean, memos: Memos | undefined): boolean {
  if (a === b) return a !== 0 || Object.is(a, b) || !strict
  if (strict) {
    if (typeof a === 'number') return Number.isNaN(a) && Number.isNaN(b)
    if (typeof b !== 'object' || typeof a !== 'object' || a === null || b === null || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false
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
  const tag = tagOf(left)
  if (tag !== tagOf(right)) return false

  if (Array.isArray(left)) {
    if (!Array.isArray(right) || left.length !== right.length) return false
    const keys = nonIndexKeys(left, strict)
    if (keys.length !== nonIndexKeys(right, strict).length) return false
    return keyCheck(left, right, strict, memos, Iteration.Array, keys)
  }
  if (tag === '[object Object]') return keyCheck(left, right, strict, memos, Iteration.None)
  if (types.isDate!(left)) {
    if (!types.isDate!(right) || Date.prototype.getTime.call(left) !== Date.prototype.getTime.call(right)) return false
  } else if (types.isRegExp!(left)) {
    if (!types.isRegExp!(right) || !similarRegExps(left as RegExp, right as RegExp)) return false
  } else if (ArrayBuffer.isView(left)) {
    if (typedArrayTag.call(left) !== typedArrayTag.call(right)) return false
    const floats = !strict && (types.isFloat32Array!(left) || types.isFloat64Array!(left))
    if (!(floats ? similarFloatArrays(left, right as ArrayBufferView) : sameBytes(left, right as ArrayBufferView))) return false
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
  } else if (isErrorLike(left)) {
    // The stacks are not compared: identical errors made on different lines must be equal.
    if (!isErrorLike(right) || !equalErrors(left, right, strict, memos)) return false
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
  } else if (isURL(left)) {
    if (!isURL(right) || (left as { href: string }).href !== (right as { href: string }).href) return false
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
  for (let i = 0; i < a.byteLength; i++) if (x[i] !== y[i]) return false
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
 * Same own enumerable keys (any order), then equal values for each; Sets and Maps by content.
 * Cycles: the outermost pair and the next one are remembered in `memos` directly (cheap for the
 * common, shallow case); below that, every pair being compared is in `memos.set`, and a pair
 * whose two objects are both already there is taken as equal.
 */
function keyCheck(a: object, b: object, strict: boolean, memosIn: Memos | undefined, iteration: Iteration, givenKeys?: Key[]): boolean {
  const arrayLike = givenKeys !== undefined
  const keys: Key[] = givenKeys ?? Object.keys(a)
  for (const key of keys) if (!isEnumerable(b, key)) return false
  if (!arrayLike) {
    if (keys.length !== Object.keys(b).length) return false
    if (strict) {
      const symbolsA = Object.getOwnPropertySymbols(a)
      let count = 0
      for (const symbol of symbolsA) {
        if (isEnumerable(a, symbol)) {
          if (!isEnumerable(b, symbol)) return false
          keys.push(symbol)
          count++
        } else if (isEnumerable(b, symbol)) {
          return false
        }
      }
      const symbolsB = Object.getOwnPropertySymbols(b)
      if (symbolsA.length !== symbolsB.length && symbolsB.filter((symbol) => isEnumerable(b, symbol)).length !== count) return false
    }
  }
  if (keys.length === 0 && (iteration === Iteration.None || (iteration === Iteration.Array && (a as unknown[]).length === 0) || (a as { size?: number }).size === 0)) {
    return true
  }
  if (memosIn === undefined) {
    const memos: Memos = { set: undefined, a, b, c: undefined, d: undefined, deep: false, deleteFailures: false }
    return objectEquivalent(a, b, strict, keys, memos, iteration)
  }
  const memos = memosIn
  if (memos.set === undefined) {
    if (!memos.deep) {
      if (memos.a === a && memos.b === b) return true
      memos.c = a
      memos.d = b
      memos.deep = true
      const result = objectEquivalent(a, b, strict, keys, memos, iteration)
      memos.deep = false
      return result
    }
    memos.set = new Set([memos.a, memos.b, memos.c as object, memos.d as object])
  }
  const set = memos.set
  const originalSize = set.size
  set.add(a)
  set.add(b)
  if (originalSize === set.size) return true
  const equal = objectEquivalent(a, b, strict, keys, memos, iteration)
  if (equal || memos.deleteFailures) {
    set.delete(a)
    set.delete(b)
  }
  return equal
}

function objectEquivalent(a: object, b: object, strict: boolean, keys: Key[], memos: Memos, iteration: Iteration): boolean {
  for (const key of keys) {
    if (!innerDeepEqual((a as Record<Key, unknown>)[key], (b as Record<Key, unknown>)[key], strict, memos)) return false
  }
  if (iteration === Iteration.Array) {
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
        const record = (array: unknown[]): Record<string, unknown> => array as unknown as Record<string, unknown>
        for (; i < keysA.length; i++) {
          const key = keysA[i] as string
          if (!hasOwn(y, key) || !innerDeepEqual(record(x)[key], record(y)[key], strict, memos)) return false
        }
        return keysA.length === Object.keys(y).length
      }
    }
  } else if (iteration === Iteration.Set) {
    if (!setEquivalent(a as Set<unknown>, b as Set<unknown>, strict, memos)) return false
  } else if (iteration === Iteration.Map) {
    if (!mapEquivalent(a as Map<unknown, unknown>, b as Map<unknown, unknown>, strict, memos)) return false
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

/** Takes the first member of `candidates` deep-equal to `value` out of it; whether there was one. */
function takeEqual(candidates: Set<unknown>, value: unknown, strict: boolean, memos: Memos): boolean {
  const { deleteFailures } = memos
  memos.deleteFailures = true
  try {
    for (const candidate of candidates) {
      if (innerDeepEqual(candidate, value, strict, memos)) {
        candidates.delete(candidate)
        return true
      }
    }
    return false
  } finally {
    memos.deleteFailures = deleteFailures
  }
}

function setEquivalent(a: Set<unknown>, b: Set<unknown>, strict: boolean, memos: Memos): boolean {
  let pending: Set<unknown> | null = null
  for (const value of a) {
    if (b.has(value)) continue
    if (!isObject(value) && (strict || !setMightHaveLoosePrimitive(a, b, value))) return false
    if (pending === null) {
      if (b.size === 1) return innerDeepEqual(value, b.values().next().value, strict, memos)
      pending = new Set()
    }
    pending.add(value)
  }
  if (pending === null) return true
  for (const value of b) {
    if (isObject(value)) {
      if (!a.has(value) && !takeEqual(pending, value, strict, memos)) return false
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
  const { deleteFailures } = memos
  memos.deleteFailures = true
  try {
    for (const candidate of keys) {
      if (innerDeepEqual(candidate, key, strict, memos) && innerDeepEqual(map.get(candidate), item, strict, memos)) {
        keys.delete(candidate)
        return true
      }
    }
    return false
  } finally {
    memos.deleteFailures = deleteFailures
  }
}

function mapEquivalent(a: Map<unknown, unknown>, b: Map<unknown, unknown>, strict: boolean, memos: Memos): boolean {
  let pending: Set<unknown> | null = null
  for (const [key, item] of a) {
    if (isObject(key)) {
      if (pending === null) {
        if (b.size === 1) {
          const [otherKey, otherItem] = b.entries().next().value as [unknown, unknown]
          return innerDeepEqual(key, otherKey, strict, memos) && innerDeepEqual(item, otherItem, strict, memos)
        }
        pending = new Set()
      }
      pending.add(key)
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
    } else if (!strict && (!a.has(key) || !innerDeepEqual(a.get(key), item, strict, memos)) && !takeEqualEntry(pending, a, key, item, strict, memos)) {
      return false
    }
  }
  return pending.size === 0
}
