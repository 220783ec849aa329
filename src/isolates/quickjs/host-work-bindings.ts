import zlib from 'node:zlib'
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core'
import { digestOnce, HashStreams, pbkdf2 } from './host-crypto.js'
import type { HostWorkLimits } from './host-work.js'
import { isZlibMode, pickZlibOptions, runZlib } from './host-zlib.js'

/**
 * The host bindings that do work for the guest: hashing (host-crypto.ts) and compression
 * (host-zlib.ts) by Node itself. This module only turns guest values into host values and back,
 * and checks each one first: a wrong type, a bad length or an unknown name is a clean guest
 * error, never a host exception. A guest that calls these directly gets no more than the
 * node:crypto and node:zlib modules give it.
 */

type Binding = (...args: QuickJSHandle[]) => QuickJSHandle | { error: QuickJSHandle } | undefined

export type WorkBindingName = 'hashOnce' | 'hashOpen' | 'hashUpdate' | 'hashCopy' | 'hashDigest' | 'hashDrop' | 'pbkdf2' | 'zlib' | 'crc32'

/** Guest options JSON longer than this is refused (zlib options are a handful of numbers). */
const MAX_OPTIONS_JSON = 4096

/** An invalid argument from the guest (a TypeError, as Node's argument errors are). */
class BadArgument extends TypeError {
  readonly code = 'ERR_INVALID_ARG_TYPE'
}

export function createWorkBindings(ctx: QuickJSContext, limits: HostWorkLimits): Record<WorkBindingName, Binding> {
  const hashes = new HashStreams()
  const args = guestArguments(ctx)

  /** Runs `work`; its result becomes a guest value, any failure a guest error. */
  const guarded =
    (work: (...handles: (QuickJSHandle | undefined)[]) => Uint8Array | string | number | undefined): Binding =>
    (...handles) => {
      try {
        return toGuest(ctx, work(...handles))
      } catch (error) {
        return { error: guestError(ctx, error) }
      }
    }

  return {
    hashOnce: guarded((algorithm, key, data, offset, length, encoding, outputLength) => {
      const name = args.string(algorithm, 'algorithm')
      const keyBytes = args.optionalBytesCopy(key, 'key')
      const outEncoding = args.string(encoding, 'encoding')
      const outLength = args.optionalNumber(outputLength, 'outputLength')
      return args.withBytes(data, offset, length, (bytes) => digestOnce(name, keyBytes, bytes, outEncoding, outLength, limits))
    }),
    hashOpen: guarded((algorithm, key, outputLength) =>
      hashes.open(args.string(algorithm, 'algorithm'), args.optionalBytesCopy(key, 'key'), args.optionalNumber(outputLength, 'outputLength'), limits),
    ),
    hashUpdate: guarded((id, data, offset, length) => {
      const stream = args.string(id, 'id')
      args.withBytes(data, offset, length, (bytes) => hashes.update(stream, bytes, limits))
      return undefined
    }),
    hashCopy: guarded((id, outputLength) => hashes.copy(args.string(id, 'id'), args.optionalNumber(outputLength, 'outputLength'), limits)),
    hashDigest: guarded((id, encoding) => hashes.digest(args.string(id, 'id'), args.string(encoding, 'encoding'))),
    hashDrop: guarded((id) => {
      hashes.drop(args.string(id, 'id'))
      return undefined
    }),
    pbkdf2: guarded((password, salt, iterations, keyLength, digest) => {
      const passwordBytes = args.bytesCopy(password, 'password')
      const saltBytes = args.bytesCopy(salt, 'salt')
      return pbkdf2(passwordBytes, saltBytes, args.number(iterations, 'iterations'), args.number(keyLength, 'keylen'), args.string(digest, 'digest'), limits)
    }),
    zlib: guarded((mode, data, offset, length, optionsJson, dictionary) => {
      const name = args.string(mode, 'mode')
      if (!isZlibMode(name)) throw new BadArgument(`Unknown zlib mode: ${name}`)
      const options = args.jsonObject(optionsJson, 'options')
      const dictionaryBytes = args.optionalBytesCopy(dictionary, 'options.dictionary')
      return args.withBytes(data, offset, length, (bytes) => runZlib(name, bytes, pickZlibOptions(options, dictionaryBytes), limits))
    }),
    crc32: guarded((data, offset, length, initial) => {
      const start = args.number(initial, 'value')
      if (!Number.isInteger(start) || start < 0 || start > 0xffff_ffff) throw new BadArgument('The "value" argument must be an unsigned 32-bit integer')
      return args.withBytes(data, offset, length, (bytes) => zlib.crc32(bytes, start))
    }),
  }
}

/** Decoders for guest arguments; each throws BadArgument unless the value is what it must be. */
function guestArguments(ctx: QuickJSContext) {
  const number = (handle: QuickJSHandle | undefined, name: string): number => {
    if (handle === undefined || ctx.typeof(handle) !== 'number') throw new BadArgument(`The "${name}" argument must be of type number`)
    return ctx.getNumber(handle)
  }
  const isAbsent = (handle: QuickJSHandle | undefined) => handle === undefined || ctx.typeof(handle) === 'undefined'
  /**
   * A guest ArrayBuffer as a view of the copy quickjs-emscripten makes in the guest's heap (freed
   * on dispose). Only valid until the guest heap next grows: so copy it, or use it at once.
   */
  const arrayBuffer = (handle: QuickJSHandle | undefined, name: string) => {
    if (handle === undefined || ctx.typeof(handle) !== 'object') throw new BadArgument(`The "${name}" argument must be an ArrayBuffer`)
    try {
      return ctx.getArrayBuffer(handle)
    } catch {
      throw new BadArgument(`The "${name}" argument must be an ArrayBuffer`)
    }
  }
  const bytesCopy = (handle: QuickJSHandle | undefined, name: string): Buffer => {
    using view = arrayBuffer(handle, name)
    return Buffer.from(view.value)
  }
  return {
    number,
    optionalNumber: (handle: QuickJSHandle | undefined, name: string) => (isAbsent(handle) ? undefined : number(handle, name)),
    string(handle: QuickJSHandle | undefined, name: string): string {
      if (handle === undefined || ctx.typeof(handle) !== 'string') throw new BadArgument(`The "${name}" argument must be of type string`)
      return ctx.getString(handle)
    },
    bytesCopy,
    optionalBytesCopy: (handle: QuickJSHandle | undefined, name: string) => (isAbsent(handle) ? undefined : bytesCopy(handle, name)),
    /** Runs `use` on `length` bytes of a guest ArrayBuffer from `offset` (checked to lie inside it). */
    withBytes<T>(handle: QuickJSHandle | undefined, offset: QuickJSHandle | undefined, length: QuickJSHandle | undefined, use: (bytes: Uint8Array) => T): T {
      const start = number(offset, 'byteOffset')
      const count = number(length, 'byteLength')
      using view = arrayBuffer(handle, 'data')
      const size = view.value.length
      if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > size) {
        throw new RangeError(`The byte range ${start}+${count} lies outside the buffer (${size} bytes)`)
      }
      return use(view.value.subarray(start, start + count))
    },
    jsonObject(handle: QuickJSHandle | undefined, name: string): Record<string, unknown> {
      const text = this.string(handle, name)
      if (text.length > MAX_OPTIONS_JSON) throw new BadArgument(`The "${name}" argument is too large`)
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        throw new BadArgument(`The "${name}" argument must be JSON`)
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BadArgument(`The "${name}" argument must be an object`)
      return parsed as Record<string, unknown>
    },
  }
}

/** A host result as a guest value: bytes become an ArrayBuffer. */
function toGuest(ctx: QuickJSContext, value: Uint8Array | string | number | undefined): QuickJSHandle | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string') return ctx.newString(value)
  if (typeof value === 'number') return ctx.newNumber(value)
  const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength
  return ctx.newArrayBuffer(whole ? value.buffer : value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength))
}

/** A host error as a guest Error: `name` (the class for the guest to rethrow as), message, `errno`, `code`. */
function guestError(ctx: QuickJSContext, error: unknown): QuickJSHandle {
  const known = error instanceof Error ? error : new Error(String(error))
  const name = known instanceof RangeError ? 'RangeError' : known instanceof TypeError ? 'TypeError' : 'Error'
  const handle = ctx.newError({ name, message: known.message })
  const { errno, code } = known as { errno?: unknown; code?: unknown }
  for (const [key, value] of [['errno', errno], ['code', code]] as const) {
    if (typeof value !== 'number' && typeof value !== 'string') continue
    const valueHandle = typeof value === 'number' ? ctx.newNumber(value) : ctx.newString(value)
    ctx.setProp(handle, key, valueHandle)
    valueHandle.dispose()
  }
  return handle
}
