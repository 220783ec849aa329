import { Buffer } from 'buffer'
import { invalidArgType } from '../fs/errors.js'
import { copyToArrayBuffer, hostCall, later, outOfRange } from '../host-work.js'
import { bufferSourceBytes, host, validateFunction, validateString } from './data.js'

/**
 * PBKDF2 by the host's OpenSSL. One native call that cannot be sliced: the host refuses a cost
 * that would clearly outlast the function's deadline (ERR_THAW_WORK_EXCEEDS_DEADLINE).
 */

function validateInt32(value: unknown, name: string, min: number): asserts value is number {
  if (typeof value !== 'number') throw invalidArgType(name, 'of type number', value)
  if (!Number.isInteger(value)) throw outOfRange(name, 'an integer', value)
  if (value < min || value > 2147483647) throw outOfRange(name, `>= ${min} && <= 2147483647`, value)
}

/** Node's argument checks, in its order; returns the derivation to run. */
function prepare(password: unknown, salt: unknown, iterations: unknown, keylen: unknown, digest: unknown): () => Buffer {
  validateString(digest, 'digest')
  const passwordBuffer = copyToArrayBuffer(bufferSourceBytes(password, 'password'))
  const saltBuffer = copyToArrayBuffer(bufferSourceBytes(salt, 'salt'))
  validateInt32(iterations, 'iterations', 1)
  validateInt32(keylen, 'keylen', 0)
  return () => Buffer.from(hostCall(() => host().pbkdf2(passwordBuffer, saltBuffer, iterations, keylen, digest)))
}

export function pbkdf2Sync(password: unknown, salt: unknown, iterations: unknown, keylen: unknown, digest: unknown): Buffer {
  return prepare(password, salt, iterations, keylen, digest)()
}

export function pbkdf2(password: unknown, salt: unknown, iterations: unknown, keylen: unknown, digest: unknown, callback?: unknown): void {
  if (typeof digest === 'function') {
    callback = digest
    digest = undefined
  }
  const derive = prepare(password, salt, iterations, keylen, digest)
  validateFunction(callback, 'callback')
  let key: Buffer
  try {
    key = derive()
  } catch (error) {
    // An unknown digest is an argument error (thrown, as Node's job constructor does); others go to the callback.
    if ((error as { code?: unknown }).code === 'ERR_CRYPTO_INVALID_DIGEST') throw error
    later(callback, error)
    return
  }
  later(callback, null, key)
}
