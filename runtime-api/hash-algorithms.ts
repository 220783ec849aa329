/**
 * The message digests the host computes for the guest (node:crypto's createHash, createHmac, hash,
 * pbkdf2; WebCrypto's digest and HMAC). Shared by the guest, which must refuse an unknown name at
 * `createHash()` time as Node does, and by the host, which checks every name again: the guest is
 * untrusted. A fixed list, not the host's `getHashes()`, so that a function sees the same platform
 * on any host. Plain literals only.
 */

/** Node 20's `crypto.getHashes()` (OpenSSL 3), in its order. */
export const HASH_NAMES = [
  'RSA-MD5', 'RSA-RIPEMD160', 'RSA-SHA1', 'RSA-SHA1-2', 'RSA-SHA224', 'RSA-SHA256', 'RSA-SHA3-224', 'RSA-SHA3-256',
  'RSA-SHA3-384', 'RSA-SHA3-512', 'RSA-SHA384', 'RSA-SHA512', 'RSA-SHA512/224', 'RSA-SHA512/256', 'RSA-SM3',
  'blake2b512', 'blake2s256', 'id-rsassa-pkcs1-v1_5-with-sha3-224', 'id-rsassa-pkcs1-v1_5-with-sha3-256',
  'id-rsassa-pkcs1-v1_5-with-sha3-384', 'id-rsassa-pkcs1-v1_5-with-sha3-512', 'md5', 'md5-sha1', 'md5WithRSAEncryption',
  'ripemd', 'ripemd160', 'ripemd160WithRSA', 'rmd160', 'sha1', 'sha1WithRSAEncryption', 'sha224', 'sha224WithRSAEncryption',
  'sha256', 'sha256WithRSAEncryption', 'sha3-224', 'sha3-256', 'sha3-384', 'sha3-512', 'sha384', 'sha384WithRSAEncryption',
  'sha512', 'sha512-224', 'sha512-224WithRSAEncryption', 'sha512-256', 'sha512-256WithRSAEncryption',
  'sha512WithRSAEncryption', 'shake128', 'shake256', 'sm3', 'sm3WithRSAEncryption', 'ssl3-md5', 'ssl3-sha1',
] as const

/** OpenSSL also knows the SHA family by its standard names (WebCrypto's spelling). */
const STANDARD_NAMES = ['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512', 'sha-512/224', 'sha-512/256']

const KNOWN = new Set<string>([...HASH_NAMES.map((name) => name.toLowerCase()), ...STANDARD_NAMES])

/** Extendable-output functions: their default output length in bytes; they cannot key an HMAC. */
export const XOF_DEFAULT_LENGTH: Readonly<Record<string, number>> = { shake128: 16, shake256: 32 }

/** The name `algorithm` is known by (lower case, as OpenSSL takes it case-insensitively), or undefined. */
export function digestName(algorithm: string): string | undefined {
  const name = algorithm.toLowerCase()
  return KNOWN.has(name) ? name : undefined
}
