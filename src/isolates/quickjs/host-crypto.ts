import { createHash, createHmac, pbkdf2Sync, randomBytes, type Hash, type Hmac } from 'node:crypto'
import { digestName, XOF_DEFAULT_LENGTH } from '../../../runtime-api/hash-algorithms.js'
import { type HostWorkLimits, nodeError } from './host-work.js'

/**
 * The host side of the guest's hashing (node:crypto createHash/createHmac/hash/pbkdf2, WebCrypto
 * digest and HMAC): Node's own OpenSSL digests, hundreds of times faster than JavaScript in the
 * guest's interpreter. Everything here takes plain bytes and names already decoded from the
 * guest, and checks them again: the guest is untrusted. No QuickJS in this module.
 */

/** Input is hashed in slices of this size, the deadline checked between them. */
const SLICE_BYTES = 16 * 1024 * 1024

/** Unfinished streaming hashes one environment may keep on the host (each holds a few hundred bytes). */
export const MAX_OPEN_HASHES = 4096

/** PBKDF2 work units (iterations × output blocks) the host does per millisecond, pessimistically. */
const PBKDF2_UNITS_PER_MS = 1000

type Digest = Hash | Hmac

/**
 * Encodings whose text is plain ASCII: only such strings cross into the guest unchanged (a guest
 * string is made from a NUL-terminated C string). The guest decodes the bytes for the others.
 */
const ASCII_ENCODINGS = new Set(['hex', 'base64', 'base64url'])

/** What a digest is asked for as: hex/base64/base64url give a string, anything else the bytes. */
export function finishDigest(digest: Digest, encoding: string): Buffer | string {
  const bytes = digest.digest()
  const name = encoding.toLowerCase()
  return ASCII_ENCODINGS.has(name) ? bytes.toString(name as BufferEncoding) : bytes
}

function checkedName(algorithm: string, hmac: boolean): string {
  const name = digestName(algorithm)
  if (name === undefined || (hmac && name in XOF_DEFAULT_LENGTH)) {
    throw hmac ? nodeError(TypeError, `Invalid digest: ${algorithm}`, 'ERR_CRYPTO_INVALID_DIGEST') : new Error('Digest method not supported')
  }
  return name
}

/** A new Hash, or an Hmac when there is a key; `outputLength` only for extendable-output functions. */
function newDigest(algorithm: string, key: Uint8Array | undefined, outputLength: number | undefined, limits: HostWorkLimits): Digest {
  const hmac = key !== undefined
  const name = checkedName(algorithm, hmac)
  if (hmac) return createHmac(name, key)
  if (outputLength === undefined) return createHash(name)
  if (!Number.isSafeInteger(outputLength) || outputLength < 0 || outputLength > limits.maxOutputBytes) {
    throw nodeError(RangeError, `The value of "options.outputLength" is out of range. It must be >= 0 && <= ${limits.maxOutputBytes}. Received ${outputLength}`, 'ERR_OUT_OF_RANGE')
  }
  return createHash(name, { outputLength })
}

function feed(digest: Digest, data: Uint8Array, limits: HostWorkLimits): void {
  for (let offset = 0; offset < data.length; offset += SLICE_BYTES) {
    limits.checkDeadline()
    digest.update(data.subarray(offset, offset + SLICE_BYTES))
  }
}

/** One-shot digest or HMAC of `data`. */
export function digestOnce(
  algorithm: string,
  key: Uint8Array | undefined,
  data: Uint8Array,
  encoding: string,
  outputLength: number | undefined,
  limits: HostWorkLimits,
): Buffer | string {
  const digest = newDigest(algorithm, key, outputLength, limits)
  feed(digest, data, limits)
  return finishDigest(digest, encoding)
}

/**
 * The streaming hashes of one environment, by id. The guest buffers small inputs itself and only
 * opens a stream here for large ones, so most hashes never reach this table. Ids carry a token of
 * this table: an environment restored from a snapshot gets a new, empty table, and an id from
 * before the snapshot then names nothing (a clean error) instead of someone else's stream.
 */
export class HashStreams {
  readonly #streams = new Map<string, Digest>()
  readonly #token = randomBytes(6).toString('base64url')
  #counter = 0

  open(algorithm: string, key: Uint8Array | undefined, outputLength: number | undefined, limits: HostWorkLimits): string {
    return this.#add(newDigest(algorithm, key, outputLength, limits))
  }

  update(id: string, data: Uint8Array, limits: HostWorkLimits): void {
    feed(this.#get(id), data, limits)
  }

  copy(id: string, outputLength: number | undefined, limits: HostWorkLimits): string {
    const source = this.#get(id)
    if (!('copy' in source)) throw new Error('An Hmac cannot be copied')
    if (outputLength !== undefined && (!Number.isSafeInteger(outputLength) || outputLength < 0 || outputLength > limits.maxOutputBytes)) {
      throw nodeError(RangeError, `The value of "options.outputLength" is out of range. Received ${outputLength}`, 'ERR_OUT_OF_RANGE')
    }
    return this.#add(outputLength === undefined ? source.copy() : source.copy({ outputLength }))
  }

  /** Finishes the stream (and forgets it). */
  digest(id: string, encoding: string): Buffer | string {
    const digest = this.#get(id)
    this.#streams.delete(id)
    return finishDigest(digest, encoding)
  }

  /** The guest dropped an unfinished stream (its object was garbage-collected). */
  drop(id: string): void {
    this.#streams.delete(id)
  }

  #add(digest: Digest): string {
    if (this.#streams.size >= MAX_OPEN_HASHES) {
      throw new Error(`Too many unfinished hashes (${MAX_OPEN_HASHES}): call digest() on the ones in use`)
    }
    const id = `${this.#token}.${++this.#counter}`
    this.#streams.set(id, digest)
    return id
  }

  #get(id: string): Digest {
    const digest = this.#streams.get(id)
    if (digest === undefined) throw new Error('This hash no longer exists on the host (it was made before a snapshot was taken)')
    return digest
  }
}

/** PBKDF2, refused up front if it would clearly outlast the deadline (a native call cannot be stopped). */
export function pbkdf2(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  keyLength: number,
  algorithm: string,
  limits: HostWorkLimits,
): Buffer {
  const name = checkedName(algorithm, true)
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 2_147_483_647) {
    throw nodeError(RangeError, `The value of "iterations" is out of range. It must be >= 1 && <= 2147483647. Received ${iterations}`, 'ERR_OUT_OF_RANGE')
  }
  if (!Number.isInteger(keyLength) || keyLength < 0 || keyLength > limits.maxOutputBytes) {
    throw nodeError(RangeError, `The value of "keylen" is out of range. It must be >= 0 && <= ${limits.maxOutputBytes}. Received ${keyLength}`, 'ERR_OUT_OF_RANGE')
  }
  const blocks = Math.max(1, Math.ceil(keyLength / createHash(name).digest().length))
  limits.checkWork(iterations * blocks, PBKDF2_UNITS_PER_MS, 'pbkdf2')
  return pbkdf2Sync(password, salt, iterations, keyLength, name)
}
