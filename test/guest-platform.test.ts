/**
 * Guest platform compatibility: the web globals a QuickJS function sees (TextEncoder/TextDecoder,
 * URL/URLSearchParams, atob/btoa, structuredClone) and its console formatting (util.format /
 * util.inspect) compared case by case with Node 20's own implementations.
 *
 * Every case is JavaScript source evaluated twice with the same harness: inside one deployed
 * QuickJS function (all cases in one invocation) and in this Node process. Values are normalised
 * to JSON-safe descriptions first (typed arrays, Maps, -0, lone surrogates, shared references …)
 * so that `t.strictSame` compares what each side really produced. Console cases return the arguments
 * for one `console.log` call; the guest's log line is compared with Node's `util.format`.
 *
 * The expectations are Node 20's (the version Thaw's guest platform follows). Known, documented
 * deviations are left out or asserted explicitly (see `guestOnly`).
 */
import { format } from 'node:util'
import t from 'tap'
import { createHost } from '../src/index.js'
import { DESCRIBE_PRIMITIVE, logMessages } from './helpers/guest-vs-node.js'

/**
 * Turns any value into a JSON-safe description, identical on both sides. Objects seen before
 * become `{ ref: n }` (so cycles and shared references are compared too); strings containing
 * surrogates become code-unit lists (so a lone surrogate cannot be lost on the way to the host).
 */
const HARNESS = `${DESCRIBE_PRIMITIVE}
const toString = Object.prototype.toString
function normalize(value, seen = []) {
  const primitive = describePrimitive(value)
  if (primitive !== undefined) return primitive
  const index = seen.indexOf(value)
  if (index !== -1) return { ref: index }
  seen.push(value)
  const tag = toString.call(value).slice(8, -1)
  const proto = Object.getPrototypeOf(value)
  const ctor = proto === null ? null : proto.constructor && proto.constructor.name
  const n = (v) => normalize(v, seen)
  if (value instanceof ArrayBuffer) return { ArrayBuffer: Array.from(new Uint8Array(value)) }
  if (ArrayBuffer.isView(value)) {
    return { view: ctor, byteOffset: value.byteOffset, byteLength: value.byteLength, buffer: n(value.buffer) }
  }
  if (Array.isArray(value)) {
    const items = []
    for (let i = 0; i < value.length; i++) items.push(i in value ? n(value[i]) : { hole: true })
    const extra = Object.keys(value).filter((k) => !/^(0|[1-9][0-9]*)$/.test(k))
    return extra.length === 0 ? items : { items, extra: extra.map((k) => [k, n(value[k])]) }
  }
  if (value instanceof Map) return { Map: Array.from(value, ([k, v]) => [n(k), n(v)]), ctor }
  if (value instanceof Set) return { Set: Array.from(value, n), ctor }
  if (value instanceof Date) return { Date: n(value.getTime()) }
  if (value instanceof RegExp) return { RegExp: String(value), lastIndex: value.lastIndex }
  if (value instanceof Error) {
    return { Error: value.name, message: value.message, ctor, cause: 'cause' in value ? n(value.cause) : { none: true } }
  }
  if (['Number', 'String', 'Boolean', 'BigInt'].includes(tag)) return { boxed: tag, value: n(value.valueOf()) }
  return { object: ctor, entries: Object.keys(value).map((k) => [k, n(value[k])]) }
}

/** Evaluates a case; a throw is described by the error's name, Node-style code and own enumerable keys. */
function run(code) {
  try {
    return { value: normalize(new Function(code)()) }
  } catch (error) {
    return Object(error) === error ? { threw: error.name, code: error.code, keys: Object.keys(error) } : { threw: normalize(error) }
  }
}
`

/** One case: a function body (in both realms), or the arguments of one console.log call. */
interface Case {
  name: string
  code: string
  /** The body returns `console.log` arguments: compare the log line with util.format. */
  log?: boolean
  /** Compare only the first line (error stacks differ between engines). */
  firstLine?: boolean
  /** Compare only the name of a thrown error (its Node `code` and properties are not reproduced). */
  errorNameOnly?: boolean
}

const cases: Case[] = []
const section = (prefix: string, list: Array<[string, string]>, flags: Partial<Case> = {}): void => {
  for (const [name, expression] of list) cases.push({ name: `${prefix}: ${name}`, code: `return (${expression})`, ...flags })
}
const bytes = (list: number[]): string => `new Uint8Array([${list.join(', ')}])`
const decode = (list: number[], label = 'utf-8', options = '{}'): string =>
  `new TextDecoder(${JSON.stringify(label)}, ${options}).decode(${bytes(list)})`
/** Decodes `list` fed one byte (or `step` bytes) at a time with { stream: true }, then flushes. */
const streamDecode = (list: number[], step = 1, options = '{}'): string =>
  `(() => { const d = new TextDecoder('utf-8', ${options}); const b = ${bytes(list)}; let s = ''
    for (let i = 0; i < b.length; i += ${step}) s += d.decode(b.subarray(i, i + ${step}), { stream: true })
    return s + d.decode() })()`

section('TextEncoder', [
  ['ASCII', `new TextEncoder().encode('hello')`],
  ['two- and three-byte', `new TextEncoder().encode('héllo €')`],
  ['four-byte (surrogate pair)', `new TextEncoder().encode('a😀b')`],
  ['lone high surrogate', `new TextEncoder().encode('a\\ud800b')`],
  ['lone low surrogate', `new TextEncoder().encode('\\udc00')`],
  ['high surrogate at the end', `new TextEncoder().encode('x\\ud83d')`],
  ['reversed pair', `new TextEncoder().encode('\\ude00\\ud83d')`],
  ['long mixed string (native path)', `Array.from(new TextEncoder().encode('é€😀a'.repeat(40)))`],
  ['long string with a lone surrogate', `Array.from(new TextEncoder().encode('é€😀a'.repeat(40) + '\\ud800' + 'z'.repeat(70)))`],
  ['non-string input', `[new TextEncoder().encode(), new TextEncoder().encode(undefined), new TextEncoder().encode(12.5), new TextEncoder().encode(null)]`],
  ['encoding', `new TextEncoder().encoding`],
  ['encodeInto fits', `(() => { const d = new Uint8Array(16); return [new TextEncoder().encodeInto('a€😀', d), d] })()`],
  ['encodeInto stops before a split character', `(() => { const d = new Uint8Array(5); return [new TextEncoder().encodeInto('a€😀', d), d] })()`],
  ['encodeInto lone surrogate', `(() => { const d = new Uint8Array(8); return [new TextEncoder().encodeInto('\\ud800x', d), d] })()`],
  ['encodeInto zero-length', `new TextEncoder().encodeInto('abc', new Uint8Array(0))`],
  ['encodeInto wrong destination', `new TextEncoder().encodeInto('abc', [])`],
])

section('TextDecoder', [
  ['two-, three- and four-byte', decode([0x68, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80])],
  ['invalid lead byte', decode([0x61, 0xff, 0x62])],
  ['lone continuation bytes', decode([0x80, 0x81, 0xbf])],
  ['overlong two-byte', decode([0xc0, 0x80])],
  ['overlong three-byte', decode([0xe0, 0x80, 0x80])],
  ['encoded surrogate', decode([0xed, 0xa0, 0x80])],
  ['above U+10FFFF', decode([0xf4, 0x90, 0x80, 0x80])],
  ['truncated sequences (maximal subpart)', decode([0xe2, 0x82, 0x41, 0xf0, 0x9f, 0x98, 0x42, 0xf0, 0x9f])],
  ['truncated at the end', decode([0x41, 0xe2, 0x82])],
  ['F5..FF', decode([0xf5, 0xf8, 0xfc, 0xfe])],
  ['long valid text (native path)', `new TextDecoder().decode(new TextEncoder().encode('héllo wörld € 😀 '.repeat(50)))`],
  ['long text with one bad byte', `(() => { const b = new TextEncoder().encode('é€😀'.repeat(30)); b[41] = 0xff; return new TextDecoder().decode(b) })()`],
  ['fatal: valid', decode([0xe2, 0x82, 0xac], 'utf-8', '{ fatal: true }')],
  ['fatal: invalid byte', decode([0x61, 0xff], 'utf-8', '{ fatal: true }')],
  ['fatal: truncated', decode([0xe2, 0x82], 'utf-8', '{ fatal: true }')],
  ['fatal: surrogate', decode([0xed, 0xb0, 0x80], 'utf-8', '{ fatal: true }')],
  ['fatal decoder is reusable after an error', `(() => { const d = new TextDecoder('utf-8', { fatal: true }); try { d.decode(${bytes([0xff])}) } catch {} return d.decode(${bytes([0x41])}) })()`],
  ['BOM stripped', decode([0xef, 0xbb, 0xbf, 0x41])],
  ['BOM kept with ignoreBOM', decode([0xef, 0xbb, 0xbf, 0x41], 'utf-8', '{ ignoreBOM: true }')],
  ['only the first BOM stripped', decode([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x41])],
  ['BOM mid-stream kept', `(() => { const d = new TextDecoder(); return [d.decode(${bytes([0x41])}, { stream: true }), d.decode(${bytes([0xef, 0xbb, 0xbf])})] })()`],
  ['BOM split across chunks', streamDecode([0xef, 0xbb, 0xbf, 0x41, 0x42])],
  ['BOM stripped again for a new decode', `(() => { const d = new TextDecoder(); const b = ${bytes([0xef, 0xbb, 0xbf, 0x41])}; return [d.decode(b), d.decode(b)] })()`],
  ['stream one byte at a time', streamDecode([0x68, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80, 0x21])],
  ['stream three bytes at a time', streamDecode([0xf0, 0x9f, 0x98, 0x80, 0xf0, 0x9f, 0x98, 0x81, 0xe2, 0x82, 0xac], 3)],
  ['stream with invalid bytes', streamDecode([0xe2, 0x82, 0x41, 0xff, 0xf0, 0x9f, 0x98, 0x80], 2)],
  ['stream ending mid-sequence', streamDecode([0x41, 0xf0, 0x9f, 0x98])],
  ['stream chunks returned separately', `(() => { const d = new TextDecoder(); const b = ${bytes([0xe2, 0x82, 0xac, 0xe2, 0x82, 0xac])}; return [d.decode(b.subarray(0, 2), { stream: true }), d.decode(b.subarray(2, 4), { stream: true }), d.decode(b.subarray(4))] })()`],
  ['fatal stream ending mid-sequence', streamDecode([0x41, 0xe2, 0x82], 1, '{ fatal: true }')],
  ['utf-16le', decode([0x68, 0x00, 0xe9, 0x00, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde], 'utf-16le')],
  ['utf-16le lone surrogates and odd byte', decode([0x00, 0xd8, 0x41, 0x00, 0x00, 0xdc, 0x42], 'utf-16le')],
  ['utf-16le fatal', decode([0x00, 0xdc], 'utf-16le', '{ fatal: true }')],
  ['utf-16le BOM', decode([0xff, 0xfe, 0x41, 0x00], 'utf-16le')],
  ['utf-16 label', `(() => { const d = new TextDecoder('utf-16'); return [d.encoding, d.decode(${bytes([0x41, 0x00, 0x42, 0x00])})] })()`],
  ['utf-16be', decode([0x00, 0x68, 0x20, 0xac, 0xd8, 0x3d, 0xde, 0x00], 'utf-16be')],
  ['utf-16le streaming split pair', `(() => { const d = new TextDecoder('utf-16le'); const b = ${bytes([0x3d, 0xd8, 0x00, 0xde, 0x41, 0x00])}; let s = ''; for (let i = 0; i < b.length; i++) s += d.decode(b.subarray(i, i + 1), { stream: true }); return s + d.decode() })()`],
  ['labels are trimmed and case-insensitive', `['  UTF8\\n', 'Utf-8', 'unicode-1-1-utf-8', 'UTF-16LE', 'unicodefffe'].map((l) => new TextDecoder(l).encoding)`],
  ['latin1 labels below 0x80 and above 0x9F', `['latin1', 'ascii', 'iso-8859-1', 'us-ascii'].map((l) => [new TextDecoder(l).encoding, new TextDecoder(l).decode(${bytes([0x41, 0xe9, 0xff])})])`],
  ['unknown label', `new TextDecoder('no-such-encoding')`],
  ['attributes', `(() => { const d = new TextDecoder('utf-8', { fatal: 1, ignoreBOM: 'yes' }); return [d.encoding, d.fatal, d.ignoreBOM, new TextDecoder().fatal] })()`],
  ['ArrayBuffer, DataView and offset views', `(() => { const b = new Uint8Array([0x5a, 0x41, 0x42, 0x43, 0x5a]); const d = new TextDecoder(); return [d.decode(b.buffer), d.decode(new DataView(b.buffer, 1, 3)), d.decode(b.subarray(1, 4)), d.decode(new Uint16Array(b.buffer, 0, 2))] })()`],
  ['no input', `new TextDecoder().decode()`],
  ['string input', `new TextDecoder().decode('abc')`],
])

// The URL library's errors carry no Node `code` / `input` (documented in globals/url.ts).
section('URL', [
  ['all components', `(() => { const u = new URL('https://user:pa%20ss@Example.COM:8080/p/a/t/h?query=string&a=1#hash'); return [u.href, u.origin, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash] })()`],
  ['relative resolution', `['../b', './c/../d', '?q=1', '#frag', '//other.host/x', '/abs', 'g;x?y#s', '', '.', '..', '../../../../g', 'http:g'].map((r) => new URL(r, 'http://a/b/c/d;p?q').href)`],
  ['dot segments and backslashes', `['http://x/a/./b/../c', 'http://x/a/%2e%2E/c', 'http://x\\\\a\\\\b', 'http://x/a/..'].map((s) => new URL(s).href)`],
  ['default ports dropped', `['https://x:443/', 'http://x:80/', 'ws://x:80/', 'ftp://x:21/', 'http://x:0080/', 'https://x:8443/'].map((s) => new URL(s).host)`],
  ['IPv6', `['http://[::1]:3000/', 'http://[2001:db8:0:0:0:0:0:1]/', 'http://[::ffff:192.168.0.1]/', 'http://[0:0::0:0:1]/'].map((s) => new URL(s).host)`],
  ['IPv4 forms', `['http://0x7f.1/', 'http://127.1/', 'http://2130706433/', 'http://0300.0250.0.1/', 'http://192.168.0.1./'].map((s) => new URL(s).hostname)`],
  ['invalid hosts', `['http://[::1/', 'http://1.2.3.256/', 'http://exa mple.com/', 'http://a%00b/', 'http://', 'not a url', 'https://ex@mple:port/'].map((s) => { try { return new URL(s).href } catch (e) { return e.name } })`],
  ['IDNA', `['http://münchen.de/', 'http://EXAMPLE.com/', 'http://ﬀ.com/', 'http://faß.de/', 'http://例え.テスト/', 'http://xn--mnchen-3ya.de/', 'http://a.b.c。d/'].map((s) => new URL(s).hostname)`],
  ['percent-encoding', `(() => { const u = new URL('http://h/a b/ü/%7e?q=a b&ü=\\'#a b<>\`'); return [u.pathname, u.search, u.hash] })()`],
  ['userinfo encoding', `(() => { const u = new URL('http://h/'); u.username = 'us er@:'; u.password = 'p@ss/w'; return u.href })()`],
  ['non-special schemes', `['mailto:x@y.z', 'data:text/plain,hi%20there', 'javascript:alert(1)', 'urn:isbn:123', 'foo://host/p?q#f', 'foo:/p/../q'].map((s) => { const u = new URL(s); return [u.href, u.protocol, u.host, u.pathname, u.origin] })`],
  ['file URLs', `['file:///C:/x/../y', 'file://host/share/f', 'file:///tmp/a b', 'file:c:\\\\foo'].map((s) => { const u = new URL(s); return [u.href, u.host, u.pathname, u.origin] })`],
  ['blob origin', `new URL('blob:https://a.com:8443/uuid').origin`],
  ['setters', `(() => { const u = new URL('http://h/p?q#f'); u.pathname = 'a b/c'; u.search = 'x=1 2'; u.hash = 'h h'; u.port = '8080'; u.hostname = 'EXAMPLE.org'; const a = u.href; u.port = '99999'; u.protocol = 'https'; u.hash = ''; u.search = ''; return [a, u.href] })()`],
  ['protocol changes between special and non-special are ignored', `(() => { const u = new URL('http://h/'); u.protocol = 'foo'; const v = new URL('foo://h/'); v.protocol = 'http'; return [u.href, v.href] })()`],
  ['href setter with an invalid URL', `(() => { const u = new URL('http://h/'); u.href = 'nope' })()`],
  ['toString and toJSON', `(() => { const u = new URL('http://h/é'); return [String(u), u.toJSON(), JSON.stringify({ u })] })()`],
  ['URL.canParse', `[URL.canParse('http://x'), URL.canParse('nope'), URL.canParse('/p', 'http://x')]`],
  ['invalid base', `new URL('/p', 'nope')`],
  ['searchParams reflect the query', `(() => { const u = new URL('http://h/?a=1&b=2&a=3&c'); const p = u.searchParams; return [p.get('a'), p.getAll('a'), p.get('c'), p.get('zz'), p.has('b'), [...p.keys()], [...p]] })()`],
  ['searchParams mutation updates href', `(() => { const u = new URL('http://h/?a=1&b=2&a=3'); u.searchParams.append('d', 'x y&z=é'); u.searchParams.set('a', '9'); u.searchParams.delete('b'); return [u.href, u.search] })()`],
  ['search setter updates searchParams', `(() => { const u = new URL('http://h/?a=1'); const p = u.searchParams; u.search = '?z=2'; return [p.toString(), p.get('z')] })()`],
  ['emptied searchParams drop the ?', `(() => { const u = new URL('http://h/?a=1#f'); u.searchParams.delete('a'); return u.href })()`],
  ['sort is stable by code units', `(() => { const p = new URLSearchParams('z=1&a=2&ﬃ=3&a=1&é=4&🌈=5&A=6&a=0'); p.sort(); return p.toString() })()`],
], { errorNameOnly: true })

section('URLSearchParams', [
  ['parsing', `[...new URLSearchParams('?a=1&&b=%20x+y&c==d&e&%zz=%F0%9F%98%80&=v')]`],
  ['serialising', `new URLSearchParams([['a b', 'c&d'], ['é', '~*-._!\\'()'], ['x', '+/=?#']]).toString()`],
  ['from a record and an iterable', `[new URLSearchParams({ a: '1', b: 2 }).toString(), new URLSearchParams(new Map([['k', 'v']])).toString()]`],
  ['invalid pair', `new URLSearchParams([['a', 'b', 'c']])`],
  ['forEach order and values()', `(() => { const out = []; const p = new URLSearchParams('b=2&a=1'); p.forEach((v, k) => out.push(k + v)); return [out, [...p.values()], [...p.entries()]] })()`],
  ['size, has and delete with a value', `(() => { const p = new URLSearchParams('a=1&a=2&b=3'); const r = [p.size, p.has('a', '2'), p.has('a', '3')]; p.delete('a', '1'); return [...r, p.toString()] })()`],
], { errorNameOnly: true })

section('atob/btoa', [
  ['btoa', `[btoa(''), btoa('f'), btoa('fo'), btoa('foo'), btoa('hello world'), btoa('\\xff\\xfe\\x00'), btoa('é')]`],
  ['btoa coerces', `[btoa(null), btoa(undefined), btoa(12), btoa({ toString: () => 'x' })]`],
  ['btoa above Latin-1', `btoa('€')`],
  ['btoa lone surrogate', `btoa('\\ud800')`],
  ['btoa without an argument', `btoa()`],
  ['atob', `[atob(''), atob('Zg=='), atob('Zm8='), atob('Zm9v'), atob('aGVsbG8gd29ybGQ='), atob('//4A')]`],
  ['atob without padding', `[atob('Zg'), atob('Zm8'), atob('aGVsbG8')]`],
  ['atob ignores ASCII whitespace', `atob(' aG\\tVs\\nbG\\f8g\\r d29y bGQ= ')`],
  ['atob: length 1 mod 4', `atob('a')`],
  ['atob: bad padding', `atob('aGVsbG8==')`],
  ['atob: padding in the middle', `atob('ab=c')`],
  ['atob: URL-safe alphabet', `atob('-_-_')`],
  ['atob: non-ASCII', `atob('aé==')`],
  ['atob: non-zero trailing bits', `[atob('Zh=='), atob('Zm9=')]`],
  ['atob coerces', `[atob(null), atob(1234)]`],
  ['atob undefined', `atob(undefined)`],
  ['atob without an argument', `atob()`],
  ['round trip of all bytes', `(() => { let s = ''; for (let i = 0; i < 256; i++) s += String.fromCharCode(i); s = s.repeat(40); return atob(btoa(s)) === s })()`],
])

section('structuredClone', [
  ['primitives', `[1, -0, NaN, Infinity, 'é😀', true, null, undefined, 12n].map((v) => structuredClone(v))`],
  ['lone surrogates survive', `structuredClone('a\\ud800b')`],
  ['plain object and array', `structuredClone({ a: [1, { b: 2 }], c: 'd' })`],
  ['sparse array with extra keys', `structuredClone(Object.assign([1, , 3], { x: 'y' }))`],
  ['Map and Set', `structuredClone(new Map([[{ k: 1 }, new Set([1, 'a', { z: [] }])], ['m', new Map()]]))`],
  ['Date and invalid Date', `structuredClone([new Date(1700000000000), new Date(NaN)])`],
  ['RegExp (lastIndex reset)', `(() => { const r = /a+b/giu; r.lastIndex = 3; return structuredClone(r) })()`],
  ['boxed primitives', `structuredClone([new Number(3), new String('s'), new Boolean(false), Object(5n)])`],
  ['ArrayBuffer', `structuredClone(new Uint8Array([1, 2, 3]).buffer)`],
  ['typed arrays keep offset and share one buffer', `(() => { const buf = new ArrayBuffer(16); new Uint8Array(buf).forEach((_, i, a) => (a[i] = i)); return structuredClone([new Uint8Array(buf, 2, 4), new Int16Array(buf, 4, 2), new Float64Array(buf, 8, 1), new DataView(buf, 1, 5)]) })()`],
  ['all typed array kinds', `structuredClone([Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array].map((C) => new C(2)))`],
  ['cycles', `(() => { const a = { name: 'a' }; a.self = a; a.list = [a, { parent: a }]; const m = new Map(); m.set(m, a); a.m = m; return structuredClone(a) })()`],
  ['shared references stay shared', `(() => { const s = { shared: true }; return structuredClone({ x: s, y: [s, s] }) })()`],
  ['class instances become plain objects', `(() => { class P { constructor() { this.x = 1 } get y() { return 2 } } return structuredClone(new P()) })()`],
  ['getters are read, non-enumerable and symbol keys dropped', `structuredClone(Object.defineProperties({ [Symbol('s')]: 1 }, { g: { get: () => 'got', enumerable: true }, hidden: { value: 1, enumerable: false } }))`],
  ['errors', `structuredClone([new Error('e'), new TypeError('t'), new RangeError('r', { cause: 'why' }), new SyntaxError('s'), new EvalError('ev'), new URIError('u'), new ReferenceError('re')])`],
  ['error subclasses and custom names', `(() => { class MyError extends Error {}; const e = new Error('x'); e.name = 'Custom'; const t = new TypeError('y'); t.name = 'RangeError'; return structuredClone([new MyError('m'), e, t]) })()`],
  ['function', `structuredClone(() => 1)`],
  ['function nested in an object', `structuredClone({ a: { f() {} } })`],
  ['symbol', `structuredClone(Symbol('s'))`],
  ['WeakMap', `structuredClone(new WeakMap())`],
  ['Promise', `structuredClone(Promise.resolve(1))`],
  ['transfer detaches the source', `(() => { const b = new Uint8Array([7, 8]).buffer; const c = structuredClone(b, { transfer: [b] }); return [b.byteLength, c] })()`],
  ['transfer of a non-transferable', `structuredClone(1, { transfer: [{}] })`],
  ['transfer of a duplicate', `(() => { const b = new ArrayBuffer(2); return structuredClone(b, { transfer: [b, b] }) })()`],
  ['transfer null or not iterable', `[(() => structuredClone(1, { transfer: null }))(), (() => { try { structuredClone(1, { transfer: 5 }) } catch (e) { return [e.name, e.code] } })()]`],
  ['bad options', `structuredClone(1, 5)`],
  ['no argument', `structuredClone()`],
])

// util.format / util.inspect via console.log: each case returns the arguments.
section(
  'console.log',
  [
    ['plain strings', `['a', 'b', 'c']`],
    ['%s %d %i %f', `['%s is %d (%i, %f)', 'answer', 42, '42.9px', '1.5e3x']`],
    ['%s of objects, bigint, -0, symbol', `['%s|%s|%s|%s|%s|%s', { a: { b: 1 } }, [1, [2]], 12n, -0, Symbol('q'), null]`],
    ['%s uses own toString', `['%s %s', { toString() { return 'T!' } }, new (class Foo { toString() { return 'foo' } })()]`],
    ['%s of Date, Error, Map', `['%s|%s', new Date(0), new Map([[1, 2]])]`],
    ['%d and %i of odd input', `['%d %d %d %i %i %i', '0x10', '', {}, 'abc', 1.9, -2.5]`],
    ['%j', `['%j %j %j', { a: [1, 'x'] }, 'str', undefined]`],
    ['%j of a cycle', `['%j', (() => { const o = {}; o.o = o; return o })()]`],
    ['%o and %O', `['%o / %O', { a: { b: { c: { d: { e: 1 } } } }, arr: [1, 2] }, { a: { b: { c: { d: 1 } } } }]`],
    ['%c, %% and unknown directives', `['%c%s 100%% %x %', 'color: red', 'done']`],
    ['more args than directives', `['%s', 'a', 'b', { c: 1 }, 2]`],
    ['more directives than args', `['%s %s %d', 'only']`],
    ['first argument not a string', `[{ a: 1 }, '%s', 'x']`],
    ['numbers', `[0, -0, 1.5, -1e21, 1e-7, NaN, -Infinity, 123456789012345680000, 2n ** 64n]`],
    ['nested object', `[{ a: 1, b: 'two', c: [3, 4], d: { e: { f: { g: { h: 1 } } } }, 'key-with-dash': true, 2: 'num' }]`],
    ['depth limit', `[{ l1: { l2: { l3: { l4: 'deep' } }, arr: [[[[1]]]] } }]`],
    ['long object breaks lines', `[{ longPropertyName1: 'some value here', longPropertyName2: 'some value here', longPropertyName3: 'some value here' }]`],
    ['strings and quotes', `[["it's", 'say "hi"', 'both \\' and "', 'all \\' " \`', 'tab\\there', 'nl\\nthere', '\\u0001\\u007f\\u009f', 'lone \\ud800']]`],
    ['long string in an object', `[{ s: 'word '.repeat(30) }]`],
    ['multi-line string in an object', `[{ s: 'first line\\nsecond line that is rather long\\nthird line, also of some length' }]`],
    ['arrays', `[[], [1, 2, 3], ['a', ['b', ['c', ['d']]]], [undefined, null, -0]]`],
    ['sparse arrays', `[[1, , 3, , , 6], new Array(5), Object.assign([1, 2], { extra: true })]`],
    ['long array of numbers (grouped)', `[Array.from({ length: 30 }, (_, i) => i * 37)]`],
    ['long array of strings (grouped)', `[Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i).repeat(1 + (i % 5)))]`],
    ['more than 100 items', `[Array.from({ length: 120 }, (_, i) => i)]`],
    ['array of objects', `[Array.from({ length: 8 }, (_, i) => ({ id: i, name: 'item' + i }))]`],
    ['Map and Set', `[new Map([[1, { a: 1 }], ['k', [1, 2]], [{ o: 1 }, new Set([1])]]), new Set(['a', 1, [2]]), new Map(), new Set()]`],
    ['large Map', `[new Map(Array.from({ length: 12 }, (_, i) => ['key' + i, i]))]`],
    ['typed arrays and buffers', `[new Uint8Array([1, 2, 3]), new Float64Array(2), new BigInt64Array([5n]), new Uint8Array(0), new Uint8Array([1, 2, 3, 4]).buffer]`],
    ['DataView', `[new DataView(new ArrayBuffer(4), 1, 2)]`],
    ['class instances', `(() => { class Point { constructor() { this.x = 1; this.y = 2 } } class Empty {} return [new Point(), new Empty(), new (class extends Point {})()] })()`],
    ['null prototype', `[Object.create(null), Object.assign(Object.create(null), { a: 1 })]`],
    ['Symbol.toStringTag', `[{ [Symbol.toStringTag]: 'Tagged', a: 1 }, new (class Foo { get [Symbol.toStringTag]() { return 'Bar' } })()]`],
    ['symbol keys, getters and setters', `[{ [Symbol('s')]: 1, get g() { return 1 }, set s(v) {}, get gs() { return 1 }, set gs(v) {} }]`],
    ['functions and classes', `(() => { class A {} class B extends A {} return [function named() {}, () => {}, async function af() {}, function* gen() {}, async function* ag() {}, A, B, Object.assign(function withProps() {}, { p: 1 })] })()`],
    ['boxed primitives', `[new Number(-0), new String('abc'), new Boolean(true), Object(1n), Object(Symbol('s'))]`],
    ['RegExp and Date', `[/a+b/gi, new Date(1700000000000), new Date(NaN), Object.assign(/x/, { extra: 1 })]`],
    ['circular references', `[(() => { const a = { name: 'a' }; const b = { a }; a.b = b; a.self = a; a.list = [a, b]; return a })()]`],
    ['circular Map', `[(() => { const m = new Map(); m.set('self', m); return m })()]`],
    ['subclassed collections', `[new (class MyMap extends Map {})([[1, 2]]), new (class MyArr extends Array {})(3).fill(0)]`],
    ['WeakMap, WeakSet', `[new WeakMap(), new WeakSet()]`],
    ['arguments object', `[(function () { return arguments })(1, 'a')]`],
    ['custom inspect', `[{ [Symbol.for('nodejs.util.inspect.custom')](depth, options) { return 'custom ' + depth + ' ' + typeof options.stylize } }, { inner: { [Symbol.for('nodejs.util.inspect.custom')]() { return { replaced: true } } } }]`],
    ['URL', `[new URL('https://user:pw@example.com:8080/p?a=1&b=two#h')]`],
    ['URLSearchParams', `[new URLSearchParams('a=1&b=2&a=3'), new URLSearchParams()]`],
    ['TextEncoder and TextDecoder', `[new TextEncoder(), new TextDecoder('utf-16le', { fatal: true })]`],
    ['deeply nested array of objects', `[[{ a: [{ b: [{ c: 1 }] }] }]]`],
    ['object with many short keys', `[Object.fromEntries(Array.from({ length: 30 }, (_, i) => ['k' + i, i]))]`],
    ['mixed numbers grouped', `[[1.5, -0, 3, -42, 1e21, 7, 8, 9, NaN, 10n]]`],
    ['keys that need quotes', `[{ 'a b': 1, '1a': 2, valid_id: 3, 'ünï': 4, '': 5, 10: 6, 2: 7 }]`],
    ['long strings in an array', `[Array.from({ length: 8 }, (_, i) => 'a rather long string number ' + i)]`],
    ['shared (not circular) references', `[(() => { const o = { x: 1 }; return [o, o, { o }] })()]`],
    ['special keys and values', `[{ undefined: undefined, null: null, nan: NaN, m: new Map([[NaN, -0]]) }]`],
    ['String object with properties', `[Object.assign(new String('ab'), { x: 1 })]`],
    ['class with static members', `[(() => { class S { static x = 1; static m() {} } return S })()]`],
    ['inherited properties hidden', `[Object.create({ inherited: 1 }), Object.create(Array.prototype)]`],
    // Strict: V8 gives sloppy functions own `arguments` and `caller` properties, QuickJS does not.
    ['%o of an array and a function', `['%o %o', [1, 2], function f(a) { 'use strict' }]`],
    ['nested collections beyond depth', `[{ a: { b: { c: new Map([[1, 2]]), d: new Set([1]), e: [1], f: {} } } }]`],
  ],
  { log: true },
)

// Errors: only the first line is compared, the frames differ between engines.
section(
  'console.log error',
  [
    ['Error', `[new Error('boom')]`],
    ['TypeError with props', `[Object.assign(new TypeError('bad'), { code: 'E_BAD' })]`],
    ['renamed error', `[Object.assign(new Error('x'), { name: 'CustomError' })]`],
    ['Error subclass', `[(() => { class ValidationError extends Error {} return new ValidationError('invalid') })()]`],
    ['Error subclass with name', `[(() => { class HttpError extends Error { constructor(m) { super(m); this.name = 'HttpError' } } return new HttpError('404') })()]`],
    ['empty message', `[new RangeError()]`],
    ['error with a cause', `[new Error('outer', { cause: new Error('inner') })]`],
    ['AggregateError', `[new AggregateError([new Error('a')], 'many')]`],
    ['error with extra properties', `[Object.assign(new Error('x'), { extra: 1 })]`],
    ['TextDecoder fatal error', `[(() => { try { new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([255])) } catch (e) { return e } })()]`],
    ['atob error', `[(() => { try { atob('a') } catch (e) { return e } })()]`],
    ['structuredClone error', `[(() => { try { structuredClone(() => {}) } catch (e) { return e } })()]`],
    ['structuredClone transfer error', `[(() => { try { structuredClone(1, { transfer: [{}] }) } catch (e) { return e } })()]`],
    ['multi-line message', `[new Error('line one\\nline two')]`],
    ['%s of an error', `['%s', new Error('as string')]`],
    ['error in an object', `[{ err: new Error('inner') }]`],
  ],
  { log: true, firstLine: true },
)

/** Documented deviations from Node 20, asserted as the guest's behaviour (the comment says where each is documented). */
const guestOnly: Array<{ name: string; code: string; log?: boolean; expected: unknown }> = [
  // globals/text-encoding.ts: the Encoding Standard maps latin1 labels to windows-1252; Node 20 decodes ISO-8859-1.
  { name: 'latin1 label decodes 0x80-0x9F as windows-1252', code: `return new TextDecoder('latin1').decode(${bytes([0x80, 0x99, 0x81])})`, expected: { value: '€™\u0081' } },
  // globals/format.ts: plain JS cannot observe a Promise's state (Node prints `Promise { 1 }`).
  { name: 'Promise state is not shown', code: `return [Promise.resolve(1)]`, log: true, expected: 'Promise { <unknown> }' },
  // globals/format.ts: no `[ERR_CODE]` in the stack header (Node: `RangeError [ERR_ENCODING_NOT_SUPPORTED]: …`); the code shows below it.
  {
    name: "Node errors' [ERR_CODE] header marker",
    code: `try { new TextDecoder('nope') } catch (e) { return [e] }`,
    log: true,
    expected: 'RangeError: The "nope" encoding is not supported',
  },
  // globals/url.ts: the URL library's message names the input and carries no Node code (Node: "Invalid URL", ERR_INVALID_URL).
  { name: 'URL error', code: `try { new URL('nope') } catch (e) { return [e.name, e.message, e.code] }`, expected: { value: ['TypeError', 'Invalid URL: nope', { undefined: true }] } },
  // globals/url.ts: `xn--` labels are not re-validated (Node throws for http://xn--/).
  { name: 'xn-- labels are not re-validated', code: `return new URL('http://xn--/').hostname`, expected: { value: 'xn--' } },
]

const runnerSource = `${HARNESS}
export const handler = async (event) => {
  const results = []
  for (const c of event.cases) {
    if (!c.log) {
      results.push(run(c.code))
      continue
    }
    let args
    try {
      args = new Function(c.code)()
    } catch (error) {
      args = ['THREW ' + (error && error.name)]
    }
    console.log(...args)
    results.push(null)
  }
  return results
}
`

const node = new Function(`${HARNESS}; return run`)() as (code: string) => unknown

/** What Node's console.log prints for a console case (util.format of its arguments). */
function nodeLog(code: string): string {
  let args: unknown[]
  try {
    args = new Function(code)() as unknown[]
  } catch (error) {
    args = [`THREW ${(error as Error).name}`]
  }
  return format(...args)
}

const host = await createHost()
t.teardown(() => host.close())
await host.deploy({ name: 'guest-platform', runtime: 'quickjs', handler: 'index.handler', timeoutMs: 60_000, code: { files: { 'index.mjs': runnerSource } } })

const all = [...cases, ...guestOnly]
const result = await host.invoke('guest-platform', { cases: all.map(({ code, log }) => ({ code, log })) })
if (!result.ok) throw new Error(`invocation failed: ${result.error.errorType}: ${result.error.errorMessage}`)
const guestResults = result.payload as unknown[]
const messages = logMessages(result.logs, result.requestId)
t.equal(guestResults.length, all.length, 'one result per case')
t.equal(messages.length, all.filter((c) => c.log).length, 'one log line per console case')

let line = 0
const guestOutput = all.map((c, index) => (c.log ? messages[line++] : guestResults[index]))

for (const [index, c] of cases.entries()) {
  const guest = guestOutput[index]
  if (!c.log) {
    const expected = node(c.code) as { threw?: unknown }
    t.strictSame(guest, c.errorNameOnly && 'threw' in expected ? { threw: expected.threw, keys: [] } : expected, c.name)
    continue
  }
  let expected = nodeLog(c.code)
  let actual = guest as string
  if (c.firstLine) {
    expected = expected.split('\n')[0] as string
    actual = actual.split('\n')[0] as string
  }
  t.equal(actual, expected, c.name)
}
for (const [offset, c] of guestOnly.entries()) {
  const guest = guestOutput[cases.length + offset]
  // Console output: the first line (the rest is the stack for errors).
  t.strictSame(c.log ? String(guest).split('\n')[0] : guest, c.expected, `guest: ${c.name}`)
}
t.comment(`${cases.length} cases compared with Node ${process.version}, ${guestOnly.length} documented deviations`)
