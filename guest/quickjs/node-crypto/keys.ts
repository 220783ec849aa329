import { Buffer } from 'buffer'
import { invalidArgType, invalidArgValue } from '../fs/errors.js'
import { codedError, isAnyArrayBuffer } from '../host-work.js'
import { bufferSourceBytes, host } from './data.js'

/**
 * Secret keys: node:crypto's KeyObject of type 'secret' (createSecretKey), and the key material of
 * the WebCrypto CryptoKeys that the subtle chunk makes. Asymmetric keys need OpenSSL's key
 * parsers, which the guest does not have (createPublicKey/createPrivateKey are unavailable).
 */

/**
 * Where a CryptoKey of the subtle chunk keeps its bytes. Registered, because the two chunks are
 * bundled separately and must agree on it; code in the sandbox could read it, but that code owns
 * the key anyway: extractable is a WebCrypto policy, not a boundary inside one sandbox.
 */
export const CRYPTO_KEY_BYTES = Symbol.for('thaw.cryptoKeyBytes')

const CONSTRUCTING = Symbol('constructing')

export class KeyObject {
  readonly #type: string

  constructor(type: unknown, handle: unknown) {
    if (type !== 'secret' && type !== 'public' && type !== 'private') throw invalidArgValue('type', type)
    if (handle !== CONSTRUCTING) throw invalidArgType('handle', 'of type object', handle)
    this.#type = type
  }

  get type(): string {
    return this.#type
  }

  static from(key: unknown): KeyObject {
    const bytes = (key as Record<symbol, unknown> | null)?.[CRYPTO_KEY_BYTES]
    if (!(bytes instanceof Uint8Array)) throw invalidArgType('key', 'an instance of CryptoKey', key)
    return new SecretKeyObject(bytes)
  }

  equals(otherKeyObject: unknown): boolean {
    if (!(otherKeyObject instanceof KeyObject)) throw invalidArgType('otherKeyObject', 'an instance of KeyObject', otherKeyObject)
    if (!(this instanceof SecretKeyObject) || !(otherKeyObject instanceof SecretKeyObject)) return false
    const [a, b] = [this.bytes, otherKeyObject.bytes]
    return a.length === b.length && a.every((byte, index) => byte === b[index])
  }
}

export class SecretKeyObject extends KeyObject {
  readonly #bytes: Uint8Array

  constructor(bytes: Uint8Array) {
    super('secret', CONSTRUCTING)
    this.#bytes = bytes.slice()
  }

  /** The key material (for this module only). */
  get bytes(): Uint8Array {
    return this.#bytes
  }

  get symmetricKeySize(): number {
    return this.#bytes.length
  }

  export(options?: unknown): Buffer | { kty: 'oct'; k: string } {
    const format = typeof options === 'object' && options !== null ? (options as { format?: unknown }).format : undefined
    if (format === 'jwk') return { kty: 'oct', k: host().decodeText(this.#bytes.slice().buffer, 0, this.#bytes.length, 'base64url') }
    if (format !== undefined && format !== 'buffer') throw invalidArgValue('options.format', format, "must be one of: 'buffer', 'jwk'")
    return Buffer.from(this.#bytes)
  }
}

export function createSecretKey(key: unknown, encoding?: unknown): SecretKeyObject {
  return new SecretKeyObject(secretKeyBytes(key, encoding, false))
}

/**
 * Node's prepareSecretKey: a KeyObject or CryptoKey (when `objects`), a string in `encoding`, an
 * ArrayBuffer or a view. The bytes may be the caller's: copy them to keep them.
 */
export function secretKeyBytes(key: unknown, encoding: unknown, objects: boolean): Uint8Array {
  if (objects) {
    if (key instanceof KeyObject) {
      if (!(key instanceof SecretKeyObject)) throw codedError(new TypeError(`Invalid key object type ${key.type}, expected secret.`), 'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE')
      return key.bytes
    }
    const cryptoKeyBytes = (key as Record<symbol, unknown> | null)?.[CRYPTO_KEY_BYTES]
    if (cryptoKeyBytes instanceof Uint8Array) return cryptoKeyBytes
  }
  if (typeof key !== 'string' && !ArrayBuffer.isView(key) && !isAnyArrayBuffer(key)) {
    const instances = objects ? 'ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey' : 'ArrayBuffer, Buffer, TypedArray, or DataView'
    throw invalidArgType('key', `of type string or an instance of ${instances}`, key)
  }
  return bufferSourceBytes(key, 'key', encoding)
}
