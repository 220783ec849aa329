import { Buffer } from 'buffer'
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { BUILTIN_LOADER_KEY } from '../../../runtime-api/builtin-modules.js'
import { encode, normalizeEncoding } from '../fs/encoding.js'
import { featureUnavailable, later } from '../host-work.js'
import { hostOptions, isDataError, type Mode, runZlib } from './convenience.js'

/**
 * node:zlib's stream classes (Gzip, createGzip, …), partial: a Transform of the guest's node:stream
 * that buffers what is written and compresses (or decompresses) all of it in one host call when
 * the input ends. Output therefore comes at the end, not as data arrives, and `flush()` emits
 * nothing early. node:stream is looked up when the first engine is made (it is a large chunk, and
 * zlib's convenience methods do not need it); without it, the classes throw
 * ERR_FEATURE_UNAVAILABLE_ON_PLATFORM.
 */

interface TransformLike {
  push(chunk: unknown): boolean
  destroy(error?: Error): unknown
  once(event: string, listener: (...args: unknown[]) => void): unknown
}

type TransformConstructor = new (options?: Record<string, unknown>) => TransformLike

let engineBase: (new (host: HostBindings, mode: Mode, options: unknown) => TransformLike) | undefined

function loadTransform(feature: string): TransformConstructor {
  let stream: { Transform?: unknown } | undefined
  try {
    const load = (globalThis as unknown as Record<symbol, (name: string) => { Transform?: unknown }>)[Symbol.for(BUILTIN_LOADER_KEY)]
    stream = load?.('stream')
  } catch {
    stream = undefined
  }
  if (typeof stream?.Transform !== 'function') throw featureUnavailable(feature)
  return stream.Transform as TransformConstructor
}

/** The buffering engine, made once node:stream is there. */
function bufferingEngine(feature: string) {
  if (engineBase !== undefined) return engineBase
  const Transform = loadTransform(feature)
  class BufferingZlib extends Transform {
    readonly #host: HostBindings
    readonly #mode: Mode
    #options: ReturnType<typeof hostOptions>
    #chunks: Uint8Array[] = []
    bytesWritten = 0

    constructor(host: HostBindings, mode: Mode, options: unknown) {
      super({ autoDestroy: true, ...(typeof options === 'object' && options !== null ? options : {}) })
      this.#host = host
      this.#mode = mode
      this.#options = hostOptions(options)
      // Bad options throw here, as Node's constructor does: a run over no input checks them.
      try {
        runZlib(host, mode, new Uint8Array(0), this.#options)
      } catch (error) {
        if (!isDataError(error)) throw error
      }
    }

    _transform(chunk: unknown, encoding: unknown, callback: (error?: Error | null) => void): void {
      const bytes = typeof chunk === 'string' ? encode(chunk, normalizeEncoding(encoding) ?? 'utf8') : new Uint8Array(chunk as Uint8Array).slice()
      this.#chunks.push(bytes)
      this.bytesWritten += bytes.byteLength
      callback()
    }

    _flush(callback: (error?: Error | null, data?: unknown) => void): void {
      const chunks = this.#chunks
      this.#chunks = []
      let result: Buffer
      try {
        result = runZlib(this.#host, this.#mode, Buffer.concat(chunks), this.#options)
      } catch (error) {
        callback(error as Error)
        return
      }
      callback(null, result)
    }

    /** Buffered: nothing can be emitted before the end; the callback still comes. */
    flush(kind?: unknown, callback?: unknown): void {
      const done = typeof kind === 'function' ? kind : callback
      if (typeof done === 'function') later(done as () => void)
    }

    /** New level and strategy, for all of the data (it is compressed at the end anyway). */
    params(level: unknown, strategy: unknown, callback?: unknown): void {
      const options = JSON.parse(this.#options.json) as Record<string, unknown>
      this.#options = { ...this.#options, json: JSON.stringify({ ...options, level, strategy }) }
      if (typeof callback === 'function') later(callback as () => void)
    }

    reset(): void {
      this.#chunks = []
    }

    close(callback?: unknown): void {
      if (typeof callback === 'function') this.once('close', callback as () => void)
      this.destroy()
    }
  }
  engineBase = BufferingZlib as unknown as typeof engineBase
  return engineBase as NonNullable<typeof engineBase>
}

/**
 * The class named `name` (Gzip, …): callable with or without `new`, an instance of itself and of
 * stream.Transform. Its prototype is linked to the engine when the first one is made.
 */
export function engineClass(host: HostBindings, name: string, mode: Mode): (options?: unknown) => TransformLike {
  const Engine = {
    [name]: function (this: unknown, options?: unknown): TransformLike {
      const target = new.target as unknown as (new (...args: unknown[]) => TransformLike) | undefined
      if (target === undefined) return new (Engine as unknown as new (options?: unknown) => TransformLike)(options)
      const Base = bufferingEngine(`zlib.${name}`)
      if (Object.getPrototypeOf(Engine.prototype) !== Base.prototype) Object.setPrototypeOf(Engine.prototype, Base.prototype)
      return Reflect.construct(Base, [host, mode, options], target) as TransformLike
    },
  }[name] as (options?: unknown) => TransformLike
  return Engine
}
