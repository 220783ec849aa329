import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { unavailableFunction } from '../host-work.js'
import { cryptoConstants } from './constants.js'
import { bindHost } from './data.js'
import { createHash, createHmac, getHashes, Hash, hash, Hmac } from './hash.js'
import { createSecretKey, KeyObject } from './keys.js'
import { pbkdf2, pbkdf2Sync } from './pbkdf2.js'
import { randomBytes, randomFill, randomFillSync, randomInt, randomUUID } from './random.js'
import { timingSafeEqual } from './misc.js'

/**
 * The node:crypto module of one environment. Hashes, HMACs, PBKDF2 and randomness are real (the
 * host computes them); ciphers, signatures, key pairs and the other OpenSSL-backed APIs need key
 * parsers and ciphers the guest does not have: they exist, so that importing them works, and throw
 * ERR_FEATURE_UNAVAILABLE_ON_PLATFORM naming themselves when called. Keys in Node 20's order.
 */

const UNAVAILABLE = new Set([
  'checkPrime', 'checkPrimeSync', 'createCipheriv', 'createDecipheriv', 'createDiffieHellman', 'createDiffieHellmanGroup',
  'createECDH', 'createPrivateKey', 'createPublicKey', 'createSign', 'createVerify', 'diffieHellman', 'generatePrime',
  'generatePrimeSync', 'getDiffieHellman', 'hkdf', 'hkdfSync', 'generateKeyPair', 'generateKeyPairSync', 'generateKey',
  'generateKeySync', 'privateDecrypt', 'privateEncrypt', 'publicDecrypt', 'publicEncrypt', 'scrypt', 'scryptSync', 'sign',
  'setEngine', 'verify', 'Certificate', 'Cipher', 'Cipheriv', 'Decipher', 'Decipheriv', 'DiffieHellman',
  'DiffieHellmanGroup', 'ECDH', 'Sign', 'Verify', 'X509Certificate',
])

const KEY_ORDER = [
  'checkPrime', 'checkPrimeSync', 'createCipheriv', 'createDecipheriv', 'createDiffieHellman', 'createDiffieHellmanGroup',
  'createECDH', 'createHash', 'createHmac', 'createPrivateKey', 'createPublicKey', 'createSecretKey', 'createSign',
  'createVerify', 'diffieHellman', 'generatePrime', 'generatePrimeSync', 'getCiphers', 'getCipherInfo', 'getCurves',
  'getDiffieHellman', 'getHashes', 'hkdf', 'hkdfSync', 'pbkdf2', 'pbkdf2Sync', 'generateKeyPair', 'generateKeyPairSync',
  'generateKey', 'generateKeySync', 'privateDecrypt', 'privateEncrypt', 'publicDecrypt', 'publicEncrypt', 'randomBytes',
  'randomFill', 'randomFillSync', 'randomInt', 'randomUUID', 'scrypt', 'scryptSync', 'sign', 'setEngine',
  'timingSafeEqual', 'getFips', 'setFips', 'verify', 'hash', 'Certificate', 'Cipher', 'Cipheriv', 'Decipher', 'Decipheriv',
  'DiffieHellman', 'DiffieHellmanGroup', 'ECDH', 'Hash', 'Hmac', 'KeyObject', 'Sign', 'Verify', 'X509Certificate',
  'secureHeapUsed',
] as const

interface WebCrypto {
  subtle: unknown
  getRandomValues<T extends ArrayBufferView>(array: T): T
}

export function createCryptoModule(host: HostBindings): Record<string, unknown> {
  bindHost(host)
  // Node's webcrypto is the global `crypto` (the same object), subtle its `subtle`.
  const webcrypto = (globalThis as unknown as { crypto: WebCrypto }).crypto
  const getRandomValues = <T extends ArrayBufferView>(array: T): T => webcrypto.getRandomValues(array)
  const available: Record<string, unknown> = {
    createHash,
    createHmac,
    createSecretKey,
    getCiphers: () => [],
    getCipherInfo: () => undefined,
    getCurves: () => [],
    getHashes,
    pbkdf2,
    pbkdf2Sync,
    randomBytes,
    randomFill,
    randomFillSync,
    randomInt,
    randomUUID,
    timingSafeEqual,
    getFips: () => 0,
    setFips: unavailableFunction('crypto', 'setFips'),
    hash,
    Hash,
    Hmac,
    KeyObject,
    secureHeapUsed: () => ({ total: 0, used: 0, utilization: 0, min: 0 }),
  }
  const crypto: Record<string, unknown> = {}
  for (const name of KEY_ORDER) crypto[name] = UNAVAILABLE.has(name) ? unavailableFunction('crypto', name) : available[name]
  Object.defineProperty(crypto, 'constants', { value: cryptoConstants(), writable: false, enumerable: true, configurable: false })
  Object.defineProperties(crypto, {
    webcrypto: { get: () => webcrypto, enumerable: true, configurable: false },
    subtle: { get: () => webcrypto.subtle, enumerable: true, configurable: false },
    getRandomValues: { get: () => getRandomValues, enumerable: true, configurable: false },
  })
  return crypto
}
