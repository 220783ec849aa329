/**
 * node:util/types: Node's type checks, made from what plain ECMAScript can observe. Where the
 * spec offers a brand check (a builtin getter or method that throws for anything but the real
 * thing: `Map.prototype.size`, `Date.prototype.getTime`, the typed-array `@@toStringTag` getter)
 * it is used, so a value's prototype or `Symbol.toStringTag` cannot fool it, as in Node.
 * Elsewhere (arguments objects, errors, promises, iterators, generators) the check relies on the
 * prototype chain or the builtin tag, which a determined object can imitate.
 *
 * `isProxy` is always false: no JavaScript code can tell a Proxy from its target (Node asks V8).
 * `isExternal` is always false (there are no native addons), `isKeyObject` is false (no
 * node:crypto KeyObject here), `isCryptoKey` recognises the global `CryptoKey` if there is one.
 */
import {
  getBrands,
  isArrayBuffer as isArrayBufferObject,
  isDataView as isDataViewObject,
  isDate as isDateObject,
  isMap as isMapObject,
  isRegExp as isRegExpObject,
  isSet as isSetObject,
  isWeak,
  objectToString,
  passes,
  protoChainIncludes,
  typedArrayName,
} from '../globals/inspect/type-checks.js'

type Check = (value: unknown) => boolean

const isObjectLike = (value: unknown): value is object =>
  (typeof value === 'object' && value !== null) || typeof value === 'function'

/** Lifts a check on objects to any value (primitives are never any of these). */
const onObjects =
  (check: (value: object) => boolean): Check =>
  (value) =>
    isObjectLike(value) && check(value)

/** The builtin tag of an object that does not override it with its own `Symbol.toStringTag`. */
function builtinTag(value: object): string | undefined {
  if (typeof (value as Record<symbol, unknown>)[Symbol.toStringTag] === 'string') return undefined
  return objectToString(value)
}

const protoOf = (value: object): object => Object.getPrototypeOf(value) as object
const iteratorPrototypes = {
  map: protoOf(new Map().entries()),
  set: protoOf(new Set().values()),
  generator: protoOf(protoOf((function* () {})())),
  asyncGenerator: protoOf(protoOf((async function* () {})())),
}

const typedArrayCheck = (name: string): Check => onObjects((value) => typedArrayName(value) === name)

function sharedArrayBufferByteLength(): ((this: unknown) => unknown) | undefined {
  const Shared = (globalThis as Record<string, unknown>).SharedArrayBuffer
  if (typeof Shared !== 'function') return undefined
  return Object.getOwnPropertyDescriptor(Shared.prototype, 'byteLength')?.get as (this: unknown) => unknown
}

const isArrayBuffer = onObjects(isArrayBufferObject)
const isSharedArrayBuffer = onObjects((value) => {
  const byteLength = sharedArrayBufferByteLength()
  return byteLength !== undefined && passes(byteLength, value)
})
const isNumberObject = onObjects((value) => passes(Number.prototype.valueOf, value))
const isStringObject = onObjects((value) => passes(String.prototype.valueOf, value))
const isBooleanObject = onObjects((value) => passes(Boolean.prototype.valueOf, value))
const isBigIntObject = onObjects((value) => passes(BigInt.prototype.valueOf, value))
const isSymbolObject = onObjects((value) => passes(Symbol.prototype.valueOf, value))

/** Key order as in Node 20 (what `Object.keys(require('util/types'))` lists). */
export const types: Record<string, Check> = {
  isExternal: () => false,
  isDate: onObjects(isDateObject),
  isArgumentsObject: onObjects((value) => builtinTag(value) === '[object Arguments]'),
  isBigIntObject,
  isBooleanObject,
  isNumberObject,
  isStringObject,
  isSymbolObject,
  isNativeError: onObjects((value) => builtinTag(value) === '[object Error]'),
  isRegExp: onObjects(isRegExpObject),
  isAsyncFunction: (value) =>
    typeof value === 'function' &&
    (protoChainIncludes(value, getBrands().asyncFunctionProto) || protoChainIncludes(value, getBrands().asyncGeneratorFunctionProto)),
  isGeneratorFunction: (value) =>
    typeof value === 'function' &&
    (protoChainIncludes(value, getBrands().generatorFunctionProto) || protoChainIncludes(value, getBrands().asyncGeneratorFunctionProto)),
  isGeneratorObject: onObjects(
    (value) => protoChainIncludes(value, iteratorPrototypes.generator) || protoChainIncludes(value, iteratorPrototypes.asyncGenerator),
  ),
  isPromise: onObjects((value) => value instanceof Promise || builtinTag(value) === '[object Promise]'),
  isMap: onObjects(isMapObject),
  isSet: onObjects(isSetObject),
  isMapIterator: onObjects((value) => protoChainIncludes(value, iteratorPrototypes.map)),
  isSetIterator: onObjects((value) => protoChainIncludes(value, iteratorPrototypes.set)),
  isWeakMap: onObjects((value) => isWeak(value, WeakMap)),
  isWeakSet: onObjects((value) => isWeak(value, WeakSet)),
  isArrayBuffer,
  isDataView: onObjects(isDataViewObject),
  isSharedArrayBuffer,
  // Not observable from JavaScript: a Proxy is indistinguishable from its target.
  isProxy: () => false,
  isModuleNamespaceObject: onObjects(
    (value) =>
      Object.getPrototypeOf(value) === null &&
      !Object.isExtensible(value) &&
      Object.getOwnPropertyDescriptor(value, Symbol.toStringTag)?.value === 'Module',
  ),
  isAnyArrayBuffer: (value) => isArrayBuffer(value) || isSharedArrayBuffer(value),
  isBoxedPrimitive: (value) =>
    isNumberObject(value) || isStringObject(value) || isBooleanObject(value) || isBigIntObject(value) || isSymbolObject(value),
  isArrayBufferView: (value) => ArrayBuffer.isView(value),
  isTypedArray: onObjects((value) => typedArrayName(value) !== undefined),
  isUint8Array: typedArrayCheck('Uint8Array'),
  isUint8ClampedArray: typedArrayCheck('Uint8ClampedArray'),
  isUint16Array: typedArrayCheck('Uint16Array'),
  isUint32Array: typedArrayCheck('Uint32Array'),
  isInt8Array: typedArrayCheck('Int8Array'),
  isInt16Array: typedArrayCheck('Int16Array'),
  isInt32Array: typedArrayCheck('Int32Array'),
  isFloat32Array: typedArrayCheck('Float32Array'),
  isFloat64Array: typedArrayCheck('Float64Array'),
  isBigInt64Array: typedArrayCheck('BigInt64Array'),
  isBigUint64Array: typedArrayCheck('BigUint64Array'),
  // There is no node:crypto KeyObject in the guest.
  isKeyObject: () => false,
  isCryptoKey: (value) => {
    const CryptoKey = (globalThis as Record<string, unknown>).CryptoKey
    return typeof CryptoKey === 'function' && isObjectLike(value) && value instanceof CryptoKey
  },
}
