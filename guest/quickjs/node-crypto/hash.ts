import { Buffer } from 'buffer'
import { digestName, HASH_NAMES, XOF_DEFAULT_LENGTH } from '../../../runtime-api/hash-algorithms.js'
import { normalizeEncoding } from '../fs/encoding.js'
import { invalidArgType, invalidArgValue } from '../fs/errors.js'
import { bufferArgs, codedError, hostCall, outOfRange } from '../host-work.js'
import { host, stringBytes, updateBytes, validateString, viewBytes } from './data.js'
import { DigestState } from './digest-state.js'
import { secretKeyBytes } from './keys.js'

/**
 * node:crypto's Hash and Hmac (createHash, createHmac) and the one-shot `hash()`, computed by the
 * host (see digest-state.ts). Not streams: Node's are also Transform streams (pipe, write, end),
 * these only have update/digest/copy.
 */

function finalizedError(): Error {
  return codedError(new Error('Digest already called'), 'ERR_CRYPTO_HASH_FINALIZED')
}

/** Node's validateUint32 for `options.outputLength`. */
function outputLengthOption(options: unknown): number | undefined {
  const length = typeof options === 'object' && options !== null ? (options as { outputLength?: unknown }).outputLength : undefined
  if (length === undefined) return undefined
  if (typeof length !== 'number') throw invalidArgType('options.outputLength', 'of type number', length)
  if (!Number.isInteger(length)) throw outOfRange('options.outputLength', 'an integer', length)
  if (length < 0 || length > 4294967295) throw outOfRange('options.outputLength', '>= 0 && <= 4294967295', length)
  return length
}

/** Node's hex check for string input: odd-length hex is an error (Node's validateEncoding). */
function checkHexLength(data: unknown, encoding: unknown): void {
  if (typeof data === 'string' && normalizeEncoding(encoding) === 'hex' && data.length % 2 !== 0) {
    throw invalidArgValue('encoding', encoding, `is invalid for data of length ${data.length}`)
  }
}

/** A digest as Node returns it: the host sends hex/base64/base64url text, other text is decoded here. */
function asResult(digest: ArrayBuffer | string, encoding: string): Buffer | string {
  if (typeof digest === 'string') return digest
  const bytes = Buffer.from(digest)
  const text = normalizeEncoding(encoding)
  return text === undefined ? bytes : bytes.toString(text)
}

const FROM_STATE = Symbol('fromState')

export class Hash {
  #state: DigestState
  #finalized = false

  constructor(algorithm: string, options?: unknown) {
    if ((algorithm as unknown) === FROM_STATE) {
      this.#state = options as DigestState
      return
    }
    validateString(algorithm, 'algorithm')
    const outputLength = outputLengthOption(options)
    const name = digestName(algorithm)
    if (name === undefined) throw new Error('Digest method not supported')
    this.#state = new DigestState(name, undefined, outputLength)
  }

  update(data: unknown, encoding?: unknown): this {
    if (this.#finalized) throw finalizedError()
    checkHexLength(data, encoding)
    this.#state.update(updateBytes(data, encoding), typeof data === 'string')
    return this
  }

  digest(outputEncoding?: unknown): Buffer | string {
    if (this.#finalized) throw finalizedError()
    const encoding = `${(outputEncoding as string) || 'buffer'}`
    const result = this.#state.digest(encoding)
    this.#finalized = true
    return asResult(result, encoding)
  }

  copy(options?: unknown): Hash {
    if (this.#finalized) throw finalizedError()
    const outputLength = outputLengthOption(options)
    return new Hash(FROM_STATE as unknown as string, this.#state.copy(outputLength))
  }
}

export class Hmac {
  #state: DigestState
  #finalized = false

  constructor(hmac: string, key: unknown, options?: unknown) {
    validateString(hmac, 'hmac')
    let encoding: unknown
    if (typeof options === 'object' && options !== null && 'encoding' in options) encoding = (options as { encoding?: unknown }).encoding
    if (encoding !== undefined) validateString(encoding, 'options.encoding')
    const keyBytes = secretKeyBytes(key, encoding, true)
    const name = digestName(hmac)
    if (name === undefined || name in XOF_DEFAULT_LENGTH) throw codedError(new TypeError(`Invalid digest: ${hmac}`), 'ERR_CRYPTO_INVALID_DIGEST')
    this.#state = new DigestState(name, keyBytes.slice().buffer, undefined)
  }

  update(data: unknown, encoding?: unknown): this {
    if (this.#finalized) throw finalizedError()
    checkHexLength(data, encoding)
    this.#state.update(updateBytes(data, encoding), typeof data === 'string')
    return this
  }

  /** A second digest() gives an empty result, as Node's (legacy) Hmac does. */
  digest(outputEncoding?: unknown): Buffer | string {
    const encoding = `${(outputEncoding as string) || 'buffer'}`
    if (this.#finalized) return encoding === 'buffer' ? Buffer.alloc(0) : ''
    this.#finalized = true
    return asResult(this.#state.digest(encoding), encoding)
  }
}

export function createHash(algorithm: string, options?: unknown): Hash {
  return new Hash(algorithm, options)
}

export function createHmac(hmac: string, key: unknown, options?: unknown): Hmac {
  return new Hmac(hmac, key, options)
}

/** Node 20.12's one-shot `crypto.hash(algorithm, data, outputEncoding = 'hex')`. */
export function hash(algorithm: unknown, input: unknown, outputEncoding: unknown = 'hex'): Buffer | string {
  validateString(algorithm, 'algorithm')
  if (typeof input !== 'string' && !ArrayBuffer.isView(input)) {
    throw invalidArgType('input', 'of type string or an instance of Buffer, TypedArray, or DataView', input)
  }
  let encoding = 'hex'
  if (outputEncoding !== 'hex') {
    validateString(outputEncoding, 'outputEncoding')
    const normalized = normalizeEncoding(outputEncoding)
    if (normalized !== undefined) encoding = normalized
    else if (outputEncoding.toLowerCase() === 'buffer') encoding = 'buffer'
    else throw invalidArgValue('outputEncoding', outputEncoding)
  }
  const name = digestName(algorithm)
  if (name === undefined) throw new Error(`Digest method ${algorithm} is not supported`)
  const bytes = typeof input === 'string' ? stringBytes(input, 'utf8') : viewBytes(input)
  return asResult(hostCall(() => host().hashOnce(name, undefined, ...bufferArgs(bytes), encoding, undefined)), encoding)
}

export function getHashes(): string[] {
  return [...HASH_NAMES]
}
