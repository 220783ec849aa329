import { bufferArgs, hostCall } from '../host-work.js'
import { host } from './data.js'

/**
 * The running state of one Hash or Hmac. The host computes every digest; what the guest decides
 * is how to get the data there. Most hashes are small (an update or two, then digest): their
 * updates are kept here and sent in one host call with the digest. Once the data grows past
 * STREAM_BYTES the host keeps the state instead (a streaming digest, by id), so hashing a large
 * body in pieces takes constant guest memory. A stream that is never finished is dropped on the
 * host when its guest object is garbage-collected.
 */

/** Buffered data beyond this goes to a streaming digest on the host. */
const STREAM_BYTES = 64 * 1024

let registry: FinalizationRegistry<string> | undefined

function dropLater(owner: object, id: string): void {
  registry ??= new FinalizationRegistry((dropped) => {
    try {
      host().hashDrop(dropped)
    } catch {
      // Nothing to undo: the host forgets unknown ids anyway.
    }
  })
  registry.register(owner, id, owner)
}

export class DigestState {
  readonly #algorithm: string
  readonly #key: ArrayBuffer | undefined
  readonly #outputLength: number | undefined
  #pending: Uint8Array[] = []
  #pendingBytes = 0
  #id: string | undefined

  /** `outputLength` (shake128/256) opens a host stream at once, so that the host checks it now, as Node does. */
  constructor(algorithm: string, key: ArrayBuffer | undefined, outputLength: number | undefined, id?: string) {
    this.#algorithm = algorithm
    this.#key = key
    this.#outputLength = outputLength
    if (id !== undefined) this.#adopt(id)
    else if (outputLength !== undefined) this.#open()
  }

  /** `owned`: the bytes are a fresh copy nobody else holds (encoded strings); otherwise they are copied if kept. */
  update(bytes: Uint8Array, owned: boolean): void {
    if (bytes.byteLength >= STREAM_BYTES) {
      this.#open()
      this.#flush()
      const id = this.#id as string
      hostCall(() => host().hashUpdate(id, ...bufferArgs(bytes)))
      return
    }
    this.#pending.push(owned ? bytes : bytes.slice())
    this.#pendingBytes += bytes.byteLength
    if (this.#pendingBytes >= STREAM_BYTES) this.#open()
  }

  /** The digest: a string in `encoding` if it is one of Node's encodings, else the bytes. */
  digest(encoding: string): ArrayBuffer | string {
    const id = this.#id
    if (id === undefined) {
      const data = this.#takePending()
      return hostCall(() => host().hashOnce(this.#algorithm, this.#key, ...bufferArgs(data), encoding, this.#outputLength))
    }
    this.#flush()
    registry?.unregister(this)
    return hostCall(() => host().hashDigest(id, encoding))
  }

  copy(outputLength: number | undefined): DigestState {
    const id = this.#id
    if (id !== undefined) {
      this.#flush()
      return new DigestState(this.#algorithm, this.#key, outputLength, hostCall(() => host().hashCopy(id, outputLength)))
    }
    const copy = new DigestState(this.#algorithm, this.#key, outputLength)
    // Buffered chunks are never written after they are kept: the copy may share them.
    for (const chunk of this.#pending) copy.update(chunk, true)
    return copy
  }

  /** Moves the state to a host stream (once), with what was buffered so far. */
  #open(): void {
    if (this.#id !== undefined) return
    this.#adopt(hostCall(() => host().hashOpen(this.#algorithm, this.#key, this.#outputLength)))
    this.#flush()
  }

  #adopt(id: string): void {
    this.#id = id
    dropLater(this, id)
  }

  #flush(): void {
    if (this.#pendingBytes === 0) return
    const id = this.#id as string
    const data = this.#takePending()
    hostCall(() => host().hashUpdate(id, ...bufferArgs(data)))
  }

  #takePending(): Uint8Array {
    const chunks = this.#pending
    this.#pending = []
    this.#pendingBytes = 0
    if (chunks.length === 1) return chunks[0] as Uint8Array
    let size = 0
    for (const chunk of chunks) size += chunk.byteLength
    const joined = new Uint8Array(size)
    let offset = 0
    for (const chunk of chunks) {
      joined.set(chunk, offset)
      offset += chunk.byteLength
    }
    return joined
  }
}
