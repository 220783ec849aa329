/**
 * `Blob` and `File` (File API) as Node 20 has them: parts are BufferSources (copied), Blobs and
 * anything else as a string (UTF-8, `endings: 'native'` turning line ends into '\n'); `type` is
 * lowercased, or '' when it has characters outside U+0020-U+007E; `slice`, `text`, `arrayBuffer`,
 * `bytes`, `stream` (a byte stream, from the streams chunk, created only when asked for); Node's
 * argument errors. A Blob holds its bytes in memory, immutable: slices share them.
 */
import { invalidArgValue } from '../fs/errors.js'
import { bytesStream, type ReadableStreamLike } from './body-stream.js'
import { concatBytes, toArrayBuffer, utf8Decode, utf8Encode } from './bytes.js'
import { invalidArgType, invalidThis, missingArgs } from './errors.js'
import { brand, inspectNested } from './inspect.js'

interface BlobOptions {
  type?: unknown
  endings?: unknown
}

interface FileOptions extends BlobOptions {
  lastModified?: unknown
}

const DISALLOWED_TYPE = /[^\u0020-\u007E]/

/** A Blob's `type`: lowercased, or '' with characters outside U+0020-U+007E. */
export function normalizeType(type: unknown): string {
  const text = `${type as string}`
  return DISALLOWED_TYPE.test(text) ? '' : text.toLowerCase()
}

/** Relative indices as `slice` reads them (negative from the end), clamped to [0, size]. */
function relativeIndex(value: unknown, size: number): number {
  const number = Math.trunc(Number(value)) || 0
  return number < 0 ? Math.max(size + number, 0) : Math.min(number, size)
}

/** The bytes a Blob holds (shared, never to be modified). */
export let blobBytes: (blob: Blob) => Uint8Array
export let isBlob: (value: unknown) => value is Blob
/** A Blob over bytes the caller gives up (they are not copied) and an already normalised type. */
export let createBlob: (bytes: Uint8Array, type: string) => Blob

export class Blob {
  #bytes: Uint8Array
  #type: string

  static {
    blobBytes = (blob) => blob.#bytes
    isBlob = (value): value is Blob => typeof value === 'object' && value !== null && #bytes in value
    createBlob = (bytes, type) => {
      const blob = new Blob()
      blob.#bytes = bytes
      blob.#type = type
      return blob
    }
  }

  constructor(sources: Iterable<unknown> = [], options?: BlobOptions | null) {
    if (sources === null || typeof sources !== 'object' || typeof (sources as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
      throw invalidArgType('sources', 'a sequence', sources)
    }
    if (options !== undefined && options !== null && typeof options !== 'object' && typeof options !== 'function') {
      throw invalidArgType('options', 'of type object', options)
    }
    const endings = options?.endings ?? 'transparent'
    if (endings !== 'transparent' && endings !== 'native') throw invalidArgValue('options.endings', endings)
    const parts: Uint8Array[] = []
    for (const source of sources) {
      if (isBlob(source)) parts.push(source.#bytes)
      else if (source instanceof ArrayBuffer) parts.push(new Uint8Array(source.slice(0)))
      else if (ArrayBuffer.isView(source)) parts.push(new Uint8Array(source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength) as ArrayBuffer))
      else {
        const text = `${source as string}`
        parts.push(utf8Encode(endings === 'native' ? text.replace(/\r\n|\n/g, '\n') : text))
      }
    }
    this.#bytes = parts.length === 0 ? new Uint8Array(0) : concatBytes(parts)
    this.#type = options?.type === undefined ? '' : normalizeType(options.type)
  }

  get type(): string {
    if (!isBlob(this)) throw invalidThis('Blob')
    return this.#type
  }

  get size(): number {
    if (!isBlob(this)) throw invalidThis('Blob')
    return this.#bytes.byteLength
  }

  slice(start: unknown = 0, end: unknown = undefined, contentType: unknown = ''): Blob {
    if (!isBlob(this)) throw invalidThis('Blob')
    const size = this.#bytes.byteLength
    const from = relativeIndex(start, size)
    const to = end === undefined ? size : relativeIndex(end, size)
    return createBlob(this.#bytes.subarray(from, Math.max(from, to)), normalizeType(contentType))
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    if (!isBlob(this)) return Promise.reject(invalidThis('Blob'))
    return Promise.resolve(toArrayBuffer(this.#bytes))
  }

  text(): Promise<string> {
    if (!isBlob(this)) return Promise.reject(invalidThis('Blob'))
    return Promise.resolve(utf8Decode(this.#bytes))
  }

  bytes(): Promise<Uint8Array> {
    if (!isBlob(this)) return Promise.reject(invalidThis('Blob'))
    return Promise.resolve(this.#bytes.slice())
  }

  stream(): ReadableStreamLike {
    if (!isBlob(this)) throw invalidThis('Blob')
    const bytes = this.#bytes
    return bytesStream(() => bytes.slice())
  }
}

// structuredClone copies a Blob (a File too) into a Blob, as Node 20 does (globals/structured-clone.ts).
Object.defineProperty(Blob.prototype, Symbol.for('thaw.structuredClone'), {
  value: function cloneBlob(this: Blob) {
    return createBlob(blobBytes(this), this.type)
  },
})
brand(Blob, 'Blob', function inspectBlob(this: Blob, depth, options, inspect) {
  return inspectNested(this, 'Blob', { size: this.size, type: this.type }, depth, options, inspect)
})

export class File extends Blob {
  #name: string
  #lastModified: number

  constructor(fileBits: Iterable<unknown>, fileName: string, options: FileOptions | null = {}) {
    if (arguments.length < 2) throw missingArgs('fileBits', 'fileName')
    super(fileBits, options)
    const lastModified = options?.lastModified
    this.#name = `${fileName}`
    this.#lastModified = lastModified === undefined ? Date.now() : Number(lastModified) || 0
  }

  get name(): string {
    if (!(#name in this)) throw invalidThis('File')
    return this.#name
  }

  get lastModified(): number {
    if (!(#name in this)) throw invalidThis('File')
    return this.#lastModified
  }
}

brand(File, 'File', function inspectFile(this: File, depth, options, inspect) {
  const properties = { size: this.size, type: this.type, name: this.name, lastModified: this.lastModified }
  return inspectNested(this, 'File', properties, depth, options, inspect)
})
