/**
 * The web platform globals of the QuickJS guest (guest/quickjs/web/): DOMException, Event,
 * EventTarget, CustomEvent, AbortController/AbortSignal, the WHATWG streams, Blob/File, FormData,
 * Headers, Request and Response, compared case by case with Node 20's own implementations, then
 * a hono app behind hono's AWS Lambda adapter answering a function URL event, and the same
 * globals in an environment restored from a snapshot.
 *
 * Each comparison case is the body of an async function, evaluated with the same harness inside
 * one deployed QuickJS function (all cases in one invocation) and in this Node process; values
 * are normalised to JSON-safe descriptions, errors to their name, Node `code` and message. Console
 * cases return the arguments of one console.log call, whose guest log line is compared with
 * Node's util.format. Known, documented deviations are asserted as the guest's behaviour
 * (`guestOnly`).
 */
import { format } from 'node:util'
import { build } from 'esbuild'
import t from 'tap'
import { createHost } from '../src/index.js'
import { deployFiles, hostFor, payloadOf } from './conformance/fixture.js'
import { coldQuickJs, snapshotQuickJs, type ConformanceMode } from './conformance/mode.js'
import { DESCRIBE_PRIMITIVE, logMessages } from './helpers/guest-vs-node.js'

const HARNESS = `${DESCRIBE_PRIMITIVE}
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor
function normalize(value, seen = []) {
  const primitive = describePrimitive(value)
  if (primitive !== undefined) return primitive
  const index = seen.indexOf(value)
  if (index !== -1) return { ref: index }
  seen.push(value)
  const n = (v) => normalize(v, seen)
  const proto = Object.getPrototypeOf(value)
  const ctor = proto === null ? null : proto.constructor && proto.constructor.name
  if (value instanceof ArrayBuffer) return { ArrayBuffer: Array.from(new Uint8Array(value)) }
  if (ArrayBuffer.isView(value)) return { view: ctor, bytes: Array.from(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) }
  if (Array.isArray(value)) return value.map(n)
  if (value instanceof Map) return { Map: Array.from(value, ([k, v]) => [n(k), n(v)]) }
  if (value instanceof Error || (typeof DOMException === 'function' && value instanceof DOMException)) return describeError(value)
  if (typeof File === 'function' && value instanceof File) return { File: [value.name, value.type, value.size, value.lastModified] }
  if (typeof Blob === 'function' && value instanceof Blob) return { Blob: [value.type, value.size] }
  if (typeof Headers === 'function' && value instanceof Headers) return { Headers: n([...value]) }
  if (typeof FormData === 'function' && value instanceof FormData) return { FormData: n([...value]) }
  return { object: ctor, entries: Object.keys(value).map((k) => [k, n(value[k])]) }
}

function describeError(error) {
  if (Object(error) !== error) return { threw: normalize(error) }
  const described = { threw: error.name, message: error.message, ctor: error.constructor && error.constructor.name }
  if (error.code !== undefined) described.code = error.code
  if (error.cause !== undefined) described.cause = error.cause instanceof Error ? error.cause.name + ': ' + error.cause.message : normalize(error.cause)
  return described
}

async function run(code) {
  try {
    return { value: normalize(await new AsyncFunction(code)()) }
  } catch (error) {
    return describeError(error)
  }
}
`

interface Case {
  name: string
  code: string
  /** The body returns console.log arguments: compare the log line with util.format. */
  log?: boolean
  /** Compare only the error's name (engines word their own errors differently). */
  errorNameOnly?: boolean
}

const cases: Case[] = []
const section = (prefix: string, list: Array<[string, string]>, flags: Partial<Case> = {}): void => {
  for (const [name, code] of list) cases.push({ name: `${prefix}: ${name}`, code, ...flags })
}

section('DOMException', [
  ['name, message, code', `const e = new DOMException('m', 'AbortError'); return [e.name, e.message, e.code, e instanceof Error, e instanceof DOMException, String(e)]`],
  ['defaults', `const e = new DOMException(); return [e.name, e.message, e.code]`],
  ['options with cause', `const e = new DOMException('m', { name: 'TimeoutError', cause: 7 }); return [e.name, e.code, e.cause, Object.keys(e)]`],
  ['options without name', `return new DOMException('m', {}).name`],
  ['unknown name has code 0', `return new DOMException('m', 'Whatever').code`],
  ['legacy constants', `return [DOMException.ABORT_ERR, DOMException.prototype.DATA_CLONE_ERR, DOMException.INDEX_SIZE_ERR, DOMException.VALIDATION_ERR]`],
  ['toStringTag and keys', `return [Object.prototype.toString.call(new DOMException()), Object.keys(new DOMException('m', 'AbortError'))]`],
  ['prototype getters check this', `return DOMException.prototype.name`],
  ['atob error is a DOMException', `try { atob('*') } catch (e) { return [e instanceof DOMException, e.name, e.code] }`],
])

section('Event', [
  ['properties', `const e = new Event('x', { cancelable: true, bubbles: true, composed: true }); return [e.type, e.bubbles, e.cancelable, e.composed, e.defaultPrevented, e.eventPhase, e.target, e.currentTarget, e.isTrusted, e.returnValue, e.cancelBubble, e.composedPath()]`],
  ['preventDefault only counts when cancelable', `const a = new Event('x'); a.preventDefault(); const b = new Event('x', { cancelable: true }); b.preventDefault(); return [a.defaultPrevented, b.defaultPrevented, b.returnValue]`],
  ['cancelBubble', `const e = new Event('x'); e.cancelBubble = true; const f = new Event('x'); f.stopPropagation(); return [e.cancelBubble, f.cancelBubble]`],
  ['phase constants', `return [Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET, Event.BUBBLING_PHASE]`],
  ['missing type', `return new Event()`],
  ['options must be an object', `return new Event('x', 5)`],
  ['type is a string', `return [new Event(1).type, new Event(null).type]`],
  ['CustomEvent detail', `return [new CustomEvent('c', { detail: { a: 1 } }).detail, new CustomEvent('c').detail, new CustomEvent('c') instanceof Event]`],
  ['CustomEvent without type', `return new CustomEvent()`],
  ['toStringTag', `return [Object.prototype.toString.call(new Event('x')), Object.prototype.toString.call(new EventTarget())]`],
  ['prototype names', `return [Object.getOwnPropertyNames(EventTarget.prototype).sort(), Object.getOwnPropertyNames(CustomEvent.prototype).sort()]`],
])

section('EventTarget', [
  ['dispatch order, this, return value', `const t = new EventTarget(); const log = []
    t.addEventListener('x', function (e) { log.push(['a', this === t, e.target === t, e.currentTarget === t, e.eventPhase, e.composedPath().length]) })
    t.addEventListener('x', { handleEvent(e) { log.push(['b', e.type]) } })
    t.addEventListener('x', (e) => { e.preventDefault(); log.push('c') })
    const e = new Event('x', { cancelable: true })
    log.push(t.dispatchEvent(e), e.target === t, e.currentTarget, e.eventPhase, e.composedPath())
    return log`],
  ['duplicates ignored, capture distinguishes', `const t = new EventTarget(); let n = 0; const f = () => n++
    t.addEventListener('x', f); t.addEventListener('x', f); t.addEventListener('x', f, true); t.addEventListener('x', f, { capture: true })
    t.dispatchEvent(new Event('x')); t.removeEventListener('x', f); t.dispatchEvent(new Event('x')); return n`],
  ['once', `const t = new EventTarget(); let n = 0; t.addEventListener('x', () => n++, { once: true }); t.dispatchEvent(new Event('x')); t.dispatchEvent(new Event('x')); return n`],
  ['stopImmediatePropagation', `const t = new EventTarget(); const log = []
    t.addEventListener('x', (e) => { log.push(1); e.stopImmediatePropagation() }); t.addEventListener('x', () => log.push(2)); t.dispatchEvent(new Event('x')); return log`],
  ['passive listeners may still prevent (Node)', `const t = new EventTarget(); t.addEventListener('x', (e) => e.preventDefault(), { passive: true }); const e = new Event('x', { cancelable: true }); return [t.dispatchEvent(e), e.defaultPrevented]`],
  ['listeners added during dispatch do not run, removed ones do not run', `const t = new EventTarget(); const log = []
    const b = () => log.push('b')
    t.addEventListener('x', () => { log.push('a'); t.addEventListener('x', () => log.push('late')); t.removeEventListener('x', b) })
    t.addEventListener('x', b); t.dispatchEvent(new Event('x')); return log`],
  ['signal option removes the listener', `const t = new EventTarget(); const c = new AbortController(); let n = 0
    t.addEventListener('x', () => n++, { signal: c.signal }); t.dispatchEvent(new Event('x')); c.abort(); t.dispatchEvent(new Event('x'))
    t.addEventListener('x', () => n++, { signal: AbortSignal.abort() }); t.dispatchEvent(new Event('x')); return n`],
  ['null listener is ignored', `const t = new EventTarget(); t.addEventListener('x', null); t.addEventListener('x', undefined); return t.dispatchEvent(new Event('x'))`],
  ['object listener without handleEvent', `const t = new EventTarget(); t.addEventListener('x', {}); return t.dispatchEvent(new Event('x'))`],
  ['invalid listener', `new EventTarget().addEventListener('x', 5)`],
  ['missing arguments', `new EventTarget().addEventListener('x')`],
  ['invalid signal option', `new EventTarget().addEventListener('x', () => {}, { signal: 1 })`],
  ['dispatch a non-event', `new EventTarget().dispatchEvent({ type: 'x' })`],
  ['dispatch an event twice at once', `const t = new EventTarget(); const e = new Event('x'); let error
    t.addEventListener('x', () => { try { t.dispatchEvent(e) } catch (err) { error = err } }); t.dispatchEvent(e); throw error`],
  ['an event can be dispatched again later', `const t = new EventTarget(); let n = 0; t.addEventListener('x', () => n++); const e = new Event('x'); t.dispatchEvent(e); t.dispatchEvent(e); return n`],
  ['subclass', `class Bus extends EventTarget {}; const b = new Bus(); let got; b.addEventListener('m', (e) => { got = e.detail }); b.dispatchEvent(new CustomEvent('m', { detail: 42 })); return [got, b instanceof EventTarget]`],
])

section('AbortController', [
  ['abort with the default reason', `const c = new AbortController(); const log = []
    c.signal.addEventListener('abort', (e) => log.push(['listener', e.type, e.isTrusted, e instanceof Event, c.signal.aborted]))
    c.signal.onabort = (e) => log.push(['onabort', e.type])
    c.abort(); c.abort('again')
    return [log, c.signal.aborted, c.signal.reason.name, c.signal.reason.message, c.signal.reason.code, c.signal.reason instanceof DOMException]`],
  ['abort with a reason', `const c = new AbortController(); c.abort({ why: 1 }); return c.signal.reason`],
  ['abort with undefined gives the default', `const c = new AbortController(); c.abort(undefined); return c.signal.reason.name`],
  ['onabort', `const c = new AbortController(); const s = c.signal; const before = s.onabort; const f = () => {}; s.onabort = f; const same = s.onabort === f; s.onabort = 5; return [before, same, s.onabort]`],
  ['throwIfAborted', `new AbortController().signal.throwIfAborted(); const c = new AbortController(); c.abort(new TypeError('stop')); c.signal.throwIfAborted()`],
  ['AbortSignal.abort()', `const s = AbortSignal.abort(); return [s.aborted, s.reason.name, AbortSignal.abort('r').reason]`],
  ['AbortSignal.timeout fires a TimeoutError', `const s = AbortSignal.timeout(5); const before = s.aborted
    await new Promise((resolve) => s.addEventListener('abort', resolve)); return [before, s.aborted, s.reason.name, s.reason.message, s.reason.code]`],
  ['AbortSignal.timeout argument errors', `const out = []; for (const v of [-1, 'x', 1.5, 2 ** 33]) { try { AbortSignal.timeout(v) } catch (e) { out.push([e.name, e.code, e.message]) } } return out`],
  ['AbortSignal.any follows the first abort', `const a = new AbortController(); const b = new AbortController(); const s = AbortSignal.any([a.signal, b.signal]); const log = []
    s.addEventListener('abort', () => log.push(['any', s.reason])); a.signal.addEventListener('abort', () => log.push(['a', s.aborted]))
    b.abort('B'); a.abort('A'); return [log, s.aborted, s.reason]`],
  ['AbortSignal.any of an aborted signal', `const s = AbortSignal.any([new AbortController().signal, AbortSignal.abort('x')]); return [s.aborted, s.reason]`],
  ['AbortSignal.any of any()', `const a = new AbortController(); const inner = AbortSignal.any([a.signal]); const outer = AbortSignal.any([inner]); a.abort('deep'); return [inner.reason, outer.reason]`],
  ['AbortSignal.any with a timeout', `const s = AbortSignal.any([new AbortController().signal, AbortSignal.timeout(5)]); await new Promise((r) => { s.onabort = r }); return s.reason.name`],
  ['AbortSignal.any errors', `const out = []; for (const v of [5, [5], [{ aborted: false }]]) { try { AbortSignal.any(v) } catch (e) { out.push([e.name, e.code, e.message]) } } return out`],
  ['no constructor', `new AbortSignal()`],
  ['instances', `const c = new AbortController(); return [c.signal instanceof AbortSignal, c.signal instanceof EventTarget, Object.prototype.toString.call(c.signal), Object.prototype.toString.call(c)]`],
  ['prototype names', `return [Object.getOwnPropertyNames(AbortSignal.prototype).sort(), Object.getOwnPropertyNames(AbortSignal).sort(), Object.getOwnPropertyNames(AbortController.prototype).sort()]`],
])

section('streams', [
  ['ReadableStream read', `const s = new ReadableStream({ start(c) { c.enqueue('a'); c.enqueue('b'); c.close() } }); const r = s.getReader(); const out = []
    for (;;) { const { done, value } = await r.read(); if (done) break; out.push(value) } return [out, s.locked, r instanceof ReadableStreamDefaultReader]`],
  ['async iteration', `const s = new ReadableStream({ start(c) { for (const x of [1, 2, 3]) c.enqueue(x); c.close() } }); const out = []; for await (const x of s) out.push(x); return out`],
  ['ReadableStream.from', `const out = []; for await (const x of ReadableStream.from((async function* () { yield 'x'; yield 'y' })())) out.push(x); return out`],
  ['tee', `const [a, b] = new ReadableStream({ start(c) { c.enqueue(1); c.close() } }).tee(); return [await a.getReader().read(), await b.getReader().read()]`],
  ['pipeThrough a TransformStream', `const t = new TransformStream({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()) } })
    const out = []; for await (const x of ReadableStream.from(['a', 'b']).pipeThrough(t)) out.push(x); return out`],
  ['pipeTo a WritableStream', `const got = []; await ReadableStream.from([1, 2]).pipeTo(new WritableStream({ write(x) { got.push(x) } })); return got`],
  ['WritableStream writer', `const got = []; const w = new WritableStream({ write(x) { got.push(x) }, close() { got.push('closed') } }); const writer = w.getWriter()
    await writer.write('a'); await writer.close(); return [got, w.locked, writer instanceof WritableStreamDefaultWriter]`],
  ['queuing strategies', `const b = new ByteLengthQueuingStrategy({ highWaterMark: 16 }); const c = new CountQueuingStrategy({ highWaterMark: 2 }); return [b.highWaterMark, b.size(new Uint8Array(5)), c.highWaterMark, c.size()]`],
  ['desiredSize and backpressure', `let controller; new ReadableStream({ start(c) { controller = c } }, new CountQueuingStrategy({ highWaterMark: 2 })); const before = controller.desiredSize; controller.enqueue(1); return [before, controller.desiredSize]`],
  ['byte stream with a BYOB reader', `const s = new ReadableStream({ type: 'bytes', pull(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.close() } }); const r = s.getReader({ mode: 'byob' }); const { value } = await r.read(new Uint8Array(8)); return [value, r instanceof ReadableStreamBYOBReader]`],
  ['errored stream rejects reads', `const s = new ReadableStream({ start(c) { c.error(new TypeError('bad')) } }); await s.getReader().read()`],
  ['cancel', `let reason; const s = new ReadableStream({ cancel(r) { reason = r } }); await s.cancel('why'); return reason`],
  ['TextEncoderStream joins a surrogate pair split across chunks', `const out = []; for await (const x of ReadableStream.from(['a\\ud83d', '\\ude00b', '\\ud800']).pipeThrough(new TextEncoderStream())) out.push(x); return out`],
  ['TextDecoderStream decodes characters split across chunks', `const bytes = new TextEncoder().encode('é€😀'); const chunks = Array.from(bytes, (b) => new Uint8Array([b]))
    let s = ''; for await (const x of ReadableStream.from(chunks).pipeThrough(new TextDecoderStream())) s += x; return s`],
  ['TextDecoderStream options', `const d = new TextDecoderStream('utf-16le', { fatal: true, ignoreBOM: true }); return [d.encoding, d.fatal, d.ignoreBOM, new TextEncoderStream().encoding]`],
  ['TextDecoderStream fatal error', `for await (const x of ReadableStream.from([new Uint8Array([0xff])]).pipeThrough(new TextDecoderStream('utf-8', { fatal: true }))) {}`],
  ['TextDecoderStream bad label', `new TextDecoderStream('nope')`],
], {})

section('Blob', [
  ['parts', `const b = new Blob(['a', new Uint8Array([98]), new Uint16Array([0x6463]).buffer, new Blob(['e']), 5, new DataView(new Uint8Array([102]).buffer)]); return [b.size, await b.text()]`],
  ['type is lowercased or dropped', `return [new Blob([], { type: 'Text/Plain' }).type, new Blob([], { type: 'a\\u00e9' }).type, new Blob([]).type]`],
  ['UTF-8 and lone surrogates', `return Array.from(await new Blob(['é\\ud800']).bytes())`],
  ['endings', `return [await new Blob(['a\\r\\nb\\nc\\r'], { endings: 'native' }).text(), await new Blob(['a\\r\\nb'], { endings: 'transparent' }).text()]`],
  ['bad endings', `new Blob([], { endings: 'nope' })`],
  ['slice', `const b = new Blob(['hello world'], { type: 'text/plain' })
    return [await b.slice(6).text(), await b.slice(-5, -1).text(), await b.slice(3, 1).text(), b.slice(0, 2, 'X/Y').type, b.slice().type, b.slice(0, 99).size]`],
  ['arrayBuffer and bytes', `const b = new Blob([new Uint8Array([1, 2, 3])]); return [await b.arrayBuffer(), await b.bytes()]`],
  ['text strips a BOM', `return new Blob([new Uint8Array([0xef, 0xbb, 0xbf, 0x41])]).text()`],
  ['stream', `const r = new Blob(['abc']).stream().getReader(); const first = await r.read(); return [first.value, (await r.read()).done]`],
  ['sources must be a sequence', `new Blob('x')`],
  ['null sources', `new Blob(null)`],
  ['bytes are copied', `const a = new Uint8Array([1]); const b = new Blob([a]); a[0] = 9; return b.bytes()`],
  ['File', `const f = new File(['ab'], 'n.txt', { type: 'text/plain', lastModified: 42 }); return [f.name, f.size, f.type, f.lastModified, f instanceof Blob, Object.prototype.toString.call(f)]`],
  ['File lastModified conversions', `return [new File([], 'a', { lastModified: '7' }).lastModified, new File([], 'a', { lastModified: 'x' }).lastModified]`],
  ['File needs a name', `new File(['x'])`],
])

section('Headers', [
  ['sorted, combined, set-cookie apart', `const h = new Headers([['b', '1'], ['a', '2'], ['B', '3'], ['set-cookie', 'c1'], ['Set-Cookie', 'c2'], ['x', ' sp  ']]); return [[...h], h.get('set-cookie'), h.getSetCookie(), h.get('b'), h.get('x')]`],
  ['cookie joins with semicolons', `const h = new Headers(); h.append('cookie', 'a=1'); h.append('Cookie', 'b=2'); return h.get('cookie')`],
  ['record init', `return [...new Headers({ 'Content-Type': 'text/plain', Accept: 1 })]`],
  ['Headers and Map init', `return [[...new Headers(new Headers({ a: '1' }))], [...new Headers(new Map([['b', '2']]))]]`],
  ['set, delete, has', `const h = new Headers({ a: '1' }); h.set('A', '2'); h.append('set-cookie', 'x'); h.set('set-cookie', 'y'); const had = h.has('SET-COOKIE'); h.delete('set-cookie'); return [[...h], had, h.has('set-cookie'), h.getSetCookie(), h.get('nope')]`],
  ['forEach', `const h = new Headers({ b: '2', a: '1' }); const out = []; h.forEach(function (v, k, o) { out.push([k, v, o === h, this]) }, 'thisArg'); return out`],
  ['keys and values', `const h = new Headers({ b: '2', a: '1' }); return [[...h.keys()], [...h.values()], h[Symbol.iterator] === h.entries]`],
  ['iterators are live', `const h = new Headers({ a: '1', c: '3' }); const it = h.entries(); const first = it.next(); h.append('b', '2'); return [first, it.next(), it.next(), it.next(), Object.prototype.toString.call(it)]`],
  ['invalid name', `new Headers({ 'a b': '1' })`],
  ['invalid value', `new Headers({ a: '1\\n2' })`],
  ['value above 0xFF', `new Headers({ a: '€' })`],
  ['wrong pair length', `new Headers([['a']])`],
  ['not an object', `new Headers(5)`],
  ['null', `new Headers(null)`],
  ['append arguments', `new Headers().append('a')`],
  ['get with an invalid name', `new Headers().get('a b')`],
  ['set with an invalid value', `new Headers().set('a', '\\0')`],
  ['symbol keys', `new Headers({ [Symbol('s')]: '1' })`],
  ['immutable', `Response.error().headers.set('a', 'b')`],
  ['prototype names', `return Object.getOwnPropertyNames(Headers.prototype).sort()`],
])

section('FormData', [
  ['append, get, getAll, has, delete', `const f = new FormData(); f.append('a', '1'); f.append('a', '2'); f.append('b', '3'); const before = [f.get('a'), f.getAll('a'), f.has('b'), f.get('zz')]; f.delete('a'); return [before, [...f]]`],
  ['set replaces the first and drops the rest', `const f = new FormData(); f.append('a', '1'); f.append('b', '2'); f.append('a', '3'); f.set('a', '4'); return [...f]`],
  ['Blob values become Files', `const f = new FormData(); f.append('b', new Blob(['xy'], { type: 'text/x' })); f.append('n', new Blob(['z']), 'named.txt'); f.append('f', new File(['q'], 'orig.txt', { lastModified: 5 }))
    return [...f].map(([k, v]) => [k, v instanceof File, v.name, v.type, v.size])`],
  ['values are strings', `const f = new FormData(); f.append('a', 1); f.append('b', { toString: () => 'obj' }); f.append('c', '\\ud800'); return [...f]`],
  ['keys, values, forEach', `const f = new FormData(); f.append('a', '1'); f.append('b', '2'); const out = []; f.forEach((v, k) => out.push(k + v)); return [[...f.keys()], [...f.values()], out]`],
  ['constructor argument', `new FormData(5)`],
  ['append arguments', `new FormData().append('a')`],
  ['filename needs a Blob', `new FormData().append('a', 'b', 'c')`],
  ['prototype names', `return Object.getOwnPropertyNames(FormData.prototype).sort()`],
])

section('Request', [
  ['defaults', `const r = new Request('https://example.com/a/../b?x=1#f'); return [r.method, r.url, [...r.headers], r.destination, r.referrer, r.referrerPolicy, r.mode, r.credentials, r.cache, r.redirect, r.integrity, r.keepalive, r.isReloadNavigation, r.isHistoryNavigation, r.duplex, r.body, r.bodyUsed, r.signal.aborted]`],
  ['method normalisation', `return ['get', 'pOsT', 'delete', 'options', 'head', 'put', 'patch', 'Custom'].map((method) => new Request('http://x/', { method }).method)`],
  ['forbidden method', `new Request('http://x/', { method: 'trace' })`],
  ['invalid method', `new Request('http://x/', { method: 'bad method' })`],
  ['relative URL', `try { new Request('/x') } catch (e) { return [e.name, e.message, e.cause instanceof TypeError] }`],
  ['URL with credentials', `new Request('http://u:p@x/')`],
  ['GET with a body', `new Request('http://x/', { body: 'a' })`],
  ['no arguments', `new Request()`],
  ['init must be an object', `new Request('http://x/', 5)`],
  ['redirect enum', `new Request('http://x/', { redirect: 'x' })`],
  ['navigate mode', `new Request('http://x/', { mode: 'navigate' })`],
  ['only-if-cached', `new Request('http://x/', { cache: 'only-if-cached' })`],
  ['window', `new Request('http://x/', { window: 1 })`],
  ['options', `const r = new Request('http://x/', { method: 'POST', body: 'b', mode: 'same-origin', credentials: 'include', cache: 'no-store', redirect: 'manual', integrity: 'sha256-x', keepalive: true, referrerPolicy: 'origin', referrer: 'https://ref.example/p' })
    return [r.mode, r.credentials, r.cache, r.redirect, r.integrity, r.keepalive, r.referrerPolicy, r.referrer]`],
  ['empty referrer', `return [new Request('http://x/', { referrer: '' }).referrer, new Request('http://x/', { referrer: 'about:client' }).referrer]`],
  ['body kinds and their content types', `const kinds = ['text', new Uint8Array([1]), new URLSearchParams('a=1&b=2'), new Blob(['b'], { type: 'A/B' }), new Blob(['b'])]
    return Promise.all(kinds.map(async (body) => { const r = new Request('http://x/', { method: 'POST', body }); return [r.headers.get('content-type'), await r.text()] }))`],
  ['an explicit content type wins', `return new Request('http://x/', { method: 'POST', body: 'x', headers: { 'Content-Type': 'application/json' } }).headers.get('content-type')`],
  ['stream body needs duplex', `new Request('http://x/', { method: 'POST', body: new ReadableStream() })`],
  ['stream body with duplex', `const r = new Request('http://x/', { method: 'POST', body: ReadableStream.from([new Uint8Array([104, 105])]), duplex: 'half' }); return [r.headers.get('content-type'), await r.text()]`],
  ['signal follows init.signal', `const c = new AbortController(); const r = new Request('http://x/', { signal: c.signal }); const same = r.signal === c.signal; c.abort('stop'); return [same, r.signal.aborted, r.signal.reason]`],
  ['signal of an aborted init.signal', `const r = new Request('http://x/', { signal: AbortSignal.abort('early') }); return [r.signal.aborted, r.signal.reason]`],
  ['signal read after the abort', `const c = new AbortController(); const r = new Request('http://x/', { signal: c.signal }); c.abort('late'); return [r.signal.aborted, r.signal.reason]`],
  ['invalid signal', `new Request('http://x/', { signal: 5 })`],
  ['a Request as input takes its body', `const a = new Request('http://x/p', { method: 'POST', body: 'payload', headers: { 'x-a': '1' } }); const b = new Request(a); return [b.method, b.url, [...b.headers], a.bodyUsed, await b.text()]`],
  ['a used Request cannot be input', `const a = new Request('http://x/', { method: 'POST', body: 'p' }); await a.text(); new Request(a)`],
  ['a Request as input with a new method', `const a = new Request('http://x/', { method: 'POST', body: 'p' }); new Request(a, { method: 'GET' })`],
  ['signal of a Request made from a Request', `const c = new AbortController(); const a = new Request('http://x/', { signal: c.signal }); const b = new Request(a); c.abort('both'); return [a.signal.reason, b.signal.reason]`],
  ['clone', `const a = new Request('http://x/', { method: 'PUT', body: 'data', headers: { 'x-y': 'z' } }); const b = a.clone(); return [await a.text(), await b.text(), b.method, [...b.headers], b.headers === a.headers]`],
  ['clone of a used Request', `const a = new Request('http://x/', { method: 'POST', body: 'p' }); await a.text(); a.clone()`],
  ['bodyUsed and a second read', `const a = new Request('http://x/', { method: 'POST', body: 'p' }); const before = a.bodyUsed; await a.text(); return [before, a.bodyUsed, await a.text().catch((e) => e.message)]`],
  ['body methods', `const r = () => new Request('http://x/', { method: 'POST', body: '{"a":[1]}' }); return [await r().json(), await r().arrayBuffer(), await r().bytes(), await r().blob()]`],
  ['prototype names', `return Object.getOwnPropertyNames(Request.prototype).filter((n) => n !== 'attribute').sort()`],
])

section('Response', [
  ['defaults', `const r = new Response(); return [r.status, r.statusText, r.ok, r.type, r.url, r.redirected, r.body, r.bodyUsed, [...r.headers]]`],
  ['string body', `const r = new Response('hi', { status: 201, statusText: 'Created', headers: { 'X-A': '1' } }); return [r.status, r.statusText, r.ok, [...r.headers], await r.text(), r.bodyUsed]`],
  ['empty string body is not null', `return new Response('').body === null`],
  ['status range', `new Response('x', { status: 99 })`],
  ['status conversion', `return [new Response('x', { status: '201' }).status, new Response('x', { status: 65736 }).status]`],
  ['null body status with a body', `new Response('x', { status: 204 })`],
  ['null body status without a body', `return [new Response(null, { status: 204 }).status, new Response(undefined, { status: 304 }).body]`],
  ['invalid statusText', `new Response('x', { statusText: 'a\\n' })`],
  ['init must be an object', `new Response('x', 5)`],
  ['a Response as init', `const a = new Response('a', { status: 202, statusText: 'Acc', headers: { 'x-h': 'v' } }); const b = new Response('b', a); return [b.status, b.statusText, [...b.headers]]`],
  ['Response.json', `const r = Response.json({ a: [1, 'x'] }, { status: 201, headers: { 'x-a': '1' } }); return [r.status, [...r.headers], await r.json()]`],
  ['Response.json keeps a given content type', `return Response.json(1, { headers: { 'content-type': 'x/y' } }).headers.get('content-type')`],
  ['Response.json of undefined', `Response.json(undefined)`],
  ['Response.json of a BigInt', `Response.json(1n)`],
  ['Response.error', `const r = Response.error(); return [r.type, r.status, r.ok, r.statusText, r.body, [...r.headers]]`],
  ['Response.redirect', `const r = Response.redirect('http://x/a b', 301); return [r.status, r.headers.get('location'), r.body, r.type]`],
  ['Response.redirect default status', `return Response.redirect('http://x/').status`],
  ['Response.redirect status check', `Response.redirect('http://x/', 200)`],
  ['Response.redirect relative URL', `try { Response.redirect('/x') } catch (e) { return [e.name, e.message, e.cause instanceof TypeError] }`],
  ['body kinds', `const kinds = [new Uint8Array([104, 105]), new Uint16Array([0x6968]).buffer, new Blob(['hi'], { type: 'text/x' }), new URLSearchParams('q=1 2'), 42, { toString: () => 'obj' }]
    return Promise.all(kinds.map(async (body) => { const r = new Response(body); return [r.headers.get('content-type'), await r.text()] }))`],
  ['async iterable body', `const r = new Response((async function* () { yield new Uint8Array([97]); yield new Uint8Array([98]) })()); return r.text()`],
  ['stream body', `const r = new Response(ReadableStream.from([new Uint8Array([111, 107])])); return [r.headers.get('content-type'), await r.text()]`],
  ['a locked stream is refused', `const s = new ReadableStream(); s.getReader(); new Response(s)`],
  ['the stream is the body', `const s = new ReadableStream(); return new Response(s).body === s`],
  ['reading twice', `const r = new Response('x'); await r.text(); await r.text()`],
  ['reading after the body was taken', `const r = new Response('x'); r.body.getReader(); await r.text()`],
  ['bodyUsed after reading the stream', `const r = new Response('abc'); const reader = r.body.getReader(); const before = r.bodyUsed; const chunk = await reader.read(); return [before, r.bodyUsed, chunk.value, r.body.locked]`],
  ['body after text()', `const r = new Response('abc'); await r.text(); const b = r.body; return [b === null, b.locked, r.bodyUsed]`],
  ['body stream is a byte stream', `const r = new Response('abc'); const reader = r.body.getReader({ mode: 'byob' }); const { value } = await reader.read(new Uint8Array(2)); return value`],
  ['body stream of an empty body', `const r = new Response(''); return r.body.getReader().read()`],
  ['clone before reading', `const a = new Response('data', { status: 203, headers: { 'x-a': '1' } }); const b = a.clone(); return [await a.text(), await b.text(), b.status, [...b.headers], a.bodyUsed, b.bodyUsed]`],
  ['clone after the stream was read from', `const a = new Response('data'); const s = a.body; const b = a.clone(); return [await b.text(), await a.text()]`],
  ['clone of a used Response', `const r = new Response('x'); await r.text(); r.clone()`],
  ['clone of a stream body tees it', `const a = new Response(ReadableStream.from([new Uint8Array([49]), new Uint8Array([50])])); const b = a.clone(); return [await a.text(), await b.text()]`],
  ['json, arrayBuffer, bytes', `return [await new Response('{"a":1}').json(), await new Response('ab').arrayBuffer(), await new Response('ab').bytes()]`],
  ['blob type from the content type', `return [await new Response('x', { headers: { 'content-type': 'Text/Plain; Charset="utf-8"; a=b' } }).blob(), await new Response('x').blob(), await new Response(new Uint8Array([1])).blob()]`],
  ['formData from urlencoded', `const f = await new Response('a=1&b=x+y&a=%C3%A9', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }).formData(); return [...f]`],
  ['formData of an unsupported type', `await new Response('a=1', { headers: { 'content-type': 'text/plain' } }).formData()`],
  ['multipart/form-data serialisation', `const f = new FormData(); f.append('a', 'b\\nc'); f.append('q"\\r', new Blob(['xyz'], { type: 'text/x' }), 'n"a.txt'); f.append('g', new Blob(['q'])); f.append('é', 'ü')
    const r = new Response(f); const type = r.headers.get('content-type'); const boundary = type.split('boundary=')[1]
    return [type.replace(boundary, 'BOUNDARY'), /^----formdata-undici-0\\d{11}$/.test(boundary), (await r.text()).split(boundary).join('BOUNDARY')]`],
  ['multipart/form-data round trip', `const f = new FormData(); f.append('a', 'b\\nc'); f.append('file', new File([new Uint8Array([0, 255, 13, 10])], 'bin.dat', { type: 'application/x-bin' })); f.append('é', 'ü')
    const sent = new Response(f); const back = await new Response(await sent.arrayBuffer(), { headers: { 'content-type': sent.headers.get('content-type') } }).formData()
    return Promise.all([...back].map(async ([k, v]) => [k, typeof v === 'string' ? v : [v.name, v.type, Array.from(await v.bytes())]]))`],
  ['multipart/form-data parsing', `const body = '\\r\\n--XyZ\\r\\nContent-Disposition: form-data; name="t"\\r\\n\\r\\n\\ufeffhello\\r\\n--XyZ\\r\\nContent-Disposition: form-data; name="f"; filename="a%22.txt"\\r\\n\\r\\nfile body\\r\\n--XyZ\\r\\nContent-Disposition: form-data; name="b"; filename="b.bin"\\r\\nContent-Type: application/octet-stream\\r\\nContent-Transfer-Encoding: base64\\r\\n\\r\\nAAEC\\\r\\\n--XyZ--\\\r\\\n\\\r\\\n'
    const f = await new Response(body, { headers: { 'content-type': 'multipart/form-data; boundary=XyZ' } }).formData()
    return Promise.all([...f].map(async ([k, v]) => [k, typeof v === 'string' ? v : [v.name, v.type, Array.from(await v.bytes())]]))`],
  ['multipart/form-data with filename* (refused by Node 20)', `const body = '--XyZ\\r\\nContent-Disposition: form-data; name="t"\\r\\n\\r\\nhello\\r\\n--XyZ\\r\\nContent-Disposition: form-data; name="f"; filename="a.txt"\\r\\n\\r\\nfile body\\r\\n--XyZ\\r\\nContent-Disposition: form-data; name="u"; filename="x"; filename*=utf-8\\'\\'%C3%A9.txt\\r\\nContent-Type: text/csv\\r\\n\\r\\n1,2\\r\\n--XyZ--\\r\\n'
    const f = await new Response(body, { headers: { 'content-type': 'multipart/form-data; boundary=XyZ' } }).formData()
    return Promise.all([...f].map(async ([k, v]) => [k, typeof v === 'string' ? v : [v.name, v.type, await v.text()]]))`],
  ['multipart/form-data without a boundary', `await new Response('x', { headers: { 'content-type': 'multipart/form-data' } }).formData()`],
  ['multipart/form-data malformed', `await new Response('--b\\r\\nnope\\r\\n', { headers: { 'content-type': 'multipart/form-data; boundary=b' } }).formData()`],
  ['prototype names', `return [Object.getOwnPropertyNames(Response.prototype).sort(), Object.getOwnPropertyNames(Response).sort()]`],
])

// Messages the engines word differently (V8's JSON.parse, the streams polyfill's own): names only.
section('errors worded by the engine', [
  ['json syntax error', `await new Response('{').json()`],
  ['locked stream', `const s = new ReadableStream(); s.getReader(); s.getReader()`],
], { errorNameOnly: true })

section('structuredClone', [
  ['of a Blob and a File', `const [b, f] = structuredClone([new Blob(['ab'], { type: 'text/x' }), new File(['c'], 'n', { lastModified: 1 })]); return [b, await b.text(), f, f instanceof File]`],
  ['of Headers, Request, Response, FormData, signals, events', `return [new Headers({ a: '1' }), new Response('x'), new Request('http://x/'), new FormData(), new AbortController().signal, new Event('x'), new EventTarget()].map((v) => structuredClone(v))`],
])

// util.inspect / console.log renderings: each case returns the arguments of one console.log call.
section(
  'console.log',
  [
    ['Headers', `return [new Headers({ 'Content-Type': 'text/plain', 'set-cookie': 'a' }), new Headers()]`],
    ['Response', `return [new Response('x', { status: 201, headers: { 'x-a': '1' } })]`],
    ['Response without a body', `return [new Response(null, { status: 204 })]`],
    ['Headers copied from Headers keep their names', `return [new Headers(new Headers({ 'X-Mixed': '1', 'set-cookie': 'a' })), new Response('b', new Response('a', { headers: { 'X-Up': '1' } })).headers]`],
    ['Request', `return [new Request('https://example.com/p', { method: 'POST', body: 'b' })]`],
    ['nested in an object', `return [{ res: new Response('x') }]`],
    ['Blob and File', `return [new Blob(['ab'], { type: 'text/plain' }), new File(['a'], 'n.txt', { lastModified: 5 })]`],
    ['FormData', `const f = new FormData(); f.append('a', '1'); f.append('a', '2'); f.append('b', '3'); return [f, new FormData()]`],
    ['AbortController and AbortSignal', `const c = new AbortController(); return [c, AbortSignal.abort(), [c.signal]]`],
    ['EventTarget', `return [new EventTarget()]`],
    ['streams', `return [new ReadableStream(), new WritableStream(), new TransformStream(), new Response('x').body]`],
    ['text streams', `return [new TextEncoderStream(), new TextDecoderStream()]`],
    ['DOMException message line', `return [String(new DOMException('gone', 'NotFoundError'))]`],
  ],
  { log: true },
)

/** Documented deviations from Node 20, asserted as the guest's behaviour (the comment says where each is documented). */
const guestOnly: Array<{ name: string; code: string; expected: unknown }> = [
  // web/dom-exception.ts: a class extending Error (Node's is not), so structuredClone copies it as an Error (message and name are
  // prototype getters, so the copy has neither); Node 20 gives {}.
  { name: 'structuredClone of a DOMException', code: `const e = structuredClone(new DOMException('m', 'AbortError')); return [e instanceof Error, e.message]`, expected: { value: [true, ''] } },
]

const runnerSource = `${HARNESS}
export const handler = async (event) => {
  const results = []
  for (const c of event.cases) {
    if (!c.log) {
      results.push(await run(c.code))
      continue
    }
    let args
    try {
      args = await new AsyncFunction(c.code)()
    } catch (error) {
      args = ['THREW ' + (error && error.name) + ': ' + (error && error.message)]
    }
    console.log(...args)
    results.push(null)
  }
  return results
}
`

const runInNode = new Function(`${HARNESS}; return run`)() as (code: string) => Promise<unknown>
/** Runs a case in Node, keeping the event loop alive meanwhile (AbortSignal.timeout's timer does not). */
async function node(code: string): Promise<unknown> {
  const keepAlive = setInterval(() => {}, 1000)
  try {
    return await runInNode(code)
  } finally {
    clearInterval(keepAlive)
  }
}
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (code: string) => () => Promise<unknown[]>

async function nodeLog(code: string): Promise<string> {
  let args: unknown[]
  try {
    args = await new AsyncFunction(code)()
  } catch (error) {
    args = [`THREW ${(error as Error).name}: ${(error as Error).message}`]
  }
  return format(...args)
}

t.test('compared with Node 20', async (t) => {
  const host = await createHost({ shards: 0 })
  t.teardown(() => host.close())
  await host.deploy({ name: 'web-platform', runtime: 'quickjs', handler: 'index.handler', timeoutMs: 60_000, code: { files: { 'index.mjs': runnerSource } } })
  const all = [...cases, ...guestOnly]
  const result = await host.invoke('web-platform', { cases: all.map(({ code, log }: { code: string; log?: boolean }) => ({ code, log })) })
  if (!result.ok) throw new Error(`invocation failed: ${result.error.errorType}: ${result.error.errorMessage}`)
  const guestResults = result.payload as unknown[]
  const messages = logMessages(result.logs, result.requestId)
  t.equal(guestResults.length, all.length, 'one result per case')
  t.equal(messages.length, cases.filter((c) => c.log).length, 'one log line per console case')
  let line = 0
  for (const [index, c] of cases.entries()) {
    if (c.log) {
      t.equal(messages[line++], await nodeLog(c.code), c.name)
      continue
    }
    const expected = (await node(c.code)) as { threw?: unknown }
    const guest = guestResults[index] as { threw?: unknown }
    if (c.errorNameOnly && 'threw' in expected) t.equal(guest.threw, expected.threw, c.name)
    else t.strictSame(guest, expected, c.name)
  }
  for (const [offset, c] of guestOnly.entries()) t.strictSame(guestResults[cases.length + offset], c.expected, `guest: ${c.name}`)
  t.comment(`${cases.length} cases compared with Node ${process.version}, ${guestOnly.length} documented deviations`)
})

// ── hono behind its AWS Lambda adapter, answering function URL (payload 2.0) events ──────────
const HONO_APP = `
import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'
import { getCookie, setCookie } from 'hono/cookie'

const app = new Hono()
// Runs after the route: hono re-wraps the response (new Response(res.body, res)) to add a header.
app.use('*', async (c, next) => {
  await next()
  c.header('x-powered-by', 'thaw')
})
app.get('/hello/:name', (c) => c.json({ hello: c.req.param('name'), q: c.req.query('q'), agent: c.req.header('user-agent'), cookie: getCookie(c, 'session') }))
app.post('/echo', async (c) => c.json({ got: await c.req.json(), type: c.req.header('content-type'), url: c.req.url }, 201))
app.post('/form', async (c) => {
  const form = await c.req.parseBody()
  return c.text('a=' + form.a + ' b=' + form.b)
})
app.get('/cookies', (c) => {
  setCookie(c, 'one', '1', { path: '/' })
  setCookie(c, 'two', '2', { httpOnly: true })
  return c.text('set')
})
app.get('/bytes', (c) => c.body(new Uint8Array([0, 1, 2, 250]), 200, { 'content-type': 'application/octet-stream' }))
app.get('/redirect', (c) => c.redirect('/hello/there', 301))
app.get('/abort', (c) => c.text(String(c.req.raw.signal.aborted)))
export const handler = handle(app)
`

/**
 * hono's adapter imports node:stream/promises for its streaming handler (streamHandle), which
 * these tests do not use: the stub keeps the bundle independent of that module.
 */
const stubStreamPromises = {
  name: 'stub-stream-promises',
  setup(builder: { onResolve: Function; onLoad: Function }) {
    builder.onResolve({ filter: /^node:stream\/promises$/ }, () => ({ path: 'stream-promises', namespace: 'stub' }))
    builder.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export function pipeline() { throw new Error("not in this test") }', loader: 'js' }))
  },
}

function functionUrlEvent(method: string, rawPath: string, options: { query?: string; body?: string; base64?: boolean; headers?: Record<string, string>; cookies?: string[] } = {}): unknown {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: options.query ?? '',
    ...(options.cookies === undefined ? {} : { cookies: options.cookies }),
    headers: { host: 'abcdefg.lambda-url.us-east-1.on.aws', 'user-agent': 'curl/8.5.0', 'x-forwarded-proto': 'https', ...options.headers },
    ...(options.query === undefined ? {} : { queryStringParameters: Object.fromEntries(new URLSearchParams(options.query)) }),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefg',
      domainName: 'abcdefg.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abcdefg',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'curl/8.5.0' },
      requestId: '3c6f2a5e-0000-4000-8000-000000000000',
      routeKey: '$default',
      stage: '$default',
      time: '23/Nov/2026:01:00:00 +0000',
      timeEpoch: 1795395600000,
    },
    ...(options.body === undefined ? {} : { body: options.body }),
    isBase64Encoded: options.base64 ?? false,
  }
}

const honoEvents: Array<[string, unknown]> = [
  ['GET with a path parameter, query and cookie', functionUrlEvent('GET', '/hello/thaw', { query: 'q=1', cookies: ['session=abc', 'other=x'] })],
  ['POST JSON', functionUrlEvent('POST', '/echo', { body: '{"a":[1,2]}', headers: { 'content-type': 'application/json' } })],
  ['POST base64 JSON', functionUrlEvent('POST', '/echo', { body: Buffer.from('{"b":true}').toString('base64'), base64: true, headers: { 'content-type': 'application/json' } })],
  ['POST urlencoded form', functionUrlEvent('POST', '/form', { body: 'a=1&b=two+words', headers: { 'content-type': 'application/x-www-form-urlencoded' } })],
  ['Set-Cookie headers become cookies', functionUrlEvent('GET', '/cookies')],
  ['binary body is base64-encoded', functionUrlEvent('GET', '/bytes')],
  ['redirect', functionUrlEvent('GET', '/redirect')],
  ['request signal', functionUrlEvent('GET', '/abort')],
  ['not found', functionUrlEvent('GET', '/nope')],
]

async function honoBundle(): Promise<string> {
  const result = await build({
    stdin: { contents: HONO_APP, resolveDir: process.cwd(), loader: 'js', sourcefile: 'app.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    logLevel: 'error',
    plugins: [stubStreamPromises as never],
  })
  return (result.outputFiles[0] as { text: string }).text
}

for (const mode of [coldQuickJs, snapshotQuickJs]) {
  t.test(`hono function URL app (${mode.name})`, async (t) => {
    const bundle = await honoBundle()
    // The same bundle in Node: its results are the expectation.
    const nodeHandler = ((await import(`data:text/javascript;base64,${Buffer.from(bundle).toString('base64')}`)) as { handler: (event: unknown) => Promise<unknown> }).handler
    const host = await hostFor(t, mode)
    const fn = await deployFiles(host, mode, { 'index.mjs': bundle })
    for (const [name, event] of honoEvents) {
      const guest = payloadOf(t, await fn.invoke(event))
      t.strictSame(guest, await nodeHandler(event), name)
    }
    // A few values spelled out, so that a change in both runtimes cannot go unnoticed.
    const hello = payloadOf(t, await fn.invoke(honoEvents[0]?.[1])) as { statusCode: number; headers: Record<string, string>; body: string }
    t.equal(hello.statusCode, 200)
    t.equal(hello.headers['x-powered-by'], 'thaw')
    t.strictSame(JSON.parse(hello.body), { hello: 'thaw', q: '1', agent: 'curl/8.5.0', cookie: 'abc' })
    const cookies = payloadOf(t, await fn.invoke(honoEvents[4]?.[1])) as { cookies: string[] }
    t.strictSame(cookies.cookies, ['one=1; Path=/', 'two=2; Path=/; HttpOnly'])
    const bytes = payloadOf(t, await fn.invoke(honoEvents[5]?.[1])) as { body: string; isBase64Encoded: boolean }
    t.strictSame([bytes.body, bytes.isBase64Encoded], ['AAEC+g==', true])
  })
}

// ── environments restored from a snapshot ─────────────────────────────────────────────────────
t.test('web platform objects made during INIT work after a restore', async (t) => {
  const mode: ConformanceMode = snapshotQuickJs
  const host = await hostFor(t, mode)
  const fn = await deployFiles(host, mode, {
    'index.mjs': `
      // Made during INIT, so they are in the snapshot (with the chunks they loaded).
      const controller = new AbortController()
      const aborted = new Promise((resolve) => controller.signal.addEventListener('abort', () => resolve(controller.signal.reason)))
      const pending = new Response('kept in the snapshot', { headers: { 'x-init': '1' } })
      const streamed = new Response(ReadableStream.from(['a', 'b']).pipeThrough(new TextEncoderStream()))
      const template = new Request('https://example.com/api', { method: 'POST', body: 'init body' })
      const blob = new Blob(['blob from init'], { type: 'text/plain' })
      export const handler = async (event) => {
        const results = { first: event.first }
        if (event.first) {
          controller.abort('after restore')
          results.reason = await aborted
          results.pending = [await pending.text(), pending.headers.get('x-init')]
          results.streamed = await streamed.text()
          results.request = await template.clone().text()
          results.blob = await blob.text()
        }
        // Fresh objects in the restored environment.
        const timeout = AbortSignal.timeout(5)
        results.timeout = await new Promise((resolve) => timeout.addEventListener('abort', () => resolve(timeout.reason.name)))
        const form = new FormData()
        form.append('k', 'v')
        results.form = [...(await new Response(form).formData())]
        results.headers = [...new Headers({ b: '2', a: '1' })]
        return results
      }
    `,
  })
  t.strictSame(payloadOf(t, await fn.invoke({ first: true })), {
    first: true,
    reason: 'after restore',
    pending: ['kept in the snapshot', '1'],
    streamed: 'ab',
    request: 'init body',
    blob: 'blob from init',
    timeout: 'TimeoutError',
    form: [['k', 'v']],
    headers: [['a', '1'], ['b', '2']],
  })
  t.strictSame(payloadOf(t, await fn.invoke({ first: false })), {
    first: false,
    timeout: 'TimeoutError',
    form: [['k', 'v']],
    headers: [['a', '1'], ['b', '2']],
  })
})

// ── what each chunk pulls in ──────────────────────────────────────────────────────────────────
t.test('streams are not installed for handlers that do not use them', async (t) => {
  const host = await hostFor(t, coldQuickJs)
  const fn = await deployFiles(host, coldQuickJs, {
    'index.mjs': `
      // Until a chunk installs a global, the global is the lazy accessor the runtime defined.
      const lazy = (name) => typeof Object.getOwnPropertyDescriptor(globalThis, name).get === 'function'
      export const handler = async () => {
        const controller = new AbortController()
        controller.abort()
        const afterAbort = [lazy('AbortController'), lazy('ReadableStream'), lazy('Response')]
        const text = await new Response('x').text()
        const afterResponse = [lazy('Response'), lazy('ReadableStream')]
        return { afterAbort, text, afterResponse }
      }
    `,
  })
  t.strictSame(payloadOf(t, await fn.invoke({})), { afterAbort: [false, true, true], text: 'x', afterResponse: [false, true] })
})

t.test('an exception in a listener is uncaught, after the other listeners ran (as in Node)', async (t) => {
  const host = await hostFor(t, coldQuickJs)
  const fn = await deployFiles(host, coldQuickJs, {
    'index.mjs': `
      export const handler = async () => {
        const target = new EventTarget()
        target.addEventListener('x', () => { throw new RangeError('listener failed') })
        target.addEventListener('x', () => console.log('second listener ran'))
        target.dispatchEvent(new Event('x'))
        await new Promise((resolve) => setTimeout(resolve, 50))
        return 'not reached'
      }
    `,
  })
  const result = await fn.invoke({})
  t.equal(result.ok, false)
  if (!result.ok) t.strictSame([result.error.errorType, result.error.errorMessage], ['RangeError', 'listener failed'])
  t.match(result.logs, /second listener ran/)
  t.match(result.logs, /Uncaught Exception/)
})
