import { concatBytes } from '../globals/byte-utils.js'
import { bufferArgs, hostCall } from '../host-work.js'
import { host } from './data.js'

/**
 * The running state of one Hash or Hmac. The host computes every digest; what the guest decides
 * is how to get the data there. Most hashes are small (an update or two, then digest): their
 * updates are kept here and sent in one host call with the digest. Once the data grows past
 * STREAM_BYTES the host keeps the state instead (a streaming digest, by id), so hashing a large
 * body in pieces takes constant guest memory. A stream that is never finished is dropped on the
 * host some time after its guest object is garbage-collected.
 */

/** Buffered data beyond this goes to a streaming digest on the host. */
const STREAM_BYTES = 64 * 1024

/**
 * The host streams of this environment, by id, with their (weakly held) owners. An owner that was
 * garbage-collected without finishing its digest leaves its stream on the host: sweeps drop those.
 * (QuickJS frees unreachable objects at once, so WeakRef sees them go; its FinalizationRegistry
 * callbacks do not run, so it cannot be used for this.)
 */
const openStreams = new Map<string, WeakRef<object>>()
/** A sweep every this many opens keeps the host's table small whatever the guest abandons. */
const SWEEP_EVERY = 64
let opensSinceSweep = 0

function sweep(): void {
  opensSinceSweep = 0
  for (const [id, owner] of openStreams) {
    if (owner.deref() !== undefined) continue
    openStreams.delete(id)
    hostCall(() => host().hashDrop(id))
  }
}

/** Opens a host stream for `owner` (sweeping first when due, or when the host's table is full). */
function openStream(owner: object, open: () => string): string {
  if (++opensSinceSweep >= SWEEP_EVERY) sweep()
  let id: string
  try {
    id = hostCall(open)
  } catch (error) {
    if (openStreams.size === 0) throw error
    sweep()
    id = hostCall(open)
  }
  openStreams.set(id, new WeakRef(owner))
  return id
}

export class DigestState {
  readonly #algorithm: string
  readonly #key: ArrayBuffer | undefined
  readonly #outputLength: number | undefined
  #pending: Uint8Array[] = []
  #pendingBytes = 0
  #id: string | undefined

  /**
   * `openWith` opens the host stream at once (a copy of another one). So does `outputLength`
   * (shake128/256), so that the host checks it now, as Node does.
   */
  constructor(algorithm: string, key: ArrayBuffer | undefined, outputLength: number | undefined, openWith?: () => string) {
    this.#algorithm = algorithm
    this.#key = key
    this.#outputLength = outputLength
    if (openWith !== undefined) this.#id = openStream(this, openWith)
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
    openStreams.delete(id)
    return hostCall(() => host().hashDigest(id, encoding))
  }

  copy(outputLength: number | undefined): DigestState {
    const id = this.#id
    if (id !== undefined) {
      this.#flush()
      return new DigestState(this.#algorithm, this.#key, outputLength, () => host().hashCopy(id, outputLength))
    }
    const copy = new DigestState(this.#algorithm, this.#key, outputLength)
    // Buffered chunks are never written after they are kept: the copy may share them.
    for (const chunk of this.#pending) copy.update(chunk, true)
    return copy
  }

  /** Moves the state to a host stream (once), with what was buffered so far. */
  #open(): void {
    if (this.#id !== undefined) return
    this.#id = openStream(this, () => host().hashOpen(this.#algorithm, this.#key, this.#outputLength))
    this.#flush()
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
    return concatBytes(chunks)
  }
}
