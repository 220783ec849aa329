/**
 * The guest's node:util, util/types, path, path/posix, url, querystring, assert and assert/strict
 * modules, compared with Node 20's own.
 *
 * 1. Loading: each module under `x` and `node:x`, by `import` (named and namespace) and
 *    `require`, is one object; its enumerable keys are its NODE_MODULE_EXPORTS list
 *    (runtime-api/builtin-modules.ts), which is Node's key list minus the documented omissions.
 * 2. Behaviour: every case is a function body (it may `require` and `await`) evaluated by the same
 *    harness inside one deployed QuickJS function and in this Node process; results (or thrown
 *    errors: name, code, message, own keys) are normalised to JSON-safe descriptions and compared.
 * 3. Logs: deprecate, debuglog and util.log lines.
 *
 * Everything runs twice: in a cold environment and in one restored from a snapshot taken after an
 * INIT that loaded all the modules (test/conformance/mode.ts).
 */
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import t, { type Test } from 'tap'
import { NODE_MODULE_EXPORTS } from '../runtime-api/builtin-modules.js'
import type { InvokeResult } from '../src/index.js'
import { deployFiles, functionLines, hostFor } from './conformance/fixture.js'
import { coldQuickJs, snapshotQuickJs, startedNewEnvironment, type ConformanceMode } from './conformance/mode.js'
import { DESCRIBE_PRIMITIVE } from './helpers/guest-vs-node.js'

const MODULES = ['util', 'util/types', 'path', 'path/posix', 'url', 'querystring', 'assert', 'assert/strict'] as const
type ModuleName = (typeof MODULES)[number]

/** Node's keys the guest leaves out on purpose (docs/compatibility.md says why). */
const OMITTED: Record<ModuleName, string[]> = {
  util: ['parseArgs', 'parseEnv', 'MIMEType', 'MIMEParams'],
  'util/types': [],
  path: ['matchesGlob'],
  'path/posix': ['matchesGlob'],
  url: [],
  querystring: [],
  assert: ['CallTracker'],
  'assert/strict': ['CallTracker'],
}

/** Evaluated on both sides: JSON-safe descriptions of values, and a case runner. */
const HARNESS = `${DESCRIBE_PRIMITIVE}
function normalize(value, seen = []) {
  const primitive = describePrimitive(value)
  if (primitive !== undefined) return primitive
  const index = seen.indexOf(value)
  if (index !== -1) return { ref: index }
  seen.push(value)
  const proto = Object.getPrototypeOf(value)
  const ctor = proto === null ? null : proto.constructor && proto.constructor.name
  const n = (v) => normalize(v, seen)
  if (ArrayBuffer.isView(value)) return { view: ctor, bytes: Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) }
  if (Array.isArray(value)) return Array.from(value, n)
  if (value instanceof Map) return { Map: Array.from(value, ([k, v]) => [n(k), n(v)]) }
  if (value instanceof Set) return { Set: Array.from(value, n) }
  if (value instanceof Date) return { Date: n(value.getTime()) }
  if (value instanceof RegExp) return { RegExp: String(value) }
  if (value instanceof Error) return { Error: value.name, message: value.message, code: n(value.code), keys: Object.keys(value) }
  if (typeof URL === 'function' && value instanceof URL) return { URL: value.href }
  return { object: ctor, entries: Object.keys(value).map((k) => [k, n(value[k])]) }
}

const AsyncFunction = (async () => {}).constructor
async function run(code, require) {
  try {
    return { value: normalize(await new AsyncFunction('require', code)(require)) }
  } catch (error) {
    if (Object(error) !== error) return { threw: normalize(error) }
    return { threw: error.name, code: normalize(error.code), message: error.message, keys: Object.keys(error) }
  }
}
`

interface Case {
  name: string
  code: string
}

const cases: Case[] = []
/** Cases whose body is `return (expression)`. */
const expressions = (prefix: string, list: Array<[string, string]>): void => {
  for (const [name, expression] of list) cases.push({ name: `${prefix}: ${name}`, code: `return (${expression})` })
}
/** Cases given as function bodies (statements, `await`, an explicit `return`). */
const bodies = (prefix: string, list: Array<[string, string]>): void => {
  for (const [name, code] of list) cases.push({ name: `${prefix}: ${name}`, code })
}

// ---------------------------------------------------------------------------------------- util
expressions('util.format', [
  ['directives', `require('util').format('%s=%d %i %f %j %o %O %%', 'a', 42, '42.5', '1.5', { j: 1 }, [1], { O: { deep: { er: {} } } })`],
  ['extra arguments', `require('util').format('a', { b: [1, 2] }, 3, 'c')`],
  ['no string first', `require('util').format(1, 2, { a: 1 })`],
  ['formatWithOptions depth', `require('util').formatWithOptions({ depth: 0 }, 'x %O', { a: { b: 1 } }, { c: { d: 1 } })`],
  ['formatWithOptions compact false', `require('util').formatWithOptions({ compact: false }, { a: 1 })`],
  ['formatWithOptions bad options', `require('util').formatWithOptions(null, 'x')`],
])

expressions('util.inspect', [
  ['nested object', `require('util').inspect({ a: 1, b: 'two', c: [3, { d: new Map([[1, { e: 1 }]]) }] })`],
  ['depth option', `require('util').inspect({ a: { b: { c: { d: { e: 1 } } } } }, { depth: 0 })`],
  ['depth null', `require('util').inspect({ a: { b: { c: { d: { e: 1 } } } } }, { depth: null })`],
  ['depth Infinity', `require('util').inspect({ a: { b: { c: { d: { e: 1 } } } } }, { depth: Infinity })`],
  ['legacy arguments (showHidden, depth)', `require('util').inspect({ a: { b: { c: { d: 1 } } } }, false, 0)`],
  ['legacy showHidden', `require('util').inspect([1], true)`],
  ['compact false', `require('util').inspect({ a: [1, 2], b: { c: 'x' }, e: [] }, { compact: false })`],
  ['compact true', `require('util').inspect({ a: [1, 2, { b: 'x'.repeat(30) }], c: 'y', f: Object.assign(function f() {}, { p: 1 }) }, { compact: true })`],
  ['compact true breaks', `require('util').inspect({ a: 'x'.repeat(40), b: 'y'.repeat(40), c: [1, 2, 3] }, { compact: true })`],
  ['compact 1', `require('util').inspect({ a: { b: { c: 1 } }, d: [1, 2] }, { compact: 1 })`],
  ['compact false with nested collections', `require('util').inspect({ m: new Map([[1, { a: [1, 2] }]]), s: new Set(['x']), arr: [[1, 2], []], long: 'line1\\nline2 that is a little bit longer than the rest of them all' }, { compact: false, breakLength: 40 })`],
  ['compact true with a long array', `require('util').inspect({ list: Array.from({ length: 30 }, (_, i) => 'item' + i), nested: { deep: { deeper: { deepest: 1 } } } }, { compact: true, depth: 5 })`],
  ['compact false array grouping is off', `require('util').inspect(Array.from({ length: 10 }, (_, i) => i), { compact: false })`],
  ['breakLength Infinity', `require('util').inspect({ longPropertyName1: 'some value here', longPropertyName2: 'some value here', longPropertyName3: 'x' }, { breakLength: Infinity })`],
  ['breakLength small', `require('util').inspect({ a: 1, b: 2 }, { breakLength: 3 })`],
  ['sorted', `require('util').inspect({ b: 1, a: { d: 1, c: [3, 1] }, [Symbol('x')]: 1 }, { sorted: true })`],
  ['sorted comparator', `require('util').inspect({ a: 1, c: 2, b: 3 }, { sorted: (x, y) => (x < y ? 1 : -1) })`],
  ['sorted Set and Map', `require('util').inspect([new Set([3, 1, 2]), new Map([['b', 1], ['a', 2]])], { sorted: true })`],
  ['sorted array extras', `require('util').inspect(Object.assign([3, 1], { z: 1, y: 2 }), { sorted: true })`],
  ['getters', `(() => { const o = { get a() { return 1 }, get b() { return { c: [1] } }, get n() { return null }, get t() { throw new Error('no') }, get gs() { return 's' }, set gs(v) {} }; return [true, 'get', 'set', false].map((getters) => require('util').inspect(o, { getters })) })()`],
  ['maxArrayLength', `require('util').inspect(Array.from({ length: 10 }, (_, i) => i), { maxArrayLength: 3 })`],
  ['maxStringLength', `require('util').inspect('abcdefghij', { maxStringLength: 4 })`],
  ['showHidden', `require('util').inspect(Object.defineProperty({ a: 1 }, 'hidden', { value: 2 }), { showHidden: true })`],
  ['customInspect false', `require('util').inspect({ [require('util').inspect.custom]() { return 'X' }, a: 1 }, { customInspect: false })`],
  ['inspect.custom', `require('util').inspect({ inner: { [require('util').inspect.custom](depth, options, inspect) { return { depth, stylize: typeof options.stylize, same: inspect === require('util').inspect } } } })`],
  ['inspect.custom symbol', `require('util').inspect.custom === Symbol.for('nodejs.util.inspect.custom')`],
  ['class instance with custom inspect', `(() => { class Money { constructor(v) { this.v = v } [Symbol.for('nodejs.util.inspect.custom')]() { return 'Money<' + this.v + '>' } } return require('util').inspect({ price: new Money(5) }) })()`],
  ['colors option is accepted', `require('util').inspect({ a: 1 }, { colors: false })`],
  ['inspect.colors', `[Object.keys(require('util').inspect.colors), require('util').inspect.colors.grey, Object.getPrototypeOf(require('util').inspect.colors)]`],
  ['inspect.styles', `require('util').inspect.styles`],
  ['inspect keys', `[Object.keys(require('util').inspect), typeof require('util').inspect.defaultOptions]`],
  ['defaultOptions', `require('util').inspect.defaultOptions`],
  ['defaultOptions bad value', `(() => { require('util').inspect.defaultOptions = null })()`],
  ['strings and numbers', `[require('util').inspect('it\\'s'), require('util').inspect(-0), require('util').inspect(12n), require('util').inspect(Symbol('s'))]`],
])

bodies('util.inspect.defaultOptions', [
  [
    'changes inspect and console formatting',
    `const util = require('util'); const saved = { ...util.inspect.defaultOptions }
     util.inspect.defaultOptions = { depth: 0, breakLength: Infinity }
     try { return [util.inspect({ a: { b: 1 } }), util.format('%O', { a: { b: 1 } }), util.inspect.defaultOptions.depth] }
     finally { util.inspect.defaultOptions = saved }`,
  ],
])

bodies('util.promisify', [
  ['callback style', `const f = (a, b, cb) => setTimeout(() => cb(null, a + b), 1); return await require('util').promisify(f)(1, 2)`],
  ['rejects with the error', `const f = (cb) => cb(new TypeError('bad')); return await require('util').promisify(f)()`],
  ['keeps this', `const o = { v: 7, m(cb) { cb(null, this.v) } }; o.p = require('util').promisify(o.m); return await o.p()`],
  ['custom', `const util = require('util'); function f() {} f[util.promisify.custom] = () => Promise.resolve('custom'); const p = util.promisify(f); return [p === f[util.promisify.custom], await p(), util.promisify.custom === Symbol.for('nodejs.util.promisify.custom')]`],
  ['promisified is its own custom', `const util = require('util'); const p = util.promisify((cb) => cb()); return util.promisify(p) === p`],
  ['keeps name, length and properties', `const util = require('util'); function named(a, b, cb) {} named.extra = 1; const p = util.promisify(named); return [p.name, p.length, p.extra, Object.getPrototypeOf(p) === Function.prototype]`],
  ['async function prototype kept', `const util = require('util'); const p = util.promisify(async function (cb) {}); return Object.getPrototypeOf(p) === Object.getPrototypeOf(async function () {})`],
  ['setTimeout', `const util = require('util'); const t0 = Date.now(); const v = await util.promisify(setTimeout)(5, 'value'); return [v, Date.now() - t0 >= 4]`],
  ['setImmediate', `const util = require('util'); return await util.promisify(setImmediate)('imm')`],
  ['not a function', `require('util').promisify('nope')`],
  ['bad custom', `const util = require('util'); function f() {} f[util.promisify.custom] = 1; return util.promisify(f)`],
])

bodies('util.callbackify', [
  ['resolves', `const util = require('util'); const f = util.callbackify(async (a) => a * 2); return await new Promise((r) => f(21, (err, v) => r([err, v])))`],
  ['rejects', `const util = require('util'); const f = util.callbackify(async () => { throw new RangeError('no') }); return await new Promise((r) => f((err, v) => r([err, v])))`],
  ['falsy rejection', `const util = require('util'); const f = util.callbackify(() => Promise.reject(0)); return await new Promise((r) => f((err) => r([err.message, err.code, err.reason, Object.keys(err)])))`],
  ['name and length', `const util = require('util'); const f = util.callbackify(async function fetchIt(a, b) {}); return [f.name, f.length]`],
  ['callback runs asynchronously', `const util = require('util'); const order = []; const f = util.callbackify(async () => 1); await new Promise((r) => { f(() => { order.push('cb'); r() }); order.push('sync') }); return order`],
  ['last argument must be a function', `require('util').callbackify(async () => 1)(1, 2)`],
])

expressions('util.inherits', [
  ['sets up the chain', `(() => { const util = require('util'); function A() {} A.prototype.hi = () => 'hi'; function B() { A.call(this) } util.inherits(B, A); const b = new B(); return [b instanceof A, b.hi(), B.super_ === A, Object.keys(B)] })()`],
  ['bad superCtor', `require('util').inherits(function () {}, null)`],
  ['superCtor without prototype', `require('util').inherits(function () {}, () => {})`],
])

expressions('util.deprecate', [
  ['returns the value and keeps this', `(() => { process.noDeprecation = true; try { const f = require('util').deprecate(function (a) { return [this.x, a] }, 'msg'); return f.call({ x: 1 }, 2) } finally { delete process.noDeprecation } })()`],
  ['wraps a class', `(() => { process.noDeprecation = true; try { class Old { constructor(v) { this.v = v } } const New = require('util').deprecate(Old, 'm', 'DEP_T'); const o = new New(3); return [o.v, o instanceof New, o instanceof Old] } finally { delete process.noDeprecation } })()`],
  ['code must be a string', `require('util').deprecate(() => {}, 'm', 5)`],
])

expressions('util legacy checks', [
  ['isArray etc.', `(() => { const u = require('util'); const vals = [[], {}, null, undefined, 1, 's', Symbol.iterator, true, () => {}, /x/, new Date(), new Error('e'), Object.create(Error.prototype)]; return ['isArray', 'isBoolean', 'isNull', 'isNullOrUndefined', 'isNumber', 'isString', 'isSymbol', 'isUndefined', 'isRegExp', 'isObject', 'isDate', 'isError', 'isFunction', 'isPrimitive'].map((n) => [n, vals.map((v) => u[n](v))]) })()`],
  ['isBuffer', `[require('util').isBuffer(Buffer.from('a')), require('util').isBuffer(new Uint8Array(1))]`],
  ['_extend', `require('util')._extend({ a: 1 }, { b: 2, a: 3 })`],
])

expressions('util misc', [
  ['isDeepStrictEqual', `[require('util').isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), require('util').isDeepStrictEqual([1], ['1']), require('util').isDeepStrictEqual(NaN, NaN)]`],
  ['stripVTControlCharacters', `require('util').stripVTControlCharacters('\\u001b[31mred\\u001b[39m \\u001b[1;4mbold\\u001b[0m \\u001b]8;;http://x\\u0007link\\u001b]8;;\\u0007')`],
  ['stripVTControlCharacters bad argument', `require('util').stripVTControlCharacters(5)`],
  ['toUSVString', `require('util').toUSVString('a\\ud800b\\udc00c😀')`],
  ['styleText single (no colour on a non-TTY)', `require('util').styleText('red', 'hi')`],
  ['styleText array', `require('util').styleText(['bold', 'red'], 'hi')`],
  ['styleText validateStream false', `require('util').styleText('green', 'ok', { validateStream: false })`],
  ['styleText bad format', `require('util').styleText('nope', 'x')`],
  ['styleText bad text', `require('util').styleText('red', 5)`],
  ['getSystemErrorName', `[require('util').getSystemErrorName(-2), require('util').getSystemErrorName(-13), require('util').getSystemErrorName(-99999)]`],
  ['getSystemErrorName positive', `require('util').getSystemErrorName(2)`],
  ['getSystemErrorName not a number', `require('util').getSystemErrorName('x')`],
  ['getSystemErrorMap', `(() => { const m = require('util').getSystemErrorMap(); return [m.size, m.get(-2), m.get(-110), m.get(-3008)] })()`],
  ['_errnoException', `require('util')._errnoException(-2, 'open', 'file.txt')`],
  ['_exceptionWithHostPort', `(() => { const e = require('util')._exceptionWithHostPort(-111, 'connect', '127.0.0.1', 8080); return [e.message, e.code, e.errno, e.address, e.port] })()`],
  ['TextEncoder and TextDecoder', `[require('util').TextEncoder === TextEncoder, require('util').TextDecoder === TextDecoder, new (require('util').TextDecoder)().decode(new (require('util').TextEncoder)().encode('hé'))]`],
  ['types is util/types', `require('util').types === require('util/types')`],
  ['debuglog disabled', `(() => { const log = require('util').debuglog('thaw-test-off'); log('nothing'); return [log.enabled, Object.keys(log), require('util').debug === require('util').debuglog] })()`],
  ['transferableAbortSignal bad', `require('util').transferableAbortSignal({})`],
])

// A minimal AbortSignal (what Node's util.aborted relies on: `aborted` and addEventListener), so
// that these cases do not depend on the guest's AbortController.
const fakeSignal = `const listeners = []; const signal = { aborted: false, addEventListener(type, listener) { listeners.push([type, listener]) }, removeEventListener() {} }
  const abort = () => { signal.aborted = true; for (const [type, listener] of listeners) if (type === 'abort') listener() }`
bodies('util.aborted', [
  ['resolves on abort', `${fakeSignal}; const p = require('util').aborted(signal, {}); let settled = false; p.then(() => { settled = true }); await null; const before = settled; abort(); await p; return [before, 'resolved']`],
  ['already aborted', `${fakeSignal}; abort(); return await require('util').aborted(signal, {})`],
  ['bad signal', `return await require('util').aborted({}, {})`],
  ['missing signal', `return await require('util').aborted(undefined, {})`],
  ['bad resource', `${fakeSignal}; return await require('util').aborted(signal, 1)`],
])

// Deep equality (util.isDeepStrictEqual and assert.deepEqual share it): [strict, loose] for each pair.
const deepPairs = `[
  [0, -0], [NaN, NaN], [1, '1'], [null, undefined], [[1, 2], [1, 2]], [[, 1], [undefined, 1]], [{ a: undefined }, {}],
  [{ a: 1, b: 2 }, { b: 2, a: 1 }], [new Date(1), new Date(1)], [new Date(1), new Date(2)], [Object.assign(new Date(1), { x: 1 }), new Date(1)],
  [/a/g, /a/g], [/a/g, /a/i], [Object.assign(/a/g, { lastIndex: 1 }), /a/g], [new Error('a'), new Error('a')], [new Error('a'), new TypeError('a')],
  [new Error('a'), { message: 'a', name: 'Error' }], [Object.assign(new Error('a'), { code: 1 }), new Error('a')],
  [new Map([[1, 'a'], [2, 'b']]), new Map([[2, 'b'], [1, 'a']])], [new Map([[{ k: 1 }, 'v']]), new Map([[{ k: 1 }, 'v']])],
  [new Map([[{ k: 1 }, 'v']]), new Map([[{ k: 1 }, 'w']])], [new Map([[1, 'v']]), new Map([['1', 'v']])], [new Map([[null, 1]]), new Map([[undefined, 1]])],
  [new Set([1, 2]), new Set([2, 1])], [new Set([{ a: 1 }, { b: 2 }]), new Set([{ b: 2 }, { a: 1 }])], [new Set(['1']), new Set([1])], [new Set([{}]), new Set([[]])],
  [new Uint8Array([1, 2]), new Uint8Array([1, 2])], [new Uint8Array([1]), new Int8Array([1])], [Buffer.from([1]), new Uint8Array([1])],
  [new Float64Array([0]), new Float64Array([-0])], [new Float64Array([NaN]), new Float64Array([NaN])], [new Uint8Array([1, 2]).buffer, new Uint8Array([1, 2]).buffer],
  [new Uint8Array([1, 2]).buffer, new Uint8Array([1, 3]).buffer], [new DataView(new ArrayBuffer(2)), new DataView(new ArrayBuffer(2))],
  [new Number(1), new Number(1)], [new Number(1), 1], [new String('a'), new String('b')], [Object(1n), Object(1n)], [new Boolean(true), new Boolean(false)],
  [{ [Symbol.for('s')]: 1 }, { [Symbol.for('s')]: 1 }], [{ [Symbol.for('s')]: 1 }, {}], [Object.defineProperty({}, 'h', { value: 1 }), {}],
  [new (class A { constructor() { this.x = 1 } })(), { x: 1 }], [Object.create(null), {}], [(function () { return arguments })(1), [1]],
  [(() => { const a = { n: 1 }; a.self = a; return a })(), (() => { const b = { n: 1 }; b.self = b; return b })()],
  [(() => { const a = [1]; a.push(a); return a })(), (() => { const b = [1]; b.push([1, b]); return b })()],
  [new WeakMap(), new WeakMap()], [Promise.resolve(1), {}], [() => {}, () => {}], [Symbol('x'), Symbol('x')], [1n, 1n], [1n, 1],
  [[1, [2, [3, { a: [4] }]]], [1, [2, [3, { a: [4] }]]]], [Object.assign([1], { extra: 1 }), [1]], [{ a: [1, { b: new Set([new Map([[1, 2]])]) }] }, { a: [1, { b: new Set([new Map([[1, 2]])]) }] }],
  [new Map([[1, {}]]), new Map([[1, []]])], ['a', new String('a')], [true, 1], [[], {}], [{}, []], [new Set(), new Map()],
  [new Error('a', { cause: 1 }), new Error('a', { cause: 1 })], [new Error('a', { cause: 1 }), new Error('a', { cause: 2 })], [new Error('a', { cause: 1 }), new Error('a')],
  [new AggregateError([1], 'm'), new AggregateError([1], 'm')], [new AggregateError([1], 'm'), new AggregateError([2], 'm')],
  [Object.assign(new Error('a'), { message: 'b' }), new Error('b')], [new URL('http://a.com/x'), new URL('http://a.com/x')], [new URL('http://a.com/x'), new URL('http://a.com/y')],
  [[, 1, 2], [1, , 2]], [Object.assign([, 1], { x: 1 }), [1, 1]], [new Set([1, { a: 1 }]), new Set([1, { a: 2 }])], [new Set([{ a: 1 }]), new Set([{ a: 1 }])],
  [new Map([[{ a: 1 }, 1], [{ a: 1 }, 2]]), new Map([[{ a: 1 }, 2], [{ a: 1 }, 1]])], [new Set([[1], [1]]), new Set([[1], [2]])],
  [(() => { const a = new Map(); a.set('a', a); return a })(), (() => { const b = new Map(); b.set('a', b); return b })()],
  [(() => { const a = { x: {} }; a.x.y = a; return a })(), (() => { const b = { x: {} }; b.x.y = b.x; return b })()],
  [new Uint8Array(20000), new Uint8Array(20000)], [Object.assign(new Uint8Array(2), { x: 1 }), new Uint8Array(2)],
]`
expressions('deep equality', [
  [
    'isDeepStrictEqual and assert.deepEqual on many pairs',
    `${deepPairs}.map(([a, b]) => [require('util').isDeepStrictEqual(a, b), (() => { try { require('assert').deepEqual(a, b); return true } catch (e) { return e.code } })()])`,
  ],
])

// ---------------------------------------------------------------------------------- util/types
const typeSamples = `[
  new Date(), /x/, new Map(), new Set(), new WeakMap(), new WeakSet(), new Map().entries(), new Set().values(),
  (function () { return arguments })(), Promise.resolve(), { then() {} }, new Error('e'), new (class X extends TypeError {})(),
  Object.create(Error.prototype), async () => {}, function* () {}, async function* () {}, (function* () {})(), (async function* () {})(),
  new ArrayBuffer(1), new DataView(new ArrayBuffer(1)), new Uint8Array(1), new Uint8ClampedArray(1), new Int8Array(1),
  new Uint16Array(1), new Int16Array(1), new Uint32Array(1), new Int32Array(1), new Float32Array(1), new Float64Array(1),
  new BigInt64Array(1), new BigUint64Array(1), Buffer.from('x'), new Number(1), new String('s'), new Boolean(false),
  Object(1n), Object(Symbol('s')), {}, [], 1, 'str', null, undefined, () => {}, Object.create(null),
  Object.assign(Object.create(Map.prototype), {}), { [Symbol.toStringTag]: 'Date' },
]`
expressions('util/types', [
  [
    'every check on every sample',
    `(() => { const t = require('util/types'); const s = ${typeSamples}; return Object.keys(t).filter((k) => k !== 'isProxy' && k !== 'isExternal' && k !== 'isKeyObject' && k !== 'isCryptoKey' && k !== 'isModuleNamespaceObject').map((k) => [k, s.map((v) => t[k](v)).map((b, i) => (b ? i : -1)).filter((i) => i >= 0)]) })()`,
  ],
  ['isProxy of a plain object', `require('util/types').isProxy({})`],
  ['isExternal', `require('util/types').isExternal({})`],
])

// ---------------------------------------------------------------------------------------- path
const pathCalls: Array<[string, string]> = [
  ['join', `p.join('/a', 'b', '../c', './d/')`],
  ['join empty', `[p.join(), p.join(''), p.join('', '')]`],
  ['join dots', `p.join('a/b', '../../..', 'c')`],
  ['resolve relative (against the cwd)', `[p.resolve('x/y', '../z') === process.cwd() + '/x/z', p.resolve() === process.cwd()]`],
  ['resolve absolute', `[p.resolve('/a/b', '/c', 'd'), p.resolve('/'), p.resolve('/a/', '..', 'b/')]`],
  ['normalize', `[p.normalize('/a//b/../c/./d'), p.normalize('./a/'), p.normalize(''), p.normalize('//x'), p.normalize('../../a')]`],
  ['isAbsolute', `[p.isAbsolute('/a'), p.isAbsolute('a'), p.isAbsolute(''), p.isAbsolute('./a')]`],
  ['relative', `[p.relative('/data/a/b', '/data/c'), p.relative('/a', '/a'), p.relative('/a/b', '/a/b/c/d'), p.relative('a', 'b')]`],
  ['dirname', `[p.dirname('/a/b/c'), p.dirname('/a/b/'), p.dirname('a'), p.dirname('/'), p.dirname('')]`],
  ['basename', `[p.basename('/a/b.txt'), p.basename('/a/b.txt', '.txt'), p.basename('/a/b.txt', 'b.txt'), p.basename('/a/b/'), p.basename('.env', '.env'), p.basename('')]`],
  ['extname', `[p.extname('a.txt'), p.extname('a.b.c'), p.extname('.env'), p.extname('a.'), p.extname('a'), p.extname('/x.y/z')]`],
  ['parse', `[p.parse('/home/user/dir/file.txt'), p.parse('file'), p.parse('/'), p.parse('./a.b/.c')]`],
  ['format', `[p.format({ root: '/', dir: '/home/user', base: 'f.txt' }), p.format({ name: 'f', ext: '.txt' }), p.format({ root: '/', name: 'x', ext: 'js' }), p.format({ dir: 'd', name: 'n', ext: '' }), p.format({ root: '/r/', base: 'b' }), p.format({})]`],
  ['sep, delimiter, toNamespacedPath, _makeLong', `[p.sep, p.delimiter, p.toNamespacedPath('/a'), p._makeLong('b'), p.toNamespacedPath(5)]`],
  ['posix is path', `[p.posix === p, require('path/posix') === p, require('node:path/posix') === p]`],
  ['win32 sep and delimiter', `[p.win32.sep, p.win32.delimiter]`],
  ['join bad argument', `p.join('a', 5)`],
  ['resolve bad argument', `p.resolve('a', null)`],
  ['relative bad argument', `p.relative('a', {})`],
  ['basename bad ext', `p.basename('a', 1)`],
  ['dirname bad argument', `p.dirname(undefined)`],
  ['parse bad argument', `p.parse([])`],
  ['format bad argument', `p.format('x')`],
]
expressions('path', pathCalls.map(([name, expression]) => [name, `((p) => ${expression})(require('path'))`]))

// ----------------------------------------------------------------------------------------- url
const legacyUrls = [
  'https://user:pa%20ss@Example.COM:8080/p/a/t/h?query=string&a=1#hash',
  'http://example.com',
  'http://a.com/b?x=1&x=2&y=%20z',
  '/just/a/path?q=1',
  'relative/path',
  '//host.com/path',
  'mailto:someone@example.com',
  'javascript:alert(1)',
  'http://a@b@c/',
  'http://a@b?@c',
  'HTTP://WWW.EXAMPLE.COM/Path',
  'http://example.com/a b<c>"d\'e`f{g}|h\\i^j',
  'http:\\\\evil.com\\path?x\\y',
  '  http://trim.me/  ',
  'http://[::1]:3000/ipv6',
  'http://münchen.de/straße',
  'file:///etc/passwd',
  'http://host:80',
  'x:y',
  'http://host.com:/path',
  '?only=query',
  '#only-hash',
  'http://user@host.com',
  'ws://socket.io/chat?room=1',
  'http://host.com/p#h?notquery',
  'https://host/%zz',
  '',
  'http://user:@host/',
  'http://:pass@host/',
  'https://a.com?',
  'https://a.com#',
  'http://a.com/%7Efoo/../bar',
  'http://a.com/path;params?x=1',
  'git+ssh://git@github.com:npm/cli.git',
  'http://a.com:99999/',
  'redis://:secret@cache.internal:6379/0',
  'postgres://user:p%40ss@db.example.com:5432/app?ssl=true&pool=5',
  'mongodb+srv://u:p@cluster0.mongodb.net/test?retryWrites=true',
  'http://a.com/\u00e9t\u00e9?q=\u00e9',
  'HTTPS://Example.com:443/A/B?C=D#E',
  'http://a.com/a//b///c',
  'http://1.2.3.4:5/',
  'http://a.com/?a[]=1&a[]=2&b[c]=3',
  'file://localhost/etc/hosts',
  'about:blank',
  'data:text/plain;base64,SGVsbG8=',
  'tel:+1-201-555-0123',
  'urn:isbn:0451450523',
  '/p/a/t/h?query=string#hash',
  'http://a.com\t/\npath',
]
expressions('url.parse', [
  ...legacyUrls.map((u): [string, string] => [JSON.stringify(u), `require('url').parse(${JSON.stringify(u)})`]),
  ['parse(str, true) query object', `require('url').parse('http://a.com/p?x=1&y=2&y=3&z', true)`],
  ['parse(str, true) without a query', `require('url').parse('http://a.com/p', true).query`],
  ['parse(path, true)', `require('url').parse('/p?x=1', true)`],
  ['slashesDenoteHost', `require('url').parse('//host/path', false, true)`],
  ['Url instance', `require('url').parse('http://a.com') instanceof require('url').Url`],
  ['for-in over a Url', `(() => { const keys = []; for (const k in require('url').parse('http://a.com')) keys.push(k); return keys })()`],
  ['not a string', `require('url').parse(5)`],
  ['invalid host', `require('url').parse('http://a%b/')`],
  ['format of parse', `require('url').parse('HTTP://u:p@Host.COM:81/a b?c=d#e').format()`],
])
expressions('url.format', [
  ['legacy object', `require('url').format({ protocol: 'https', hostname: 'example.com', port: 8080, pathname: '/some/path', query: { page: 1, format: 'json', list: [1, 2] } })`],
  ['auth and hash', `require('url').format({ protocol: 'http:', auth: 'u:p w@x', host: 'h.com', pathname: 'p#?', search: 'a=1', hash: 'frag' })`],
  ['non-slashed protocol', `require('url').format({ protocol: 'mailto', pathname: 'x@y.com' })`],
  ['file protocol without host', `require('url').format({ protocol: 'file', pathname: '/tmp/x' })`],
  ['ipv6 hostname', `require('url').format({ protocol: 'http', hostname: '::1', port: 80 })`],
  ['string', `require('url').format('http://A.com/b c')`],
  ['WHATWG URL with options', `(() => { const u = new URL('https://user:pw@xn--mnchen-3ya.de:8443/p?q=1#h'); const f = require('url').format; return [f(u), f(u, { fragment: false, search: false, auth: false }), f(u, { unicode: true })] })()`],
  ['bad argument', `require('url').format(5)`],
])
expressions('url.resolve', [
  ['cases', `[['/one/two/three', 'four'], ['http://example.com/', '/one'], ['http://example.com/one', '/two'], ['http://example.com/a/b', '../c'], ['http://example.com/a/b', './c/../d?x=1#y'], ['http://example.com/a', '//other.com/x'], ['http://example.com/a', 'https://secure.com'], ['http://example.com/a?x=1', '?y=2'], ['http://example.com/a', '#h'], ['one/two', 'three'], ['mailto:a@b.com', 'c@d.com'], ['http://a.com', ''], ['http://u:p@a.com/x', '/y'], ['http://a.com/b/c', '../../../../d']].map(([a, b]) => require('url').resolve(a, b))`],
  ['resolveObject', `require('url').resolveObject('http://a.com/b/c', '../d?e=f')`],
])
expressions('url helpers', [
  ['URL and URLSearchParams are the globals', `[require('url').URL === URL, require('url').URLSearchParams === URLSearchParams]`],
  ['fileURLToPath', `[require('url').fileURLToPath('file:///tmp/a%20b/c.txt'), require('url').fileURLToPath(new URL('file://localhost/x/%C3%A9')), require('url').fileURLToPath('file:///a/b/')]`],
  ['fileURLToPath not file', `require('url').fileURLToPath('http://a.com/')`],
  ['fileURLToPath with host', `require('url').fileURLToPath('file://host/x')`],
  ['fileURLToPath encoded slash', `require('url').fileURLToPath('file:///a%2Fb')`],
  ['fileURLToPath bad argument', `require('url').fileURLToPath(5)`],
  ['pathToFileURL', `['/tmp/a b#c?d%e', '/x/y/', '/tab\\there', '/ünï/[x]^|~', '/a/../b/./c'].map((p) => require('url').pathToFileURL(p).href)`],
  ['pathToFileURL of a relative path', `require('url').pathToFileURL('rel/f.txt').href === 'file://' + process.cwd() + '/rel/f.txt'`],
  ['pathToFileURL bad argument', `require('url').pathToFileURL(5)`],
  ['urlToHttpOptions', `require('url').urlToHttpOptions(new URL('https://u:p%20w@[::1]:8080/p/a?x=1#h'))`],
  ['urlToHttpOptions without port or auth', `require('url').urlToHttpOptions(new URL('http://example.com/'))`],
  ['domainToASCII', `['español.com', 'EXAMPLE.com', 'xn--iñvalid.com', '中文.com', 'a.b.c', ''].map((d) => require('url').domainToASCII(d))`],
  ['domainToUnicode', `['xn--espaol-zwa.com', 'xn--fiq228c.com', 'EXAMPLE.com', 'xn--iñvalid.com'].map((d) => require('url').domainToUnicode(d))`],
  ['domainToASCII without argument', `require('url').domainToASCII()`],
])

// ---------------------------------------------------------------------------------- querystring
expressions('querystring', [
  ['parse', `require('querystring').parse('a=1&b=2&a=3&c&d=&=e&f=x=y')`],
  ['parse decoding', `require('querystring').parse('name=J%C3%BCrgen+Smith&amp=%26&plus=a%2Bb&bad=100%&worse=%E0%A4%A&nothex=%zz')`],
  ['parse special keys', `require('querystring').parse('__proto__=1&toString=2&hasOwnProperty=3&constructor=4')`],
  ['parse custom separators', `require('querystring').parse('a:1;b:2;;c', ';', ':')`],
  ['parse multi-character separators', `require('querystring').parse('a=>1||b=>2', '||', '=>')`],
  ['parse maxKeys', `[require('querystring').parse('a=1&b=2&c=3', null, null, { maxKeys: 2 }), require('querystring').parse('a=1&b=2&c=3', null, null, { maxKeys: 0 })]`],
  ['parse default maxKeys 1000', `Object.keys(require('querystring').parse(Array.from({ length: 1200 }, (_, i) => 'k' + i + '=' + i).join('&'))).length`],
  ['parse custom decoder', `require('querystring').parse('a=%41+b&c=d', null, null, { decodeURIComponent: (s) => '[' + s + ']' })`],
  ['parse non-string', `[require('querystring').parse(undefined), require('querystring').parse(''), require('querystring').parse(5)]`],
  ['stringify', `require('querystring').stringify({ a: [1, 2], b: [], c: 'x y&z/é', d: true, e: null, f: undefined, g: {}, h: 10n, i: NaN, j: 1e21, 'k k': '', l: -0 })`],
  ['stringify unreserved characters', `require('querystring').stringify({ s: "-_.!~*'()abcXYZ019 @#$%^&=+[]{}|\\\\;:,<>?/" })`],
  ['stringify separators', `require('querystring').stringify({ a: 1, b: [2, 3] }, ';', ':')`],
  ['stringify non-objects', `[require('querystring').stringify('x'), require('querystring').stringify(null), require('querystring').stringify(5)]`],
  ['stringify custom encoder', `require('querystring').stringify({ a: 'b c', n: 1 }, null, null, { encodeURIComponent: (s) => s.toUpperCase() })`],
  ['stringify lone surrogate', `require('querystring').stringify({ a: '\\ud800' })`],
  ['encode and decode aliases', `[require('querystring').encode === require('querystring').stringify, require('querystring').decode === require('querystring').parse]`],
  ['escape and unescape', `[require('querystring').escape('a b/c?é'), require('querystring').escape(12), require('querystring').escape({ toString() { return 'x y' } }), require('querystring').unescape('a%20b%zz+c'), require('querystring').unescape('%E0%A4%A')]`],
  ['unescapeBuffer', `[require('querystring').unescapeBuffer('a%20b+c%zz', true), require('querystring').unescapeBuffer('a+b'), Buffer.isBuffer(require('querystring').unescapeBuffer('x'))]`],
  ['overridden escape is used', `(() => { const qs = require('querystring'); const saved = qs.escape; qs.escape = (s) => '<' + s + '>'; try { return qs.stringify({ a: 'b' }) } finally { qs.escape = saved } })()`],
])

// -------------------------------------------------------------------------------------- assert
expressions('assert', [
  ['ok passes', `require('assert').ok(1)`],
  ['ok without arguments', `require('assert').ok()`],
  ['ok with a message', `require('assert').ok(0, 'zero is falsy')`],
  ['ok with an error as message', `require('assert').ok(false, new TypeError('custom'))`],
  ['assert() is ok', `require('assert')(null, 'null')`],
  ['equal', `require('assert').equal(1, '2')`],
  ['equal passes loosely', `[require('assert').equal(1, '1'), require('assert').equal(NaN, NaN)]`],
  ['notEqual', `require('assert').notEqual(1, '1')`],
  ['strictEqual numbers', `require('assert').strictEqual(1, 2)`],
  ['strictEqual strings', `require('assert').strictEqual('hello world', 'hello there')`],
  ['strictEqual long strings', `require('assert').strictEqual('a'.repeat(50), 'a'.repeat(49) + 'b')`],
  ['strictEqual multi-line strings', `require('assert').strictEqual('line1\\nline2\\nline3', 'line1\\nlineX\\nline3')`],
  ['strictEqual objects', `require('assert').strictEqual({ a: 1 }, { a: 1 })`],
  ['strictEqual with message', `require('assert').strictEqual(1, 2, 'one is not two')`],
  ['strictEqual missing args', `require('assert').strictEqual(1)`],
  ['notStrictEqual', `require('assert').notStrictEqual(5, 5)`],
  ['notStrictEqual object', `(() => { const o = { a: 1 }; require('assert').notStrictEqual(o, o) })()`],
  ['deepStrictEqual objects', `require('assert').deepStrictEqual({ a: 1, b: [1, 2, 3], c: { d: 'x' } }, { a: 1, b: [1, 2, 4], c: { d: 'y' } })`],
  ['deepStrictEqual long arrays', `require('assert').deepStrictEqual(Array.from({ length: 30 }, (_, i) => i), Array.from({ length: 30 }, (_, i) => (i === 15 ? -1 : i)))`],
  ['deepStrictEqual extra keys', `require('assert').deepStrictEqual({ a: 1 }, { a: 1, b: 2 })`],
  ['deepStrictEqual type mismatch', `require('assert').deepStrictEqual([1], ['1'])`],
  ['deepStrictEqual same structure', `require('assert').deepStrictEqual({ a: Symbol('s') }, { a: Symbol('s') })`],
  ['deepStrictEqual prototypes', `require('assert').deepStrictEqual(Object.create(null), {})`],
  ['deepStrictEqual passes', `require('assert').deepStrictEqual({ a: [1, { b: new Map([[1, new Set([2])]]) }], d: new Date(5) }, { a: [1, { b: new Map([[1, new Set([2])]]) }], d: new Date(5) })`],
  ['deepEqual loose passes', `require('assert').deepEqual({ a: 1, b: [2] }, { a: '1', b: ['2'] })`],
  ['deepEqual fails', `require('assert').deepEqual({ a: 1 }, { a: 2 })`],
  ['notDeepEqual', `require('assert').notDeepEqual({ a: 1 }, { a: '1' })`],
  ['notDeepStrictEqual', `require('assert').notDeepStrictEqual([1, 2], [1, 2])`],
  ['notDeepStrictEqual long', `require('assert').notDeepStrictEqual({ alpha: 1, beta: 2 }, { alpha: 1, beta: 2 })`],
  ['throws passes', `require('assert').throws(() => { throw new TypeError('bad') }, TypeError)`],
  ['throws with validation object', `require('assert').throws(() => { throw Object.assign(new Error('boom'), { code: 'E1' }) }, { message: 'boom', code: 'E1' })`],
  ['throws validation object mismatch', `require('assert').throws(() => { throw Object.assign(new Error('boom'), { code: 'E1' }) }, { message: 'boom', code: 'E2' })`],
  ['throws with RegExp', `require('assert').throws(() => { throw new Error('boom 42') }, /boom \\d+/)`],
  ['throws RegExp mismatch', `require('assert').throws(() => { throw new Error('boom') }, /bang/)`],
  ['throws wrong class', `require('assert').throws(() => { throw new RangeError('r') }, TypeError)`],
  ['throws validation function', `require('assert').throws(() => { throw new Error('x') }, (e) => e.message === 'y')`],
  ['throws nothing thrown', `require('assert').throws(() => {})`],
  ['throws nothing thrown with message', `require('assert').throws(() => {}, TypeError, 'should throw')`],
  ['throws with a string message', `require('assert').throws(() => {}, 'should throw')`],
  ['throws ambiguous message', `require('assert').throws(() => { throw new Error('same') }, 'same')`],
  ['throws not a function', `require('assert').throws('x')`],
  ['throws error object', `require('assert').throws(() => { throw new TypeError('t') }, new TypeError('t'))`],
  ['throws empty object', `require('assert').throws(() => { throw new Error('e') }, {})`],
  ['doesNotThrow', `require('assert').doesNotThrow(() => { throw new Error('oops') })`],
  ['doesNotThrow with message', `require('assert').doesNotThrow(() => { throw new Error('oops') }, 'must not throw')`],
  ['doesNotThrow other class rethrows', `require('assert').doesNotThrow(() => { throw new RangeError('r') }, TypeError)`],
  ['ifError', `require('assert').ifError(new Error('callback failed'))`],
  ['ifError non-error', `require('assert').ifError('str')`],
  ['ifError null passes', `[require('assert').ifError(null), require('assert').ifError(undefined)]`],
  ['match', `require('assert').match('abc', /x/)`],
  ['match not a string', `require('assert').match(123, /x/)`],
  ['match bad regexp', `require('assert').match('abc', 'x')`],
  ['doesNotMatch', `require('assert').doesNotMatch('abc', /b/)`],
  ['fail', `require('assert').fail()`],
  ['fail with message', `require('assert').fail('boom')`],
  ['fail with error', `require('assert').fail(new TypeError('te'))`],
  ['AssertionError', `new (require('assert').AssertionError)({ actual: 1, expected: 2, operator: 'strictEqual' })`],
  ['AssertionError properties', `(() => { try { require('assert').strictEqual(1, 2) } catch (e) { return [e instanceof require('assert').AssertionError, e instanceof Error, e.name, e.code, e.actual, e.expected, e.operator, e.generatedMessage, String(e).split('\\n')[0]] } })()`],
  ['AssertionError bad options', `new (require('assert').AssertionError)(5)`],
  ['strict is strict', `(() => { const s = require('assert').strict; return [s.equal === s.strictEqual, s.deepEqual === s.deepStrictEqual, s.notEqual === s.notStrictEqual, s.notDeepEqual === s.notDeepStrictEqual, s.strict === s, require('assert/strict') === s, typeof s] })()`],
  ['strict.equal', `require('assert/strict').equal(1, '1')`],
  ['strict()', `require('assert/strict')(0)`],
])
bodies('assert async', [
  ['rejects passes', `await require('assert').rejects(Promise.reject(new TypeError('x')), TypeError); return 'ok'`],
  ['rejects with a function', `await require('assert').rejects(async () => { throw new Error('boom') }, { message: 'boom' }); return 'ok'`],
  ['rejects nothing rejected', `return await require('assert').rejects(Promise.resolve(1))`],
  ['rejects wrong error', `return await require('assert').rejects(Promise.reject(new RangeError('r')), TypeError)`],
  ['rejects not a promise', `return await require('assert').rejects(() => 5)`],
  ['rejects bad argument', `return await require('assert').rejects(5)`],
  ['doesNotReject passes', `await require('assert').doesNotReject(Promise.resolve(1)); return 'ok'`],
  ['doesNotReject fails', `return await require('assert').doesNotReject(async () => { throw new Error('nope') })`],
])
expressions('assert without a message', [
  ['ok(false): the message Node gives when it cannot read the source', `require('assert').ok(false)`],
  ['ok(0) in strict', `require('assert/strict')(0)`],
])

/** Documented deviations from Node 20 (docs/compatibility.md), asserted as the guest's behaviour. */
const guestOnly: Array<Case & { expected: unknown }> = [
  // A Proxy cannot be told from its target by JavaScript code.
  { name: 'util.types.isProxy is always false', code: `return require('util/types').isProxy(new Proxy({}, {}))`, expected: { value: false } },
  // globals/format.ts: no `[CODE]` in the header of an error's stack (Node: `AssertionError [ERR_ASSERTION]: …`).
  {
    name: 'util.inspect of an AssertionError: no [ERR_ASSERTION] in the first line',
    code: `try { require('assert').strictEqual('a', 'b') } catch (e) { return require('util').inspect(e).split('\\n')[0] }`,
    expected: { value: 'AssertionError: Expected values to be strictly equal:' },
  },
  // node-util/path.ts: path.win32's functions are not implemented.
  {
    name: 'path.win32 functions throw ERR_METHOD_NOT_IMPLEMENTED',
    code: `return require('path').win32.join('a', 'b')`,
    expected: { threw: 'Error', code: 'ERR_METHOD_NOT_IMPLEMENTED', message: 'The path.win32.join() method is not implemented in Thaw (functions run on Linux)', keys: ['code'] },
  },
]

// ---------------------------------------------------------------------------------------- logs
/** Writes diagnostics: deprecations (once per code), debuglog sections from NODE_DEBUG, url's DEP0170, assert's DEP0094, util.log. */
const LOGGING_CODE = `
const util = require('util')
const old = util.deprecate(function old() { return 1 }, 'old() is deprecated', 'DEP_THAW1')
old(); old()
util.deprecate(() => 2, 'no code here')()
util.deprecate(() => 3, 'same code again', 'DEP_THAW1')()
util.debuglog('thaw')('hello %s', 'world', { a: 1 })
util.debuglog('netx')('wildcard %d', 42)
util.debuglog('other')('not shown')
require('url').parse('http://host:port/x')
require('url').parse('http://host:abc/y')
require('assert').throws(() => require('assert').fail(1, 2), { code: 'ERR_ASSERTION' })
const saved = { ...util.inspect.defaultOptions }
util.inspect.defaultOptions = { depth: 0, breakLength: Infinity }
console.log({ a: { b: 1 } }, [[1]])
util.inspect.defaultOptions = saved
console.log({ a: { b: 1 } })
util.log('hello', 1)
`
const NODE_DEBUG = 'thaw,net*'
/** util.log's line: "23 Nov 01:56:42 - message". */
const utilLogLine = /^\d{1,2} [A-Z][a-z]{2} \d{2}:\d{2}:\d{2} - hello 1$/

// ------------------------------------------------------------------------------------- runners
/** The function running the cases: CommonJS, loading every module during INIT (so a snapshot holds them). */
const casesSource = `${HARNESS}
const MODULES = ${JSON.stringify(MODULES)}
for (const name of MODULES) require(name)
exports.handler = async (event) => {
  const results = []
  for (const code of event.cases) results.push(await run(code, require))
  return results
}
`

/** An ES module importing each module by both names, by namespace, default and every listed name. */
function esmSource(): string {
  const lines: string[] = [`import required from './required.cjs'`]
  const entries: string[] = []
  MODULES.forEach((name, i) => {
    const names = NODE_MODULE_EXPORTS[name]
    lines.push(`import * as bare${i} from '${name}'`, `import * as prefixed${i} from 'node:${name}'`, `import default${i} from '${name}'`)
    if (names.length > 0) lines.push(`import { ${names.map((n) => `${n} as m${i}_${n}`).join(', ')} } from 'node:${name}'`)
    const named = names.map((n) => `[${JSON.stringify(n)}, m${i}_${n}]`).join(', ')
    entries.push(`check(${JSON.stringify(name)}, bare${i}, prefixed${i}, default${i}, [${named}])`)
  })
  return `${lines.join('\n')}
function check(name, bare, prefixed, defaultExport, named) {
  const module = required[name]
  return {
    name,
    namespaceKeys: Object.keys(bare).sort(),
    sameObject: bare.default === module && prefixed.default === module && defaultExport === module && required['node:' + name] === module,
    namedBindingsMatch: named.every(([key, value]) => value === module[key] && bare[key] === module[key] && prefixed[key] === module[key]),
    keys: Object.keys(module),
  }
}
export const handler = async () => [${entries.join(', ')}]
`
}

const requiredSource = `module.exports = Object.fromEntries(${JSON.stringify(MODULES)}.flatMap((name) => [[name, require(name)], ['node:' + name, require('node:' + name)]]))\n`

const nodeRun = new Function(`${HARNESS}; return run`)() as (code: string, require: NodeRequire) => Promise<unknown>
const nodeRequire = createRequire(import.meta.url)

function payload(result: InvokeResult): unknown {
  if (!result.ok) throw new Error(`invocation failed: ${result.error.errorType}: ${result.error.errorMessage}`)
  return result.payload
}

async function suite(t: Test, mode: ConformanceMode): Promise<void> {
  const host = await hostFor(t, mode)

  await t.test('each module loads under both names, by import and require, as one object with its listed keys', async (t) => {
    const fn = await deployFiles(host, mode, { 'index.mjs': esmSource(), 'required.cjs': requiredSource }, { timeoutMs: 30_000 })
    const reports = payload(await fn.invoke({})) as Array<{ name: ModuleName; namespaceKeys: string[]; sameObject: boolean; namedBindingsMatch: boolean; keys: string[] }>
    for (const report of reports) {
      const listed = NODE_MODULE_EXPORTS[report.name]
      t.ok(report.sameObject, `${report.name}: import and require, bare and node:, give one object`)
      t.ok(report.namedBindingsMatch, `${report.name}: named imports are the module's properties`)
      t.strictSame(report.keys, listed, `${report.name}: NODE_MODULE_EXPORTS lists the module's enumerable keys`)
      t.strictSame(report.namespaceKeys, [...listed, 'default'].sort(), `${report.name}: the ES namespace has every listed name`)
      const nodeKeys = Object.keys(nodeRequire(report.name) as object).filter((key) => !OMITTED[report.name].includes(key))
      t.strictSame(report.keys, nodeKeys, `${report.name}: Node's keys, in Node's order, minus the documented omissions`)
    }
  })

  await t.test('behaviour matches Node', async (t) => {
    const fn = await deployFiles(host, mode, { 'index.js': casesSource }, { timeoutMs: 60_000 })
    const result = await fn.invoke({ cases: cases.map((c) => c.code) })
    t.ok(startedNewEnvironment(mode, result), `the cases ran in a new environment (${mode.startPhase})`)
    const results = payload(result) as unknown[]
    t.equal(results.length, cases.length, 'one result per case')
    for (const [index, c] of cases.entries()) t.strictSame(results[index], await nodeRun(c.code, nodeRequire), c.name)
    t.comment(`${cases.length} cases compared with Node ${process.version}`)
  })

  await t.test("deprecations and debuglog write Node's lines", async (t) => {
    const fn = await deployFiles(host, mode, { 'index.js': `exports.handler = async () => {${LOGGING_CODE}}` }, { env: { NODE_DEBUG } })
    const result = await fn.invoke({})
    t.ok(result.ok, 'the function ran')
    // Lambda's text format: time, request id, level, message (its newlines folded to \r).
    const records = functionLines(result).map((line) => line.split('\t')).map(([, , level, message]) => ({ level, message: (message ?? '').replaceAll('\r', '\n') }))
    const node = spawnSync(process.execPath, ['-e', LOGGING_CODE], { env: { ...process.env, NODE_DEBUG }, encoding: 'utf8' })
    const nodeStderr = node.stderr.replaceAll(`(node:${node.pid})`, '(node:1)').replaceAll(` ${node.pid}: `, ' 1: ')
    const guestStderr = records.filter((r) => r.level === 'WARN' || r.level === 'ERROR').flatMap((r) => r.message.split('\n'))
    // Node emits warnings on the next tick, after the synchronous debuglog lines: compare as sets.
    t.strictSame(guestStderr.sort(), nodeStderr.trim().split('\n').sort(), "the same stderr lines as Node's")
    t.strictSame(records.filter((r) => r.level === 'WARN').length, 4, 'deprecations at WARN level, one record each')
    const nodeStdout = node.stdout.trim().split('\n')
    const guestStdout = records.filter((r) => r.level === 'INFO').map((r) => r.message)
    t.strictSame(guestStdout.slice(0, -1), nodeStdout.slice(0, -1), 'util.inspect.defaultOptions applies to console.log, as in Node')
    t.match(nodeStdout.at(-1), utilLogLine, 'Node: util.log line')
    t.match(guestStdout.at(-1), utilLogLine, 'guest: util.log line')
  })

  await t.test('documented deviations', async (t) => {
    const fn = await deployFiles(host, mode, { 'index.js': casesSource })
    const results = payload(await fn.invoke({ cases: guestOnly.map((c) => c.code) })) as unknown[]
    for (const [index, c] of guestOnly.entries()) t.strictSame(results[index], c.expected, `guest: ${c.name}`)
  })
}

t.test(coldQuickJs.name, (t) => suite(t, coldQuickJs))
t.test(snapshotQuickJs.name, (t) => suite(t, snapshotQuickJs))
