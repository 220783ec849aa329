/**
 * Type checks via brand-checking builtins: the engine equivalents of Node's `util.types`. A value
 * is a Map if `Map.prototype.size`'s getter accepts it, whatever its prototype or toStringTag say,
 * which is what Node observes natively. The getters are looked up once per chunk, on first use.
 */

export const hasOwn = (object: object, key: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(object, key)
export const objectToString = (value: unknown): string => Object.prototype.toString.call(value) as string

interface Brands {
  mapSize: (this: unknown) => unknown
  setSize: (this: unknown) => unknown
  typedArrayTag: (this: unknown) => unknown
  arrayBufferByteLength: (this: unknown) => unknown
  dataViewByteLength: (this: unknown) => unknown
  regExpSource: (this: unknown) => unknown
  asyncFunctionProto: object
  generatorFunctionProto: object
  asyncGeneratorFunctionProto: object
  builtInObjects: Set<string>
}

let brands: Brands | undefined

export function getBrands(): Brands {
  if (brands === undefined) {
    const get = (proto: object, key: PropertyKey): ((this: unknown) => unknown) =>
      Object.getOwnPropertyDescriptor(proto, key)?.get as (this: unknown) => unknown
    brands = {
      mapSize: get(Map.prototype, 'size'),
      setSize: get(Set.prototype, 'size'),
      typedArrayTag: get(Object.getPrototypeOf(Uint8Array.prototype) as object, Symbol.toStringTag),
      arrayBufferByteLength: get(ArrayBuffer.prototype, 'byteLength'),
      dataViewByteLength: get(DataView.prototype, 'byteLength'),
      regExpSource: get(RegExp.prototype, 'source'),
      asyncFunctionProto: Object.getPrototypeOf(async function () {}) as object,
      generatorFunctionProto: Object.getPrototypeOf(function* () {}) as object,
      asyncGeneratorFunctionProto: Object.getPrototypeOf(async function* () {}) as object,
      // Node computes this list before its lazily defined web globals exist, so `%s` of a URL or
      // URLSearchParams uses their own toString(): exclude those two the same way.
      builtInObjects: new Set(
        Object.getOwnPropertyNames(globalThis).filter(
          (name) => /^[A-Z][a-zA-Z0-9]+$/.test(name) && name !== 'URL' && name !== 'URLSearchParams',
        ),
      ),
    }
  }
  return brands
}

/** Whether calling the brand-checking getter `check` on `value` succeeds. */
export function passes(check: (this: unknown) => unknown, value: unknown): boolean {
  try {
    check.call(value)
    return true
  } catch {
    return false
  }
}

export const isMap = (value: object): value is Map<unknown, unknown> => passes(getBrands().mapSize, value)
export const isSet = (value: object): value is Set<unknown> => passes(getBrands().setSize, value)
export const isArrayBuffer = (value: object): value is ArrayBuffer => passes(getBrands().arrayBufferByteLength, value)
export const isDataView = (value: object): value is DataView => passes(getBrands().dataViewByteLength, value)
export const isRegExp = (value: object): value is RegExp =>
  value !== RegExp.prototype && passes(getBrands().regExpSource, value)
export const isDate = (value: object): value is Date => passes(Date.prototype.getTime, value)
export const isError = (value: object): value is Error => value instanceof Error || objectToString(value) === '[object Error]'

export function typedArrayName(value: object): string | undefined {
  return getBrands().typedArrayTag.call(value) as string | undefined
}

export function isPromise(value: object): boolean {
  return value instanceof Promise || objectToString(value) === '[object Promise]'
}

export function isWeak(value: object, Ctor: unknown): boolean {
  if (typeof Ctor !== 'function') return false
  const has = (Ctor as { prototype: { has: (this: unknown, key: object) => boolean } }).prototype.has
  try {
    has.call(value, {})
    return true
  } catch {
    return false
  }
}

export function protoChainIncludes(value: object, proto: object): boolean {
  let current = Object.getPrototypeOf(value) as object | null
  while (current !== null) {
    if (current === proto) return true
    current = Object.getPrototypeOf(current) as object | null
  }
  return false
}

/** QuickJS reports "InternalError: stack overflow", V8 "RangeError: Maximum call stack size exceeded". */
export function isStackOverflow(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false
  const { name, message } = err as { name?: unknown; message?: unknown }
  return (
    (name === 'InternalError' || name === 'RangeError') &&
    typeof message === 'string' &&
    /stack overflow|call stack/i.test(message)
  )
}
