/**
 * `structuredClone(value, { transfer })` for the guest, following the HTML structured
 * serialize/deserialize algorithms in a single recursive pass with an identity map.
 *
 * Why not `@ungap/structured-clone` (evaluated, v1.4.0): it round-trips through an intermediate
 * record array and deviates from the real algorithm in ways that matter here — functions and
 * symbols throw a plain TypeError (not a 'DataCloneError'), WeakMap/WeakSet/Promise are "cloned"
 * into fresh empty objects or fail with unrelated errors instead of throwing DataCloneError,
 * typed-array views lose their byteOffset and no longer share a cloned ArrayBuffer, DataView
 * offsets are dropped, sparse arrays become dense, non-index array properties are dropped, and
 * errors lose `stack` and `cause`. A direct implementation is about the same size and exact.
 *
 * Supported: primitives (not symbols), plain objects and class instances (own enumerable string
 * keys, prototype not kept), arrays (holes and extra properties kept), boxed Boolean/Number/
 * String/BigInt, Date, RegExp (lastIndex reset), ArrayBuffer (incl. resizable), typed arrays and
 * DataView (sharing one cloned buffer), Map, Set, Error types (name normalised to the standard
 * constructors, message, stack and cause kept), cycles and shared references.
 * Throws DOMException 'DataCloneError' for functions, symbols, Symbol objects, WeakMap, WeakSet,
 * WeakRef, FinalizationRegistry, Promise, generators, iterators and other exotic objects.
 * Argument checks follow Node 20 rather than WebIDL: a missing value, non-object options, a
 * non-iterable transfer list or a non-ArrayBuffer in it throw TypeErrors with Node's `code`
 * (ERR_MISSING_ARGS, ERR_INVALID_ARG_TYPE, ERR_INVALID_TRANSFER_OBJECT); `transfer: null` is
 * accepted.
 */
import { createDOMException } from './dom-exception.js'

interface StructuredSerializeOptions {
  transfer?: Iterable<unknown>
}

type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array

type TypedArrayConstructor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => TypedArray

type ResizableArrayBuffer = ArrayBuffer & { resizable?: boolean; maxByteLength?: number; transfer?: () => ArrayBuffer }

const ERROR_NAMES = new Set(['Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError'])

const objectToString = Object.prototype.toString
const PLATFORM_CLONE = Symbol.for('thaw.structuredClone')

function dataCloneError(message: string): Error {
  return createDOMException(message, 'DataCloneError')
}

/** Calls a brand-checking getter/method; true when `value` has the internal slot it checks. */
function hasBrand(check: ((this: unknown, ...args: never[]) => unknown) | undefined, value: object): boolean {
  if (check === undefined) return false
  try {
    check.call(value)
    return true
  } catch {
    return false
  }
}

function getter(proto: object | undefined, key: PropertyKey): ((this: unknown) => unknown) | undefined {
  if (proto === undefined) return undefined
  return Object.getOwnPropertyDescriptor(proto, key)?.get as ((this: unknown) => unknown) | undefined
}

function describeForError(value: object): string {
  let name = 'Object'
  try {
    const ctor = (value as { constructor?: unknown }).constructor
    if (typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name !== '') name = ctor.name
  } catch {
    // ignore
  }
  return `#<${name}>`
}

function typedArrayTag(value: object): string | undefined {
  const TypedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object
  return getter(TypedArrayPrototype, Symbol.toStringTag)?.call(value) as string | undefined
}

class Cloner {
  private readonly memory = new Map<object, unknown>()

  clone(value: unknown): unknown {
    if (value === null) return null
    const type = typeof value
    if (type === 'symbol') throw dataCloneError(`${String(value as symbol)} could not be cloned.`)
    if (type === 'function') throw dataCloneError(`${Function.prototype.toString.call(value)} could not be cloned.`)
    if (type !== 'object') return value
    const object = value as object
    if (this.memory.has(object)) return this.memory.get(object)

    if (Array.isArray(object)) {
      const output = new Array<unknown>(object.length)
      this.memory.set(object, output)
      this.copyProperties(object, output)
      return output
    }

    const tag = (objectToString.call(object) as string).slice(8, -1)
    switch (tag) {
      case 'Object': {
        // Plain objects and class instances (the overwhelmingly common case).
        const output: Record<string, unknown> = {}
        this.memory.set(object, output)
        this.copyProperties(object, output)
        return output
      }
      case 'Boolean':
        if (hasBrand(Boolean.prototype.valueOf, object)) return this.remember(object, Object(Boolean.prototype.valueOf.call(object)))
        break
      case 'Number':
        if (hasBrand(Number.prototype.valueOf, object)) return this.remember(object, Object(Number.prototype.valueOf.call(object)))
        break
      case 'String':
        if (hasBrand(String.prototype.valueOf, object)) return this.remember(object, Object(String.prototype.valueOf.call(object)))
        break
      case 'BigInt':
        if (hasBrand(BigInt.prototype.valueOf, object)) return this.remember(object, Object(BigInt.prototype.valueOf.call(object)))
        break
      case 'Symbol':
        if (hasBrand(Symbol.prototype.valueOf, object)) throw dataCloneError('[object Symbol] could not be cloned.')
        break
      case 'Date':
        if (hasBrand(Date.prototype.getTime, object)) return this.remember(object, new Date(Date.prototype.getTime.call(object)))
        break
      case 'RegExp': {
        const source = getter(RegExp.prototype, 'source')
        if (object !== RegExp.prototype && hasBrand(source, object)) {
          const flags = getter(RegExp.prototype, 'flags')?.call(object) as string
          return this.remember(object, new RegExp(source?.call(object) as string, flags))
        }
        break
      }
      case 'ArrayBuffer':
        if (hasBrand(getter(ArrayBuffer.prototype, 'byteLength'), object)) return this.cloneArrayBuffer(object as ArrayBuffer)
        break
      case 'DataView':
        if (hasBrand(getter(DataView.prototype, 'byteLength'), object)) {
          const view = object as DataView
          const buffer = this.cloneArrayBuffer(view.buffer as ArrayBuffer)
          return this.remember(object, new DataView(buffer, view.byteOffset, view.byteLength))
        }
        break
      case 'Map':
        if (hasBrand(getter(Map.prototype, 'size'), object)) {
          const output = new Map<unknown, unknown>()
          this.memory.set(object, output)
          // Snapshot first: cloning may run getters that mutate the source map.
          const entries = [...Map.prototype.entries.call(object as Map<unknown, unknown>)]
          for (const [k, v] of entries) output.set(this.clone(k), this.clone(v))
          return output
        }
        break
      case 'Set':
        if (hasBrand(getter(Set.prototype, 'size'), object)) {
          const output = new Set<unknown>()
          this.memory.set(object, output)
          const values = [...Set.prototype.values.call(object as Set<unknown>)]
          for (const v of values) output.add(this.clone(v))
          return output
        }
        break
      case 'Error':
        return this.cloneError(object as Error)
      default:
        break
    }

    if (ArrayBuffer.isView(object)) {
      const name = typedArrayTag(object)
      if (name !== undefined) {
        const view = object as TypedArray
        const buffer = this.cloneArrayBuffer(view.buffer as ArrayBuffer)
        const Ctor = (globalThis as unknown as Record<string, TypedArrayConstructor>)[name] as TypedArrayConstructor
        return this.remember(object, new Ctor(buffer, view.byteOffset, view.length))
      }
    }
    if (object instanceof Error) return this.cloneError(object)
    // Platform objects Node can clone (Blob, File) say how, under a registered symbol (web/blob.ts).
    const platformClone = (object as Record<symbol, unknown>)[PLATFORM_CLONE]
    if (typeof platformClone === 'function') return this.remember(object, platformClone.call(object))
    if (this.isUncloneable(object, tag)) throw dataCloneError(`${describeForError(object)} could not be cloned.`)

    // Ordinary object (plain object, class instance, object with a custom toStringTag…).
    const output: Record<string, unknown> = {}
    this.memory.set(object, output)
    this.copyProperties(object, output)
    return output
  }

  private remember<T>(source: object, clone: T): T {
    this.memory.set(source, clone)
    return clone
  }

  /** Copies own enumerable string-keyed properties, cloning the values (getters are invoked). */
  private copyProperties(source: object, target: Record<string, unknown> | unknown[]): void {
    const keys = Object.keys(source)
    const hasOwn = Object.prototype.hasOwnProperty
    for (const key of keys) {
      // A getter run earlier may have deleted the property: skip it like the spec does.
      if (!hasOwn.call(source, key)) continue
      const value = this.clone((source as Record<string, unknown>)[key])
      if (key === '__proto__') {
        Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })
      } else {
        ;(target as Record<string, unknown>)[key] = value
      }
    }
  }

  private cloneArrayBuffer(buffer: ArrayBuffer): ArrayBuffer {
    const known = this.memory.get(buffer)
    if (known !== undefined) return known as ArrayBuffer
    const source = buffer as ResizableArrayBuffer
    let output: ArrayBuffer
    if (source.resizable === true && typeof source.maxByteLength === 'number') {
      const Resizable = ArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => ArrayBuffer
      output = new Resizable(source.byteLength, { maxByteLength: source.maxByteLength })
      new Uint8Array(output).set(new Uint8Array(source))
    } else {
      output = source.slice(0)
    }
    this.memory.set(buffer, output)
    return output
  }

  private cloneError(error: Error): Error {
    let name: unknown = 'Error'
    let message: string | undefined
    let stack: unknown
    let hasCause = false
    let cause: unknown
    name = (error as { name?: unknown }).name
    if (typeof name !== 'string' || !ERROR_NAMES.has(name)) name = 'Error'
    const messageDesc = Object.getOwnPropertyDescriptor(error, 'message')
    if (messageDesc !== undefined && 'value' in messageDesc) message = String(messageDesc.value)
    const stackDesc = Object.getOwnPropertyDescriptor(error, 'stack')
    if (stackDesc !== undefined && 'value' in stackDesc && typeof stackDesc.value === 'string') stack = stackDesc.value
    const causeDesc = Object.getOwnPropertyDescriptor(error, 'cause')
    if (causeDesc !== undefined && 'value' in causeDesc) {
      hasCause = true
      cause = causeDesc.value
    }
    const Ctor = (globalThis as unknown as Record<string, ErrorConstructor>)[name as string] ?? Error
    const output = message === undefined ? new Ctor() : new Ctor(message)
    this.memory.set(error, output)
    if (stack !== undefined) {
      Object.defineProperty(output, 'stack', { value: stack, writable: true, configurable: true, enumerable: false })
    } else {
      delete (output as { stack?: unknown }).stack
    }
    if (hasCause) {
      Object.defineProperty(output, 'cause', {
        value: this.clone(cause),
        writable: true,
        configurable: true,
        enumerable: false,
      })
    }
    return output
  }

  /** Objects with internal slots the structured clone algorithm does not support. */
  private isUncloneable(object: object, tag: string): boolean {
    const g = globalThis as Record<string, unknown>
    if (hasBrand((g.WeakMap as WeakMapConstructor | undefined)?.prototype.has as never, object)) return true
    if (hasBrand((g.WeakSet as WeakSetConstructor | undefined)?.prototype.has as never, object)) return true
    const WeakRefCtor = g.WeakRef as { prototype: { deref: () => unknown } } | undefined
    if (WeakRefCtor !== undefined && hasBrand(WeakRefCtor.prototype.deref as never, object)) return true
    if (object instanceof Promise) return true
    switch (tag) {
      case 'Promise':
      case 'WeakMap':
      case 'WeakSet':
      case 'WeakRef':
      case 'FinalizationRegistry':
      case 'Generator':
      case 'AsyncGenerator':
      case 'Module':
      case 'Arguments':
      case 'SharedArrayBuffer':
        return true
      default:
        // Built-in iterators: "Array Iterator", "Map Iterator", "RegExp String Iterator", …
        return / Iterator$/.test(tag)
    }
  }
}

/** Adds Node's `code` (an ordinary enumerable property, as on Node's errors: console.log shows it). */
function withCode(error: TypeError, code: string): TypeError {
  Object.defineProperty(error, 'code', { value: code, writable: true, configurable: true, enumerable: true })
  return error
}

function structuredClone(value: unknown, options?: StructuredSerializeOptions | null): unknown {
  if (arguments.length === 0) throw withCode(new TypeError('The value argument must be specified'), 'ERR_MISSING_ARGS')
  if (options !== undefined && options !== null && typeof options !== 'object') {
    throw withCode(new TypeError('The options argument must be either an object or undefined'), 'ERR_INVALID_ARG_TYPE')
  }
  const transferList: ArrayBuffer[] = []
  const transfer = options?.transfer
  // Node's checks and errors (HTML would throw DataCloneError for a non-transferable and reject
  // `transfer: null`; handlers written for Node expect what Node does).
  if (transfer !== undefined && transfer !== null) {
    if (typeof (transfer as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
      throw withCode(new TypeError('Optional transferList argument must be an iterable'), 'ERR_INVALID_ARG_TYPE')
    }
    for (const item of transfer) {
      if (!(item instanceof ArrayBuffer)) {
        throw withCode(new TypeError('Found invalid object in transferList'), 'ERR_INVALID_TRANSFER_OBJECT')
      }
      if (transferList.includes(item)) throw dataCloneError('Transfer list contains duplicate ArrayBuffer')
      transferList.push(item)
    }
  }
  const result = new Cloner().clone(value)
  // Transferred buffers were copied into the result; detach the originals where the engine can.
  for (const buffer of transferList) {
    const detach = (buffer as ResizableArrayBuffer).transfer
    if (typeof detach === 'function') detach.call(buffer)
  }
  return result
}

export function installStructuredClone(global: Record<string, unknown>): void {
  Object.defineProperty(global, 'structuredClone', {
    value: structuredClone,
    writable: true,
    configurable: true,
    enumerable: true,
  })
}
