/**
 * The host-backed guest modules: node:crypto (hashes, HMACs, hash(), PBKDF2, randomness, secret
 * keys), crypto.subtle (digest, HMAC) and node:zlib (gzip, deflate, brotli, crc32), compared case
 * by case with Node 20's own modules in this process.
 *
 * Every case is a function body run by the same harness inside one deployed QuickJS function
 * (all cases in one invocation) and here in Node, with the same inputs (fixed ones and random ones
 * made for this run, sent in the event). Results are normalised (Buffers to hex, errors to their
 * class, name, code, errno and message) and compared with t.strictSame. The comparison runs in a
 * cold environment and in one restored from a snapshot. Guest-only assertions cover what has no
 * Node counterpart: the memory cap on decompression, the deadline, features Thaw does not have.
 */
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import releaseSyncImport from '@jitl/quickjs-wasmfile-release-sync'
import { newQuickJSWASMModuleFromVariant, type QuickJSSyncVariant } from 'quickjs-emscripten-core'
import t from 'tap'
import { NODE_MODULE_EXPORTS } from '../runtime-api/builtin-modules.js'
import { createWorkBindings } from '../src/isolates/quickjs/host-work-bindings.js'
import { hostWorkLimits } from '../src/isolates/quickjs/host-work.js'
import { deployFiles, hostFor, payloadOf } from './conformance/fixture.js'
import { coldQuickJs, snapshotQuickJs, type ConformanceMode } from './conformance/mode.js'

const HARNESS = `
function normalize(value) {
  if (value === undefined) return { undefined: true }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : { number: String(value) }
  if (typeof value === 'function') return { function: value.name }
  if (value instanceof ArrayBuffer) return { arrayBuffer: Buffer.from(value).toString('hex') }
  if (ArrayBuffer.isView(value)) {
    return { view: value.constructor.name, hex: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex') }
  }
  if (value instanceof Error) return describeError(value)
  if (Array.isArray(value)) return value.map(normalize)
  const out = {}
  for (const key of Object.keys(value)) out[key] = normalize(value[key])
  return out
}
function describeError(error) {
  const described = { threw: error.constructor.name, name: error.name, message: error.message }
  if (error.code !== undefined) described.code = error.code
  if (error.errno !== undefined) described.errno = error.errno
  return described
}
async function runCases(cases, inputs, crypto, zlib) {
  const results = []
  for (const code of cases) {
    try {
      const fn = new Function('crypto', 'zlib', 'Buffer', 'inputs', 'webcrypto', code)
      results.push({ value: normalize(await fn(crypto, zlib, Buffer, inputs, crypto.webcrypto)) })
    } catch (error) {
      results.push(error instanceof Error ? describeError(error) : { thrownValue: normalize(error) })
    }
  }
  return results
}
`

const GUEST_HANDLER = `${HARNESS}
const crypto = require('crypto')
const zlib = require('zlib')
exports.handler = async (event) => {
  const inputs = event.inputs.map((b64) => Buffer.from(b64, 'base64'))
  return runCases(event.cases, inputs, crypto, zlib)
}`

const nodeRunCases = new Function(`${HARNESS}; return runCases`)() as (
  cases: string[],
  inputs: Buffer[],
  crypto: unknown,
  zlib: unknown,
) => Promise<unknown[]>

// ── inputs ─────────────────────────────────────────────────────────────────────────────────────
const text = Array.from({ length: 4000 }, (_, index) => `word${(index * 7919) % 1000} `).join('')
const inputs: Buffer[] = [
  Buffer.alloc(0),
  Buffer.from('The quick brown fox jumps over the lazy dog'),
  Buffer.from('héllo wörld € 😀', 'utf8'),
  randomBytes(1000),
  randomBytes(70_000), // past the guest's streaming threshold (64 KiB)
  Buffer.from(text),
  randomBytes(300_000), // several host slices of zlib input (256 KiB)
]
const BIG = 4
const HUGE = 6

// ── cases ──────────────────────────────────────────────────────────────────────────────────────
const cases: Array<{ name: string; code: string }> = []
const section = (prefix: string, list: Array<[string, string]>): void => {
  for (const [name, expression] of list) cases.push({ name: `${prefix}: ${name}`, code: `return (${expression})` })
}

const ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha384', 'sha512', 'sha224', 'sha512-256', 'sha3-256', 'blake2b512', 'ripemd160', 'SHA256', 'RSA-SHA256', 'sha-512']
section(
  'createHash digests',
  ALGORITHMS.flatMap((algorithm) =>
    inputs.map((_, index): [string, string] => [`${algorithm} of input ${index}`, `crypto.createHash('${algorithm}').update(inputs[${index}]).digest('hex')`]),
  ),
)
section(
  'createHash output encodings',
  ['hex', 'base64', 'base64url', 'latin1', 'binary', 'utf8', 'ucs2', 'utf16le', 'ascii', 'HEX', 'buffer', 'bogus', ''].map((encoding) => [
    encoding || '(none)',
    `crypto.createHash('sha256').update('abc').digest(${encoding === '' ? '' : `'${encoding}'`})`,
  ]),
)
section('createHash updates', [
  ['string encodings', `crypto.createHash('sha1').update('aé€', 'utf8').update('ff00', 'hex').update('aGVsbG8=', 'base64').update('aGk_', 'base64url').update('é', 'latin1').update('aé', 'ascii').update('hi', 'utf16le').update('x', 'bogus').update('y', 'buffer').digest('hex')`],
  ['typed arrays and views', `(() => { const b = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]); return crypto.createHash('md5').update(new Uint16Array(b.buffer, 2, 2)).update(new DataView(b.buffer, 1, 3)).update(b.subarray(5)).update(new Float64Array([1.5])).digest('hex') })()`],
  ['many small updates past the streaming threshold', `(() => { const h = crypto.createHash('sha512'); for (let i = 0; i < 300; i++) h.update(inputs[3].subarray(0, 300 + i)); return h.digest('base64') })()`],
  ['large then small updates', `crypto.createHash('sha256').update(inputs[${BIG}]).update('tail').update(inputs[${BIG}]).digest('hex')`],
  ['NULs in long strings', `['utf8', 'latin1', 'ascii', 'utf16le', 'base64', 'base64url', 'hex'].map((e) => crypto.createHash('md5').update('YWJj'.repeat(30) + '\\0' + 'ab\\0c\\0\\0', e).digest('hex'))`],
  ['NULs in a digest as text', `['latin1', 'utf8', 'utf16le', 'ascii'].map((e) => crypto.createHash('sha256').update('abc').digest(e))`],
  ['lone surrogates in a string', `crypto.createHash('sha256').update('a\\ud800b\\udc00').update('\\ud83d', 'utf16le').update('\\udfff', 'latin1').digest('hex')`],
  ['views of a SharedArrayBuffer', `(() => { const b = new Uint8Array(new SharedArrayBuffer(100000)).fill(7); return [crypto.createHash('sha1').update(b.subarray(0, 10)).update(b).digest('hex'), crypto.hash('md5', b), zlib.gzipSync(b.subarray(5, 50)), zlib.deflateSync(new SharedArrayBuffer(3)), crypto.timingSafeEqual(new SharedArrayBuffer(2), new Uint8Array(2)), crypto.createHmac('sha1', new SharedArrayBuffer(2)).digest('hex')] })()`],
  ['the data is taken at update time', `(() => { const b = Buffer.from('abc'); const h = crypto.createHash('sha1').update(b); b[0] = 0x7a; return h.digest('hex') })()`],
  ['update returns the hash', `(() => { const h = crypto.createHash('md5'); return h.update('a') === h })()`],
  ['instanceof Hash', `[crypto.createHash('md5') instanceof crypto.Hash, crypto.createHmac('md5', 'k') instanceof crypto.Hmac]`],
  ['shake256 outputLength', `[crypto.createHash('shake256', { outputLength: 5 }).update('a').digest('hex'), crypto.createHash('shake128').update('a').digest('hex')]`],
])
section('Hash.copy', [
  ['before the streaming threshold', `(() => { const h = crypto.createHash('sha256').update('a'); const c = h.copy(); h.update('b'); c.update('c'); return [h.digest('hex'), c.digest('hex')] })()`],
  ['after the streaming threshold', `(() => { const h = crypto.createHash('sha256').update(inputs[${BIG}]); const c = h.copy(); h.update('b'); return [h.digest('hex'), c.digest('hex'), c.copy === undefined] })()`],
  ['of a copy, with buffered data', `(() => { const h = crypto.createHash('md5'); for (let i = 0; i < 10; i++) h.update(inputs[3]); const c = h.copy().copy(); return [h.digest('hex'), c.update('x').digest('hex')] })()`],
])
section('createHash errors', [
  ['unknown algorithm', `crypto.createHash('foo')`],
  ['algorithm not a string', `crypto.createHash(1)`],
  ['data not a string or view', `crypto.createHash('sha256').update(1)`],
  ['ArrayBuffer data', `crypto.createHash('sha256').update(new ArrayBuffer(3))`],
  ['odd-length hex', `crypto.createHash('sha256').update('abc', 'hex')`],
  ['digest twice', `(() => { const h = crypto.createHash('sha256'); h.digest(); return h.digest() })()`],
  ['update after digest', `(() => { const h = crypto.createHash('sha256'); h.digest(); return h.update('a') })()`],
  ['copy after digest', `(() => { const h = crypto.createHash('sha256'); h.digest(); return h.copy() })()`],
  ['outputLength not a number', `crypto.createHash('shake256', { outputLength: 'x' })`],
  ['outputLength negative', `crypto.createHash('shake256', { outputLength: -1 })`],
])
section('createHmac', [
  ...['md5', 'sha1', 'sha256', 'sha384', 'sha512'].flatMap((algorithm) =>
    [0, 1, 3, BIG].map((index): [string, string] => [`${algorithm} of input ${index}`, `crypto.createHmac('${algorithm}', 'secret key').update(inputs[${index}]).digest('hex')`]),
  ),
  ['Buffer key', `crypto.createHmac('sha256', Buffer.from([1, 2, 3])).update('data').digest('base64')`],
  ['empty key', `crypto.createHmac('sha256', '').update('data').digest('hex')`],
  ['key longer than a block', `crypto.createHmac('sha512', inputs[3]).update('data').digest('hex')`],
  ['key with an encoding', `crypto.createHmac('sha256', 'a2V5', { encoding: 'base64' }).update('data').digest('hex')`],
  ['ArrayBuffer and view keys', `[crypto.createHmac('sha1', new Uint8Array([1, 2]).buffer).digest('hex'), crypto.createHmac('sha1', new DataView(new Uint8Array([1, 2]).buffer)).digest('hex')]`],
  ['many updates', `(() => { const h = crypto.createHmac('sha256', 'k'); for (let i = 0; i < 50; i++) h.update(String(i)).update(inputs[3]); return h.digest('base64url') })()`],
  ['second digest is empty', `(() => { const h = crypto.createHmac('sha256', 'k'); return [h.digest('hex'), h.digest('hex'), h.digest()] })()`],
  ['secret KeyObject key', `(() => { const key = crypto.createSecretKey(Buffer.from('secret')); return [key.type, key.symmetricKeySize, key.export().toString(), key.export({ format: 'jwk' }), crypto.createHmac('sha256', key).update('x').digest('hex'), key instanceof crypto.KeyObject, key.equals(crypto.createSecretKey('secret', 'utf8'))] })()`],
])
section('createHmac errors', [
  ['unknown digest', `crypto.createHmac('foo', 'k')`],
  ['no key', `crypto.createHmac('sha256')`],
  ['numeric key', `crypto.createHmac('sha256', 1)`],
  ['hmac not a string', `crypto.createHmac(null, 'k')`],
  ['update after digest', `(() => { const h = crypto.createHmac('sha256', 'k'); h.digest(); return h.update('x') })()`],
])
section('crypto.hash', [
  ['default hex', `crypto.hash('sha1', 'abc')`],
  ['base64', `crypto.hash('sha256', inputs[2], 'base64')`],
  ['buffer', `crypto.hash('md5', inputs[${BIG}], 'buffer')`],
  ['BUFFER', `crypto.hash('md5', 'x', 'BUFFER')`],
  ['large input', `crypto.hash('sha512', inputs[${HUGE}])`],
  ['unknown algorithm', `crypto.hash('foo', 'abc')`],
  ['bad input', `crypto.hash('sha1', 1)`],
  ['bad encoding', `crypto.hash('sha1', 'a', 'bogus')`],
  ['encoding not a string', `crypto.hash('sha1', 'a', {})`],
])
section('crypto misc', [
  ['getHashes', `crypto.getHashes()`],
  ['constants', `crypto.constants`],
  ['timingSafeEqual equal', `crypto.timingSafeEqual(Buffer.from('abc'), new Uint8Array([97, 98, 99]))`],
  ['timingSafeEqual different', `crypto.timingSafeEqual(Buffer.from('abc'), Buffer.from('abd'))`],
  ['timingSafeEqual ArrayBuffer and DataView', `crypto.timingSafeEqual(new Uint8Array([1, 2]).buffer, new DataView(new Uint8Array([1, 2]).buffer))`],
  ['timingSafeEqual length mismatch', `crypto.timingSafeEqual(Buffer.from('a'), Buffer.from('ab'))`],
  ['timingSafeEqual strings', `crypto.timingSafeEqual('a', 'b')`],
  ['pbkdf2Sync', `[crypto.pbkdf2Sync('password', 'salt', 1000, 32, 'sha256'), crypto.pbkdf2Sync(Buffer.from('p'), new Uint8Array([1, 2]), 1, 100, 'sha1'), crypto.pbkdf2Sync('p', 's', 2, 0, 'sha512')]`],
  ['pbkdf2 callback', `new Promise((resolve) => crypto.pbkdf2('password', 'salt', 10, 16, 'sha512', (error, key) => resolve([error, key])))`],
  ['pbkdf2Sync unknown digest', `crypto.pbkdf2Sync('p', 's', 1, 10, 'foo')`],
  ['pbkdf2Sync zero iterations', `crypto.pbkdf2Sync('p', 's', 0, 10, 'sha256')`],
  ['pbkdf2Sync no digest', `crypto.pbkdf2Sync('p', 's', 1, 10)`],
  ['pbkdf2Sync bad password', `crypto.pbkdf2Sync(1, 's', 1, 10, 'sha256')`],
  ['pbkdf2 no callback', `crypto.pbkdf2('p', 's', 1, 10, 'sha256')`],
  ['getCipherInfo of an unknown cipher', `crypto.getCipherInfo('nope')`],
  ['getFips', `crypto.getFips()`],
  ['webcrypto is the global crypto', `[crypto.webcrypto === globalThis.crypto, crypto.subtle === globalThis.crypto.subtle]`],
])
section('randomness', [
  ['randomBytes', `(() => { const b = crypto.randomBytes(100000); return [Buffer.isBuffer(b), b.length, new Set(b).size > 200] })()`],
  ['randomBytes callback', `new Promise((resolve) => crypto.randomBytes(8, (error, b) => resolve([error, b.length])))`],
  ['randomBytes negative', `crypto.randomBytes(-1)`],
  ['randomBytes string', `crypto.randomBytes('a')`],
  ['randomBytes too large', `crypto.randomBytes(2 ** 31)`],
  ['randomFillSync with offset and size', `(() => { const a = new Uint32Array(4); crypto.randomFillSync(a, 1, 2); return [a[0], a[3], a.length] })()`],
  ['randomFillSync ArrayBuffer', `crypto.randomFillSync(new ArrayBuffer(4)).byteLength`],
  ['randomFillSync offset out of range', `crypto.randomFillSync(new Uint8Array(4), 5)`],
  ['randomFillSync size out of range', `crypto.randomFillSync(new Uint8Array(4), 1, 4)`],
  ['randomFillSync not a buffer', `crypto.randomFillSync([1, 2])`],
  ['randomFill callback', `new Promise((resolve) => { const b = Buffer.alloc(6); crypto.randomFill(b, 2, (error, filled) => resolve([error, filled === b, b[0], b[1]])) })`],
  ['randomFill without callback', `crypto.randomFill(Buffer.alloc(2))`],
  ['randomInt', `(() => { const seen = new Set(); for (let i = 0; i < 200; i++) seen.add(crypto.randomInt(3, 6)); return [...seen].sort() })()`],
  ['randomInt callback', `new Promise((resolve) => crypto.randomInt(1, (error, n) => resolve([error, n])))`],
  ['randomInt errors', `[[10, 5], [1.5], [0, 2 ** 48 + 1], ['a']].map((args) => { try { return crypto.randomInt(...args) } catch (e) { return [e.code, e.message] } })`],
  ['randomUUID', `/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID())`],
  ['randomUUID bad options', `crypto.randomUUID(1)`],
  ['getRandomValues', `crypto.getRandomValues(new Uint8Array(4)).length`],
  ['getRandomValues of floats', `(() => { try { crypto.getRandomValues(new Float32Array(2)) } catch (e) { return e.name } })()`],
])

// ── zlib ───────────────────────────────────────────────────────────────────────────────────────
const COMPRESSORS = [
  ['gzip', 'gunzip'],
  ['deflate', 'inflate'],
  ['deflateRaw', 'inflateRaw'],
  ['brotliCompress', 'brotliDecompress'],
]
section(
  'zlib sync round trips',
  COMPRESSORS.flatMap(([compress, decompress]) =>
    inputs.map((_, index): [string, string] => [
      `${compress} of input ${index}`,
      `(() => { const c = zlib.${compress}Sync(inputs[${index}]); return [${index === HUGE && compress === 'brotliCompress' ? 'c.length > 0' : 'c'}, zlib.${decompress}Sync(c).equals(inputs[${index}])] })()`,
    ]),
  ),
)
section('zlib sync', [
  ['string input', `zlib.gzipSync('hello')`],
  ['ArrayBuffer and view input', `[zlib.deflateSync(new Uint8Array([1, 2, 3]).buffer), zlib.deflateSync(new Uint16Array([1, 2, 3])), zlib.deflateSync(inputs[5].subarray(10, 20))]`],
  ['unzip of gzip and deflate', `[zlib.unzipSync(zlib.gzipSync('a')).toString(), zlib.unzipSync(zlib.deflateSync('b')).toString()]`],
  ['multi-member gzip', `zlib.gunzipSync(Buffer.concat([zlib.gzipSync('ab'), zlib.gzipSync('cd')])).toString()`],
  ['options', `[zlib.gzipSync(inputs[5], { level: 1 }), zlib.deflateSync(inputs[5], { level: 9, memLevel: 9, strategy: zlib.constants.Z_FILTERED, windowBits: 10 }), zlib.deflateRawSync('aaaa', { level: 0 })]`],
  ['dictionary', `(() => { const d = Buffer.from('hello world'); const c = zlib.deflateSync('hello world hello', { dictionary: d }); return [c, zlib.inflateSync(c, { dictionary: d }).toString()] })()`],
  ['brotli params', `[zlib.brotliCompressSync(inputs[5], { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } }), zlib.brotliCompressSync('abc', { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 99 } })]`],
  ['finishFlush for a truncated stream', `zlib.inflateSync(zlib.deflateSync(inputs[5]).subarray(0, 100), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).length`],
  ['maxOutputLength', `zlib.inflateSync(zlib.deflateSync(Buffer.alloc(1000)), { maxOutputLength: 10 })`],
  ['null and string options', `[zlib.gzipSync('abc', null).length, zlib.gzipSync('abc', 'str').length]`],
  ['crc32', `[zlib.crc32('hello'), zlib.crc32(Buffer.from('hello'), 5), zlib.crc32(inputs[${HUGE}]), zlib.crc32(''), zlib.crc32('world', zlib.crc32('hello '))]`],
  ['crc32 errors', `[() => zlib.crc32(5), () => zlib.crc32('a', -1), () => zlib.crc32('a', 'x'), () => zlib.crc32('a', 1.5)].map((f) => { try { return f() } catch (e) { return [e.name, e.code, e.message] } })`],
  ['constants and codes', `[zlib.constants, zlib.codes, zlib.Z_NO_FLUSH, zlib.Z_BEST_COMPRESSION, Object.keys(zlib).includes('Z_NO_FLUSH')]`],
])
section('zlib errors', [
  ['not a gzip stream', `zlib.gunzipSync(Buffer.from('garbage!'))`],
  ['truncated gzip', `zlib.gunzipSync(zlib.gzipSync(inputs[5]).subarray(0, 100))`],
  ['bad deflate block', `zlib.inflateRawSync(Buffer.from([0xff, 0xff]))`],
  ['unzip of garbage', `zlib.unzipSync(Buffer.from('garbage'))`],
  ['corrupt brotli', `zlib.brotliDecompressSync(Buffer.from('garbage'))`],
  ['missing dictionary', `zlib.inflateSync(zlib.deflateSync('abc', { dictionary: Buffer.from('x') }))`],
  ['bad input type', `zlib.gzipSync(123)`],
  ['level out of range', `zlib.gzipSync('abc', { level: 42 })`],
  ['level not a number', `zlib.gzipSync('abc', { level: 'x' })`],
  ['windowBits out of range', `zlib.deflateSync('abc', { windowBits: 7 })`],
  ['unknown brotli parameter', `zlib.brotliCompressSync('abc', { params: { 999: 1 } })`],
  ['dictionary of the wrong type', `zlib.deflateSync('abc', { dictionary: 'x' })`],
])
section('zlib callbacks', [
  ['gzip and gunzip', `new Promise((resolve) => zlib.gzip(inputs[5], (error, c) => zlib.gunzip(c, (error2, d) => resolve([error, error2, d.equals(inputs[5])]))))`],
  ['with options', `new Promise((resolve) => zlib.deflate('abc', { level: 1 }, (error, c) => resolve([error, c])))`],
  ['brotli', `new Promise((resolve) => zlib.brotliCompress('abc', (error, c) => resolve([error, c])))`],
  ['a data error goes to the callback', `new Promise((resolve) => zlib.gunzip(Buffer.from('garbage'), (error, result) => resolve([error, result])))`],
  ['maxOutputLength goes to the callback', `new Promise((resolve) => zlib.inflate(zlib.deflateSync(Buffer.alloc(1000)), { maxOutputLength: 10 }, (error, result) => resolve([error, result])))`],
  ['the callback comes later', `(() => { let called = false; zlib.gzip('a', () => { called = true }); return called })()`],
  ['null input is empty', `new Promise((resolve) => zlib.gzip(null, (error, c) => resolve([error, zlib.gunzipSync(c).length])))`],
  ['bad options throw', `zlib.gzip('abc', { level: 99 }, () => {})`],
  ['no callback throws', `zlib.gzip('abc')`],
  ['bad input throws', `zlib.gzip(123, () => {})`],
])

// ── WebCrypto ──────────────────────────────────────────────────────────────────────────────────
const utf8 = (s: string) => `new TextEncoder().encode(${JSON.stringify(s)})`
section('subtle.digest', [
  ...['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'].flatMap((algorithm) =>
    [1, 3, BIG].map((index): [string, string] => [`${algorithm} of input ${index}`, `webcrypto.subtle.digest('${algorithm}', inputs[${index}])`]),
  ),
  ['lower case and object names', `Promise.all([webcrypto.subtle.digest('sha-256', new Uint8Array(1)), webcrypto.subtle.digest({ name: 'SHA-1' }, new ArrayBuffer(1))])`],
  ['DataView', `webcrypto.subtle.digest('SHA-1', new DataView(new ArrayBuffer(2)))`],
  ['unknown algorithm', `webcrypto.subtle.digest('MD5', new Uint8Array(1))`],
  ['numeric algorithm', `webcrypto.subtle.digest(5, new Uint8Array(1))`],
  ['object without a name', `webcrypto.subtle.digest({}, new Uint8Array(1))`],
  ['string data', `webcrypto.subtle.digest('SHA-1', 'abc')`],
  ['no arguments', `webcrypto.subtle.digest()`],
  ['returns a promise', `webcrypto.subtle.digest('MD5', new Uint8Array(1)).catch(() => 'rejected')`],
])
section('subtle HMAC', [
  ['sign and verify', `(async () => { const s = webcrypto.subtle; const k = await s.importKey('raw', ${utf8('secret')}, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']); const sig = await s.sign('HMAC', k, ${utf8('data')}); return [sig, await s.verify({ name: 'HMAC' }, k, sig, ${utf8('data')}), await s.verify('HMAC', k, new Uint8Array(32), ${utf8('data')}), k.type, k.extractable, k.algorithm, k.usages, Object.prototype.toString.call(k)] })()`],
  ['SHA-512 key, export', `(async () => { const s = webcrypto.subtle; const k = await s.importKey('raw', new Uint8Array([1, 2, 3]), { name: 'HMAC', hash: { name: 'SHA-512' } }, true, ['sign']); return [k.algorithm, await s.exportKey('raw', k), await s.exportKey('jwk', k), await s.sign('HMAC', k, inputs[3])] })()`],
  ['jwk import', `(async () => { const s = webcrypto.subtle; const k = await s.importKey('jwk', { kty: 'oct', k: 'AQID', alg: 'HS256' }, { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']); return [k.algorithm, await s.sign('HMAC', k, new Uint8Array(0))] })()`],
  ['CryptoKey and SubtleCrypto globals (hono/jwt checks instanceof CryptoKey)', `(async () => { const k = await webcrypto.subtle.importKey('raw', new Uint8Array(3), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']); return [k instanceof CryptoKey, webcrypto.subtle instanceof SubtleCrypto, typeof CryptoKey, Object.keys(globalThis).includes('CryptoKey')] })()`],
  ['new CryptoKey()', `new CryptoKey()`],
  ['new SubtleCrypto()', `new SubtleCrypto()`],
  ['length', `(async () => (await webcrypto.subtle.importKey('raw', new Uint8Array(3), { name: 'HMAC', hash: 'SHA-256', length: 24 }, false, ['sign'])).algorithm)()`],
  ['length not a multiple of 8', `webcrypto.subtle.importKey('raw', new Uint8Array(3), { name: 'HMAC', hash: 'SHA-256', length: 20 }, false, ['sign'])`],
  ['length 0', `webcrypto.subtle.importKey('raw', new Uint8Array(3), { name: 'HMAC', hash: 'SHA-256', length: 0 }, false, ['sign'])`],
  ['not extractable', `(async () => webcrypto.subtle.exportKey('raw', await webcrypto.subtle.importKey('raw', new Uint8Array(3), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])))()`],
  ['wrong usage', `(async () => { const s = webcrypto.subtle; const k = await s.importKey('raw', new Uint8Array(3), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']); return s.verify('HMAC', k, new Uint8Array(32), new Uint8Array(1)) })()`],
  ['unsupported usage', `webcrypto.subtle.importKey('raw', new Uint8Array([1]), { name: 'HMAC', hash: 'SHA-256' }, false, ['encrypt'])`],
  ['no hash', `webcrypto.subtle.importKey('raw', new Uint8Array([1]), { name: 'HMAC' }, false, ['sign'])`],
  ['empty key', `webcrypto.subtle.importKey('raw', new Uint8Array([]), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])`],
  ['bad length', `webcrypto.subtle.importKey('raw', new Uint8Array(3), { name: 'HMAC', hash: 'SHA-256', length: 30 }, false, ['sign'])`],
])

// ── the comparison, in a cold and in a restored environment ─────────────────────────────────────
const event = { inputs: inputs.map((input) => input.toString('base64')), cases: cases.map(({ code }) => code) }
// The CommonJS modules, as the guest's handler has them (the ESM namespace lacks zlib's legacy constants).
const require = createRequire(import.meta.url)
const expected = await nodeRunCases(event.cases, inputs, require('node:crypto'), require('node:zlib'))

for (const mode of [coldQuickJs, snapshotQuickJs] as ConformanceMode[]) {
  t.test(`guest modules match Node's (${mode.name})`, async (t) => {
    const host = await hostFor(t, mode)
    const fn = await deployFiles(host, mode, { 'index.js': GUEST_HANDLER }, { memoryMb: 256, timeoutMs: 60_000 })
    const result = await fn.invoke(event)
    const actual = payloadOf(t, result) as unknown[]
    for (const [index, { name }] of cases.entries()) t.strictSame(actual[index], expected[index], name)
  })
}

// ── guest-only: module names, export lists, what Thaw does not have ─────────────────────────────
t.test('crypto and zlib load by import and require under both names, with the export lists of Node', async (t) => {
  const host = await hostFor(t, coldQuickJs)
  const files = {
    'index.mjs': `
import crypto, { createHash, webcrypto, constants as cryptoConstants } from 'node:crypto'
import bareCrypto from 'crypto'
import zlib, { gzipSync, constants } from 'zlib'
import prefixedZlib from 'node:zlib'
import required from './lib.cjs'
export const handler = async () => ({
  crypto: crypto === bareCrypto && required.crypto === crypto && required.nodeCrypto === crypto,
  zlib: zlib === prefixedZlib && required.zlib === zlib && required.nodeZlib === zlib,
  named: createHash === crypto.createHash && gzipSync === zlib.gzipSync && constants === zlib.constants && webcrypto === globalThis.crypto && cryptoConstants === crypto.constants,
  cryptoKeys: Object.keys(crypto),
  zlibKeys: Object.keys(zlib),
  works: [createHash('md5').update('x').digest('hex'), zlib.gunzipSync(gzipSync('x')).toString()],
})`,
    'lib.cjs': `module.exports = { crypto: require('crypto'), nodeCrypto: require('node:crypto'), zlib: require('zlib'), nodeZlib: require('node:zlib') }`,
    // Every name of the export lists, imported by name, is the module's own property.
    'all-names.mjs': (['crypto', 'zlib'] as const)
      .map((name) => {
        const names = NODE_MODULE_EXPORTS[name]
        return [
          `import ${name}Module from 'node:${name}'`,
          `import { ${names.map((n, index) => `${n} as ${name}${index}`).join(', ')} } from '${name}'`,
          `export const ${name}Named = [${names.map((n, index) => `${name}${index} === ${name}Module[${JSON.stringify(n)}]`).join(', ')}].every(Boolean)`,
        ].join('\n')
      })
      .join('\n'),
    'named.mjs': `import { cryptoNamed, zlibNamed } from './all-names.mjs'\nexport const handler = async () => [cryptoNamed, zlibNamed]`,
  }
  const fn = await deployFiles(host, coldQuickJs, files)
  const payload = payloadOf(t, await fn.invoke({})) as Record<string, unknown>
  t.same([payload.crypto, payload.zlib, payload.named], [true, true, true], 'one module under both names, for import and require')
  t.strictSame(payload.cryptoKeys, [...NODE_MODULE_EXPORTS.crypto], 'crypto: export list = the guest module keys')
  t.strictSame(payload.zlibKeys, [...NODE_MODULE_EXPORTS.zlib], 'zlib: export list = the guest module keys')
  t.strictSame(payload.cryptoKeys, Object.keys(require('node:crypto')), "crypto: Node's keys, in Node's order")
  t.strictSame(payload.zlibKeys, Object.keys(require('node:zlib')), "zlib: Node's keys, in Node's order")
  t.strictSame(payload.works, [nodeCrypto().createHash('md5').update('x').digest('hex'), 'x'])
  const named = await deployFiles(host, coldQuickJs, files, { handler: 'named.handler' })
  t.strictSame(payloadOf(t, await named.invoke({})), [true, true], 'every listed name imports by name as the module property')
})

function nodeCrypto(): typeof import('node:crypto') {
  return require('node:crypto') as typeof import('node:crypto')
}

const UNAVAILABLE_CRYPTO = [
  'checkPrime', 'createCipheriv', 'createDecipheriv', 'createDiffieHellman', 'createECDH', 'createPrivateKey', 'createPublicKey',
  'createSign', 'createVerify', 'generateKeyPair', 'generateKeyPairSync', 'generateKey', 'hkdf', 'hkdfSync', 'privateDecrypt',
  'publicEncrypt', 'scrypt', 'scryptSync', 'sign', 'verify', 'X509Certificate', 'Cipheriv',
]

t.test('what the platform lacks fails with ERR_FEATURE_UNAVAILABLE_ON_PLATFORM naming it', async (t) => {
  const host = await hostFor(t, coldQuickJs)
  const fn = await deployFiles(host, coldQuickJs, {
    'index.js': `
const crypto = require('crypto')
const zlib = require('zlib')
const attempt = (f) => { try { f(); return 'no error' } catch (e) { return [e.constructor.name, e.code, e.message] } }
let stream
try { stream = require('stream') } catch {}
exports.handler = async (event) => ({
  crypto: event.names.map((name) => attempt(() => crypto[name]())),
  constructed: attempt(() => new crypto.Cipheriv('aes-128-gcm', Buffer.alloc(16), Buffer.alloc(12))),
  lists: [crypto.getCiphers(), crypto.getCurves()],
  hasStream: stream !== undefined,
  gzipStream: stream === undefined ? attempt(() => zlib.createGzip()) : await new Promise((resolve, reject) => {
    const chunks = []
    const gzip = zlib.createGzip()
    gzip.on('data', (chunk) => chunks.push(chunk)).on('error', reject).on('end', () => resolve([gzip instanceof zlib.Gzip, gzip instanceof stream.Transform, zlib.gunzipSync(Buffer.concat(chunks)).toString()]))
    gzip.write('hello ')
    gzip.end('stream')
  }),
})`,
  })
  const payload = payloadOf(t, await fn.invoke({ names: UNAVAILABLE_CRYPTO })) as Record<string, unknown>
  t.strictSame(
    payload.crypto,
    UNAVAILABLE_CRYPTO.map((name) => [
      'TypeError',
      'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM',
      `The feature crypto.${name} is unavailable on the current platform, which is being used to run Node.js (Thaw's QuickJS sandbox; see docs/compatibility.md)`,
    ]),
  )
  t.match(payload.constructed, ['TypeError', 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', /crypto\.Cipheriv/])
  t.strictSame(payload.lists, [[], []], 'no ciphers or curves are listed')
  // The stream classes buffer on top of node:stream when the guest has it (see docs/compatibility.md).
  if (payload.hasStream) t.strictSame(payload.gzipStream, [true, true, 'hello stream'], 'createGzip: a Transform that compresses at the end')
  else t.match(payload.gzipStream, ['TypeError', 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', /zlib\.Gzip/], 'createGzip without node:stream')
})

// ── guest-only: limits ─────────────────────────────────────────────────────────────────────────
t.test('decompression stops cleanly at the function memory (a zip bomb)', async (t) => {
  const zeros = Buffer.alloc(200 * 1024 * 1024)
  const z = nodeZlibModule()
  const bombs = {
    gzip: z.gzipSync(zeros).toString('base64'),
    brotli: z.brotliCompressSync(zeros, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 1 } }).toString('base64'),
  }
  const host = await hostFor(t, coldQuickJs)
  const fn = await deployFiles(
    host,
    coldQuickJs,
    {
      'index.js': `
const zlib = require('zlib')
const attempt = (f) => { try { return ['no error', f().length] } catch (e) { return [e.constructor.name, e.code, e.message] } }
exports.handler = async (event) => {
  if (event.ping) return 'still serving'
  const gzip = Buffer.from(event.gzip, 'base64')
  const brotli = Buffer.from(event.brotli, 'base64')
  return {
    gunzip: attempt(() => zlib.gunzipSync(gzip)),
    unzip: attempt(() => zlib.unzipSync(gzip)),
    brotli: attempt(() => zlib.brotliDecompressSync(brotli)),
    smallerCap: attempt(() => zlib.gunzipSync(gzip, { maxOutputLength: 1000 })),
    callback: await new Promise((resolve) => zlib.gunzip(gzip, (error) => resolve([error.constructor.name, error.code]))),
  }
}`,
    },
    { memoryMb: 128, timeoutMs: 30_000 },
  )
  const cap = `Cannot create a Buffer larger than ${128 * 1024 * 1024} bytes`
  const payload = payloadOf(t, await fn.invoke(bombs)) as Record<string, unknown>
  t.strictSame(payload, {
    gunzip: ['RangeError', 'ERR_BUFFER_TOO_LARGE', cap],
    unzip: ['RangeError', 'ERR_BUFFER_TOO_LARGE', cap],
    brotli: ['RangeError', 'ERR_BUFFER_TOO_LARGE', cap],
    smallerCap: ['RangeError', 'ERR_BUFFER_TOO_LARGE', 'Cannot create a Buffer larger than 1000 bytes'],
    callback: ['RangeError', 'ERR_BUFFER_TOO_LARGE'],
  })
  t.equal(payloadOf(t, await fn.invoke({ ping: true })), 'still serving', 'the environment keeps serving')
})

function nodeZlibModule(): typeof import('node:zlib') {
  return require('node:zlib') as typeof import('node:zlib')
}

t.test('host work stops at the deadline: a long compression ends in Sandbox.Timedout', async (t) => {
  const host = await hostFor(t, coldQuickJs)
  const fn = await deployFiles(
    host,
    coldQuickJs,
    {
      'index.js': `
const crypto = require('crypto')
const zlib = require('zlib')
exports.handler = async (event) => {
  if (event.pbkdf2) {
    try { crypto.pbkdf2Sync('p', 's', 2147483647, 64, 'sha512'); return 'derived' } catch (e) { return [e.constructor.name, e.code] }
  }
  // Brotli at its default quality packs incompressible data at under 1 MB/s: ~30 s of work.
  const data = crypto.randomBytes(24 * 1024 * 1024)
  try { zlib.brotliCompressSync(data) } catch (e) { return 'caught: ' + e.message }
  return 'finished'
}`,
    },
    { memoryMb: 256, timeoutMs: 2000 },
  )
  const started = Date.now()
  const result = await fn.invoke({})
  const elapsed = Date.now() - started
  t.equal(result.ok, false)
  t.equal(result.ok ? undefined : result.error.errorType, 'Sandbox.Timedout', 'the guest cannot catch its way past the deadline')
  t.ok(elapsed < 5000, `the host stopped within moments of the deadline (${elapsed} ms)`)
  const refused = await fn.invoke({ pbkdf2: true })
  t.strictSame(payloadOf(t, refused), ['RangeError', 'ERR_THAW_WORK_EXCEEDS_DEADLINE'], 'PBKDF2 too costly for the time left is refused up front')
})

t.test('large hashes abandoned without digest() do not fill the host table', async (t) => {
  const host = await hostFor(t, coldQuickJs)
  const fn = await deployFiles(host, coldQuickJs, {
    'index.js': `
const crypto = require('crypto')
exports.handler = async () => {
  const big = Buffer.alloc(70000)
  const kept = []
  // Far more than the host keeps (4096): only the garbage ones may be dropped, never the live ones.
  for (let i = 0; i < 6000; i++) {
    const hash = crypto.createHash('md5').update(big)
    if (i % 600 === 0) kept.push(hash)
  }
  return kept.map((hash) => hash.update('!').digest('hex'))
}`,
  }, { timeoutMs: 30_000 })
  const expected = nodeCrypto().createHash('md5').update(Buffer.alloc(70000)).update('!').digest('hex')
  t.strictSame(payloadOf(t, await fn.invoke({})), Array(10).fill(expected))
})

t.test('text with NUL characters crosses to and from the host whole (fs encodings)', async (t) => {
  const host = await hostFor(t, coldQuickJs)
  const fn = await deployFiles(host, coldQuickJs, {
    'index.js': `
const fs = require('fs')
exports.handler = async () => {
  const text = 'a\\0b\\u00e9\\0'.repeat(50)
  fs.writeFileSync('/tmp/utf8', text)
  fs.writeFileSync('/tmp/utf16', text, 'utf16le')
  return ['utf8', 'latin1', 'ascii'].map((e) => fs.readFileSync('/tmp/utf8', e)).concat(fs.readFileSync('/tmp/utf16', 'utf16le'), fs.readFileSync('/tmp/utf16').length)
}`,
  })
  const text = 'a\0b\u00e9\0'.repeat(50)
  const utf8 = Buffer.from(text)
  t.strictSame(payloadOf(t, await fn.invoke({})), [utf8.toString('utf8'), utf8.toString('latin1'), utf8.toString('ascii'), text, Buffer.byteLength(text, 'utf16le')])
})

// ── snapshots: what a snapshot keeps of crypto state ───────────────────────────────────────────
t.test('hashes made during INIT, after a snapshot restore', async (t) => {
  const host = await hostFor(t, snapshotQuickJs)
  const fn = await deployFiles(host, snapshotQuickJs, {
    'index.js': `
const crypto = require('crypto')
const zlib = require('zlib')
// Small hashes live in the guest (and in the snapshot); large ones stream on the host, which a snapshot cannot carry.
const small = crypto.createHash('sha256').update('made during INIT')
const keyed = crypto.createHmac('sha256', 'key').update('made during INIT')
const large = crypto.createHash('sha256').update(Buffer.alloc(100000, 1))
const subtle = crypto.subtle
exports.handler = async () => {
  let largeDigest
  try { largeDigest = large.copy().digest('hex') } catch (e) { largeDigest = [e.constructor.name, e.message] }
  return {
    small: small.copy().update('!').digest('hex'),
    keyed: keyed.digest('hex'),
    large: largeDigest,
    fresh: crypto.createHash('sha256').update(Buffer.alloc(100000, 1)).digest('hex'),
    subtle: Buffer.from(await subtle.digest('SHA-256', Buffer.from('x'))).toString('hex'),
    zlib: zlib.gunzipSync(zlib.gzipSync('after restore')).toString(),
  }
}`,
  })
  const result = await fn.invoke({})
  t.ok(result.report.restoreDurationMs !== undefined, 'the environment was restored from a snapshot')
  const c = nodeCrypto()
  t.strictSame(payloadOf(t, result), {
    small: c.createHash('sha256').update('made during INIT').update('!').digest('hex'),
    keyed: c.createHmac('sha256', 'key').update('made during INIT').digest('hex'),
    large: ['Error', 'This hash no longer exists on the host (it was made before a snapshot was taken)'],
    fresh: c.createHash('sha256').update(Buffer.alloc(100000, 1)).digest('hex'),
    subtle: c.createHash('sha256').update('x').digest('hex'),
    zlib: 'after restore',
  })
})

// ── the host bindings themselves, called with what an untrusted guest might pass ─────────────────
t.test('the host work bindings answer bad arguments with clean guest errors', async (t) => {
  const module = await newQuickJSWASMModuleFromVariant(releaseSyncImport as unknown as QuickJSSyncVariant)
  const runtime = module.newRuntime()
  const ctx = runtime.newContext()
  t.teardown(() => {
    ctx.dispose()
    runtime.dispose()
  })
  let deadlineCalls = 0
  let remainingMs = 60_000
  const bindings = createWorkBindings(ctx, hostWorkLimits(1024 * 1024, () => remainingMs, () => deadlineCalls++))
  const object = ctx.newObject()
  for (const [name, binding] of Object.entries(bindings)) {
    const fn = ctx.newFunction(name, binding)
    ctx.setProp(object, name, fn)
    fn.dispose()
  }
  ctx.setProp(ctx.global, 'host', object)
  object.dispose()
  const bomb = nodeZlibModule().gzipSync(Buffer.alloc(8 * 1024 * 1024))
  const bombHandle = ctx.newArrayBuffer(bomb.buffer.slice(bomb.byteOffset, bomb.byteOffset + bomb.byteLength))
  ctx.setProp(ctx.global, 'bomb', bombHandle)
  bombHandle.dispose()
  const run = (code: string): unknown => {
    const result = ctx.unwrapResult(ctx.evalCode(code, 'probe.js', { type: 'global' }))
    const text = ctx.getString(result)
    result.dispose()
    return JSON.parse(text)
  }
  const outcomes = run(`
    const ab = new Uint8Array([1, 2, 3, 4]).buffer
    const attempt = (f) => {
      try {
        const r = f()
        return ['ok', r instanceof ArrayBuffer ? 'ArrayBuffer ' + r.byteLength : r]
      } catch (e) {
        return [e.name, e.code === undefined ? null : e.code]
      }
    }
    JSON.stringify({
      digest: attempt(() => host.hashOnce('sha256', undefined, ab, 0, 4, 'hex', undefined)),
      algorithmNotString: attempt(() => host.hashOnce(1, undefined, ab, 0, 4, 'hex')),
      unknownAlgorithm: attempt(() => host.hashOnce('nope', undefined, ab, 0, 4, 'hex')),
      dataString: attempt(() => host.hashOnce('sha256', undefined, 'text', 0, 4, 'hex')),
      dataTypedArray: attempt(() => host.hashOnce('sha256', undefined, new Uint8Array(4), 0, 4, 'hex')),
      dataObject: attempt(() => host.hashOnce('sha256', undefined, {}, 0, 4, 'hex')),
      dataMissing: attempt(() => host.hashOnce('sha256')),
      rangeOutside: attempt(() => host.hashOnce('sha256', undefined, ab, 2, 10, 'hex')),
      negativeOffset: attempt(() => host.hashOnce('sha256', undefined, ab, -1, 2, 'hex')),
      fractionalOffset: attempt(() => host.hashOnce('sha256', undefined, ab, 0.5, 2, 'hex')),
      lengthNaN: attempt(() => host.hashOnce('sha256', undefined, ab, 0, NaN, 'hex')),
      offsetString: attempt(() => host.hashOnce('sha256', undefined, ab, '0', 2, 'hex')),
      keyString: attempt(() => host.hashOnce('sha256', 'key', ab, 0, 4, 'hex')),
      hmacOfShake: attempt(() => host.hashOnce('shake256', ab, ab, 0, 4, 'hex')),
      hugeOutputLength: attempt(() => host.hashOnce('shake256', undefined, ab, 0, 4, 'hex', 2 ** 40)),
      forgedStream: attempt(() => host.hashUpdate('forged', ab, 0, 4)),
      zlibMode: attempt(() => host.zlib('evil', ab, 0, 4, '{}')),
      zlibPrototypeMode: attempt(() => host.zlib('constructor', ab, 0, 4, '{}')),
      zlibBadJson: attempt(() => host.zlib('gzip', ab, 0, 4, '{')),
      zlibArrayJson: attempt(() => host.zlib('gzip', ab, 0, 4, '[]')),
      zlibHugeJson: attempt(() => host.zlib('gzip', ab, 0, 4, JSON.stringify({ level: 1, pad: 'x'.repeat(10000) }))),
      zlibBadLevel: attempt(() => host.zlib('gzip', ab, 0, 4, '{"level":99}')),
      zlibBomb: attempt(() => host.zlib('gunzip', bomb, 0, bomb.byteLength, '{}')),
      zlibCorrupt: attempt(() => host.zlib('gunzip', ab, 0, 4, '{}')),
      pbkdf2Strings: attempt(() => host.pbkdf2('p', 's', 1, 10, 'sha256')),
      pbkdf2NaN: attempt(() => host.pbkdf2(ab, ab, NaN, 10, 'sha256')),
      pbkdf2HugeKey: attempt(() => host.pbkdf2(ab, ab, 1, 2 ** 30, 'sha256')),
      crc32Negative: attempt(() => host.crc32(ab, 0, 4, -1)),
      crc32: attempt(() => host.crc32(ab, 0, 4, 0)),
      openStreams: (() => { try { for (let i = 0; i < 5000; i++) host.hashOpen('md5', undefined, undefined); return 'no limit' } catch (e) { return e.message } })(),
      afterwards: attempt(() => { throw new RangeError('mine') }),
    })`)
  t.strictSame(outcomes, {
    digest: ['ok', nodeCrypto().createHash('sha256').update(Buffer.from([1, 2, 3, 4])).digest('hex')],
    algorithmNotString: ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    unknownAlgorithm: ['Error', null],
    dataString: ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    dataTypedArray: ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    dataObject: ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    dataMissing: ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    rangeOutside: ['RangeError', null],
    negativeOffset: ['RangeError', null],
    fractionalOffset: ['RangeError', null],
    lengthNaN: ['RangeError', null],
    offsetString: ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    keyString: ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    hmacOfShake: ['TypeError', 'ERR_CRYPTO_INVALID_DIGEST'],
    hugeOutputLength: ['RangeError', 'ERR_OUT_OF_RANGE'],
    forgedStream: ['Error', null],
    zlibMode: ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    zlibPrototypeMode: ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    zlibBadJson: ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    zlibArrayJson: ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    zlibHugeJson: ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    zlibBadLevel: ['RangeError', 'ERR_OUT_OF_RANGE'],
    zlibBomb: ['RangeError', 'ERR_BUFFER_TOO_LARGE'],
    zlibCorrupt: ['Error', 'Z_DATA_ERROR'],
    pbkdf2Strings: ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    pbkdf2NaN: ['RangeError', 'ERR_OUT_OF_RANGE'],
    pbkdf2HugeKey: ['RangeError', 'ERR_OUT_OF_RANGE'],
    crc32Negative: ['TypeError', 'ERR_INVALID_ARG_TYPE'],
    crc32: ['ok', nodeZlibModule().crc32(Buffer.from([1, 2, 3, 4]))],
    openStreams: 'Too many unfinished hashes (4096): call digest() on the ones in use',
    afterwards: ['RangeError', null],
  })
  t.equal(deadlineCalls, 0)
  remainingMs = -1
  t.strictSame(run(`JSON.stringify((() => { try { host.crc32(new ArrayBuffer(1), 0, 1, 0); return 'ok' } catch (e) { return e.code } })())`), 'ok', 'crc32 is not sliced work')
  t.strictSame(
    run(`JSON.stringify((() => { try { host.zlib('gzip', new ArrayBuffer(1), 0, 1, '{}') } catch (e) { return e.code } })())`),
    'ERR_THAW_DEADLINE_PASSED',
    'no compression starts past the deadline',
  )
  t.equal(deadlineCalls, 1, 'and the environment is told to interrupt the guest')
})
