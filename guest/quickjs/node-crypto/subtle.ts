import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { createDOMException } from '../globals/dom-exception.js'
import { bufferArgs, codedError, copyToArrayBuffer, hostCall, isAnyArrayBuffer } from '../host-work.js'
import { CRYPTO_KEY_BYTES } from './keys.js'

/**
 * WebCrypto's `crypto.subtle`, as far as the host's digests carry it: `digest` (SHA-1/256/384/512)
 * and HMAC keys (`importKey` raw/jwk, `exportKey`, `sign`, `verify`: what JWT libraries such as
 * hono/jwt use). Everything else rejects with a NotSupportedError. Errors follow Node 20's.
 */

const DIGESTS: Readonly<Record<string, string>> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' }
const HMAC_USAGES = ['sign', 'verify']

function notSupported(message = 'Unrecognized algorithm name'): Error {
  return createDOMException(message, 'NotSupportedError')
}

/** WebCrypto's algorithm normalization: a name or an object with one, matched case-insensitively. */
function algorithmName(algorithm: unknown, known: readonly string[], dictionary = 'Algorithm'): string {
  let name: unknown = algorithm
  if (typeof algorithm === 'object' && algorithm !== null) {
    name = (algorithm as { name?: unknown }).name
    if (name === undefined) {
      throw codedError(
        new TypeError(`Failed to normalize algorithm: passed algorithm can not be converted to '${dictionary}' because 'name' is required in '${dictionary}'.`),
        'ERR_MISSING_OPTION',
      )
    }
  }
  const upper = String(name).toUpperCase()
  const found = known.find((candidate) => candidate.toUpperCase() === upper)
  if (found === undefined) throw notSupported()
  return found
}

function requireArguments(method: string, count: number, given: number): void {
  if (given < count) {
    throw codedError(new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': ${count} arguments required, but only ${given} present.`), 'ERR_MISSING_ARGS')
  }
}

const ORDINALS = ['1st', '2nd', '3rd', '4th', '5th']

/** A copy of a BufferSource argument (WebCrypto takes its bytes at call time). */
function bufferSource(value: unknown, method: string, position: number): ArrayBuffer {
  if (isAnyArrayBuffer(value) || ArrayBuffer.isView(value)) return copyToArrayBuffer(value)
  throw codedError(
    new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': ${ORDINALS[position - 1]} argument is not instance of ArrayBuffer, Buffer, TypedArray, or DataView.`),
    'ERR_INVALID_ARG_TYPE',
  )
}

interface HmacAlgorithm {
  readonly name: 'HMAC'
  readonly hash: { readonly name: string }
  readonly length: number
}

const CONSTRUCTING = Symbol('constructing')

export class CryptoKey {
  readonly #algorithm: HmacAlgorithm
  readonly #extractable: boolean
  readonly #usages: string[]
  declare readonly [CRYPTO_KEY_BYTES]: Uint8Array

  constructor(token: unknown, bytes: Uint8Array, algorithm: HmacAlgorithm, extractable: boolean, usages: string[]) {
    if (token !== CONSTRUCTING) throw codedError(new TypeError('Illegal constructor'), 'ERR_ILLEGAL_CONSTRUCTOR')
    this.#algorithm = algorithm
    this.#extractable = extractable
    this.#usages = usages
    Object.defineProperty(this, CRYPTO_KEY_BYTES, { value: bytes })
  }

  get type(): string {
    return 'secret'
  }

  get extractable(): boolean {
    return this.#extractable
  }

  get algorithm(): HmacAlgorithm {
    return this.#algorithm
  }

  get usages(): string[] {
    return this.#usages
  }

  get [Symbol.toStringTag](): string {
    return 'CryptoKey'
  }
}

export function createSubtle(host: HostBindings): SubtleCrypto {
  const hmac = (key: CryptoKey, data: ArrayBuffer): ArrayBuffer => {
    const keyBuffer = copyToArrayBuffer(key[CRYPTO_KEY_BYTES])
    const hashName = DIGESTS[key.algorithm.hash.name] as string
    return hostCall(() => host.hashOnce(hashName, keyBuffer, ...bufferArgs(data), 'buffer', undefined)) as ArrayBuffer
  }
  const hmacKey = (key: unknown, usage: string, algorithm: unknown): CryptoKey => {
    algorithmName(algorithm, ['HMAC'])
    if (!(key instanceof CryptoKey)) throw codedError(new TypeError('The "key" argument must be an instance of CryptoKey.'), 'ERR_INVALID_ARG_TYPE')
    if (!key.usages.includes(usage)) throw createDOMException(`Unable to use this key to ${usage}`, 'InvalidAccessError')
    return key
  }
  return new SubtleCrypto(CONSTRUCTING, {
    digest(algorithm, data) {
      const bytes = bufferSource(data, 'digest', 2)
      const name = algorithmName(algorithm, Object.keys(DIGESTS))
      return hostCall(() => host.hashOnce(DIGESTS[name] as string, undefined, ...bufferArgs(bytes), 'buffer', undefined)) as ArrayBuffer
    },
    importKey(format, keyData, algorithm, extractable, usages) {
      algorithmName(algorithm, ['HMAC'], 'HmacImportParams')
      const params = algorithm as { hash?: unknown; length?: unknown }
      if (params.hash === undefined) {
        throw codedError(
          new TypeError("Failed to normalize algorithm: passed algorithm can not be converted to 'HmacImportParams' because 'hash' is required in 'HmacImportParams'."),
          'ERR_MISSING_OPTION',
        )
      }
      const hash = algorithmName(params.hash, Object.keys(DIGESTS))
      const keyUsages = [...(usages as Iterable<string>)].map(String)
      if (keyUsages.some((usage) => !HMAC_USAGES.includes(usage))) throw createDOMException('Unsupported key usage for an HMAC key', 'SyntaxError')
      let bytes: Uint8Array
      if (format === 'raw') bytes = new Uint8Array(bufferSource(keyData, 'importKey', 2))
      else if (format === 'jwk') bytes = jwkBytes(keyData, hash, Boolean(extractable), host)
      else throw notSupported(`Unable to import HMAC key with format ${String(format)}`)
      if (bytes.length === 0) throw createDOMException('Zero-length key is not supported', 'DataError')
      // Node takes only whole-byte lengths, equal to the key's (WebCrypto would allow fewer bits).
      const length = bytes.length * 8
      if (params.length !== undefined) {
        const requested = Number(params.length)
        if (requested === 0) throw createDOMException('Zero-length key is not supported', 'DataError')
        if (requested !== length) throw createDOMException('Invalid key length', 'DataError')
      }
      return new CryptoKey(CONSTRUCTING, bytes, { name: 'HMAC', hash: { name: hash }, length }, Boolean(extractable), keyUsages)
    },
    exportKey(format, key) {
      if (!(key instanceof CryptoKey)) throw codedError(new TypeError('The "key" argument must be an instance of CryptoKey.'), 'ERR_INVALID_ARG_TYPE')
      if (!key.extractable) throw createDOMException('key is not extractable', 'InvalidAccessException')
      const bytes = key[CRYPTO_KEY_BYTES]
      if (format === 'raw') return copyToArrayBuffer(bytes)
      if (format === 'jwk') {
        const k = host.decodeText(copyToArrayBuffer(bytes), 0, bytes.length, 'base64url')
        return { key_ops: [...key.usages], ext: true, kty: 'oct', k, alg: `HS${key.algorithm.hash.name.slice(4)}` }
      }
      throw notSupported(`Unable to export a raw HMAC key with format ${String(format)}`)
    },
    sign(algorithm, key, data) {
      return hmac(hmacKey(key, 'sign', algorithm), bufferSource(data, 'sign', 3))
    },
    verify(algorithm, key, signature, data) {
      const expected = new Uint8Array(hmac(hmacKey(key, 'verify', algorithm), bufferSource(data, 'verify', 4)))
      const given = new Uint8Array(bufferSource(signature, 'verify', 3))
      if (given.length !== expected.length) return false
      let difference = 0
      for (let index = 0; index < given.length; index++) difference |= (given[index] as number) ^ (expected[index] as number)
      return difference === 0
    },
  })
}

/** A JWK of an HMAC key ({ kty: 'oct', k, alg?, ext? }) as bytes, checked as Node checks it. */
function jwkBytes(jwk: unknown, hash: string, extractable: boolean, host: HostBindings): Uint8Array {
  const { kty, k, alg, ext } = (jwk ?? {}) as { kty?: unknown; k?: unknown; alg?: unknown; ext?: unknown }
  if (kty !== 'oct') throw createDOMException('Invalid JWK "kty" Parameter', 'DataError')
  if (typeof k !== 'string') throw createDOMException('Invalid JWK secret key format', 'DataError')
  if (alg !== undefined && alg !== `HS${hash.slice(4)}`) throw createDOMException('JWK "alg" does not match the requested algorithm', 'DataError')
  if (ext === false && extractable) throw createDOMException('JWK "ext" Parameter and extractable mismatch', 'DataError')
  return new Uint8Array(host.encodeText(k, 'base64url'))
}

type Operation = (...args: unknown[]) => unknown

interface Operations {
  digest(algorithm: unknown, data: unknown): unknown
  importKey(format: unknown, keyData: unknown, algorithm: unknown, extractable: unknown, usages: unknown): unknown
  exportKey(format: unknown, key: unknown): unknown
  sign(algorithm: unknown, key: unknown, data: unknown): unknown
  verify(algorithm: unknown, key: unknown, signature: unknown, data: unknown): unknown
}

/** The argument count of each method, for WebCrypto's "N arguments required" errors. */
const ARITY: Readonly<Record<string, number>> = {
  encrypt: 3, decrypt: 3, sign: 3, verify: 4, digest: 2, generateKey: 3, deriveKey: 5, deriveBits: 3,
  importKey: 5, exportKey: 2, wrapKey: 4, unwrapKey: 7,
}

export class SubtleCrypto {
  readonly #operations: Operations

  constructor(token: unknown, operations: Operations) {
    if (token !== CONSTRUCTING) throw codedError(new TypeError('Illegal constructor'), 'ERR_ILLEGAL_CONSTRUCTOR')
    this.#operations = operations
  }

  /** Runs an operation as WebCrypto does: every outcome, errors included, through a promise. */
  #run(method: string, args: unknown[]): Promise<never> {
    return new Promise((resolve) => {
      requireArguments(method, ARITY[method] as number, args.length)
      const operation = (this.#operations as unknown as Record<string, Operation | undefined>)[method]
      if (operation === undefined) throw notSupported(`${method} is not supported by Thaw's WebCrypto (only digest and HMAC keys are)`)
      resolve(operation(...args) as never)
    })
  }

  encrypt(...args: unknown[]) { return this.#run('encrypt', args) }
  decrypt(...args: unknown[]) { return this.#run('decrypt', args) }
  sign(...args: unknown[]) { return this.#run('sign', args) }
  verify(...args: unknown[]) { return this.#run('verify', args) }
  digest(...args: unknown[]) { return this.#run('digest', args) }
  generateKey(...args: unknown[]) { return this.#run('generateKey', args) }
  deriveKey(...args: unknown[]) { return this.#run('deriveKey', args) }
  deriveBits(...args: unknown[]) { return this.#run('deriveBits', args) }
  importKey(...args: unknown[]) { return this.#run('importKey', args) }
  exportKey(...args: unknown[]) { return this.#run('exportKey', args) }
  wrapKey(...args: unknown[]) { return this.#run('wrapKey', args) }
  unwrapKey(...args: unknown[]) { return this.#run('unwrapKey', args) }

  get [Symbol.toStringTag](): string {
    return 'SubtleCrypto'
  }
}
