/**
 * `Headers` (Fetch Standard) with undici's behaviour and messages, as in Node 20: names are
 * case-insensitive and validated as tokens, values normalised (surrounding HTTP whitespace
 * dropped) and refused with NUL, CR or LF; appending combines values with ', ' ('; ' for
 * `cookie`) while `set-cookie` values stay apart (`getSetCookie()`); iteration is sorted by
 * lowercased name and live (an iterator sees later changes), each set-cookie on its own; the
 * 'immutable' guard (Response.error(), redirect()) refuses changes with TypeError('immutable').
 * Forbidden header names are not enforced, as in Node (a server-side fetch sends what it is given).
 */
import { TOKEN } from './mime.js'
import { brand, inspectFlat } from './inspect.js'
import { iteratorFactory } from './iterators.js'
import { argumentCount, byteString, failure } from './webidl.js'

export type HeadersGuard = 'none' | 'request' | 'response' | 'immutable'

type HeadersInit = Iterable<Iterable<unknown>> | Record<string, unknown>
type Entry = [name: string, value: string]

const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g
const INVALID_VALUE = /[\0\r\n]/

function checkName(name: string, context: string): void {
  if (!TOKEN.test(name)) throw failure(context, `"${name}" is an invalid header name.`)
}

/** Checks the name, then the value after normalising it (undici's order); returns that value. */
function checkHeader(name: string, value: string, context: string): string {
  const normalized = value.replace(EDGE_WHITESPACE, '')
  checkName(name, context)
  if (INVALID_VALUE.test(normalized)) throw failure(context, `"${normalized}" is an invalid header value.`)
  return normalized
}

const headersIterator = iteratorFactory('Headers')

export let headersGuard: (headers: Headers, guard: HeadersGuard) => void
/** Appends without validation (values the host already checked, or the runtime's own). */
export let appendHeader: (headers: Headers, name: string, value: string) => void
/** The combined value of a lowercased name, without the method's checks. */
export let headerValue: (headers: Headers, lowercaseName: string) => string | null
/** A copy (same entries, same guard) for clone(). */
export let copyHeaders: (headers: Headers, guard?: HeadersGuard) => Headers
/** The entries in insertion order, original name case, as undici shows them in util.inspect. */
let inspectEntries: (headers: Headers) => Record<string, string>

export class Headers {
  #map = new Map<string, { name: string; value: string }>()
  #cookies: string[] | null = null
  #guard: HeadersGuard = 'none'
  #sorted: Entry[] | null = null

  static {
    headersGuard = (headers, guard) => {
      headers.#guard = guard
    }
    appendHeader = (headers, name, value) => headers.#append(name, value)
    headerValue = (headers, name) => headers.#map.get(name)?.value ?? null
    copyHeaders = (headers, guard = headers.#guard) => {
      const copy = new Headers()
      for (const [key, entry] of headers.#map) copy.#map.set(key, { ...entry })
      copy.#cookies = headers.#cookies === null ? null : [...headers.#cookies]
      copy.#guard = guard
      return copy
    }
    inspectEntries = (headers) => {
      const entries: Record<string, string> = {}
      for (const { name, value } of headers.#map.values()) entries[name] = value
      return entries
    }
  }

  constructor(init: HeadersInit | undefined = undefined) {
    if (init === undefined) return
    if (init === null || (typeof init !== 'object' && typeof init !== 'function')) {
      throw failure('Headers constructor', 'Argument 1 could not be converted to one of: sequence<sequence<ByteString>>, record<ByteString, ByteString>.')
    }
    if (#map in init) {
      // Another Headers: its list as it is (names keep their case), as undici copies it.
      for (const [key, entry] of init.#map) this.#map.set(key, { ...entry })
      this.#cookies = init.#cookies === null ? null : [...init.#cookies]
      return
    }
    const context = 'Headers contructor' // sic: undici's message
    const iterator = (init as Partial<Iterable<unknown>>)[Symbol.iterator]
    if (typeof iterator === 'function') {
      let index = 0
      const pairs = iterator.call(init) as Iterator<unknown>
      for (let step = pairs.next(); step.done !== true; step = pairs.next()) {
        const pair = step.value
        if (pair === null || typeof pair !== 'object' || typeof (pair as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
          throw failure(context, `init[${index}] is not iterable.`)
        }
        const items = [...(pair as Iterable<unknown>)].map((item) => byteString(item, context, `init[${index}]`))
        if (items.length !== 2) throw failure('Headers constructor', `expected name/value pair to be length 2, found ${items.length}.`)
        this.#appendChecked(items[0] as string, items[1] as string, 'Headers.append')
        index++
      }
      return
    }
    const entries: Entry[] = []
    for (const key of Reflect.ownKeys(init)) {
      if (!Object.getOwnPropertyDescriptor(init, key)?.enumerable) continue
      entries.push([byteString(key, context, 'init'), byteString((init as Record<PropertyKey, unknown>)[key], context, 'init')])
    }
    for (const [name, value] of entries) this.#appendChecked(name, value, 'Headers.append')
  }

  #append(name: string, value: string): void {
    const key = name.toLowerCase()
    const existing = this.#map.get(key)
    if (existing === undefined) this.#map.set(key, { name, value })
    else existing.value += (key === 'cookie' ? '; ' : ', ') + value
    if (key === 'set-cookie') (this.#cookies ??= []).push(value)
    this.#sorted = null
  }

  #appendChecked(name: string, value: string, context: string): void {
    const normalized = checkHeader(name, value, context)
    if (this.#guard === 'immutable') throw new TypeError('immutable')
    this.#append(name, normalized)
  }

  append(name: string, value: string): void {
    argumentCount(arguments, 2, 'Headers.append')
    this.#appendChecked(byteString(name, 'Headers.append', 'name'), byteString(value, 'Headers.append', 'value'), 'Headers.append')
  }

  delete(name: string): void {
    argumentCount(arguments, 1, 'Headers.delete')
    const text = byteString(name, 'Headers.delete', 'name')
    checkName(text, 'Headers.delete')
    if (this.#guard === 'immutable') throw new TypeError('immutable')
    const key = text.toLowerCase()
    if (!this.#map.has(key)) return
    if (key === 'set-cookie') this.#cookies = null
    this.#map.delete(key)
    this.#sorted = null
  }

  get(name: string): string | null {
    argumentCount(arguments, 1, 'Headers.get')
    const text = byteString(name, 'Headers.get', 'name')
    checkName(text, 'Headers.get')
    return this.#map.get(text.toLowerCase())?.value ?? null
  }

  has(name: string): boolean {
    argumentCount(arguments, 1, 'Headers.has')
    const text = byteString(name, 'Headers.has', 'name')
    checkName(text, 'Headers.has')
    return this.#map.has(text.toLowerCase())
  }

  set(name: string, value: string): void {
    argumentCount(arguments, 2, 'Headers.set')
    const text = byteString(name, 'Headers.set', 'name')
    const normalized = checkHeader(text, byteString(value, 'Headers.set', 'value'), 'Headers.set')
    if (this.#guard === 'immutable') throw new TypeError('immutable')
    const key = text.toLowerCase()
    if (key === 'set-cookie') this.#cookies = [normalized]
    this.#map.set(key, { name: text, value: normalized })
    this.#sorted = null
  }

  getSetCookie(): string[] {
    if (!(#map in this)) throw new TypeError('Illegal invocation')
    return this.#cookies === null ? [] : [...this.#cookies]
  }

  /** The sorted and combined entries, recomputed after a change (iterators read it at each step). */
  #entries(): Entry[] {
    if (this.#sorted !== null) return this.#sorted
    const sorted: Entry[] = []
    for (const key of [...this.#map.keys()].sort()) {
      if (key === 'set-cookie') for (const cookie of this.#cookies ?? []) sorted.push([key, cookie])
      else sorted.push([key, (this.#map.get(key) as { value: string }).value])
    }
    return (this.#sorted = sorted)
  }

  keys(): IterableIterator<string> {
    return headersIterator(() => this.#entries(), 'key')
  }

  values(): IterableIterator<string> {
    return headersIterator(() => this.#entries(), 'value')
  }

  entries(): IterableIterator<Entry> {
    return headersIterator(() => this.#entries(), 'key+value')
  }

  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg: unknown = globalThis): void {
    argumentCount(arguments, 1, 'Headers.forEach')
    if (typeof callback !== 'function') throw new TypeError("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.")
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this)
  }

  declare [Symbol.iterator]: () => IterableIterator<Entry>
}

Object.defineProperty(Headers.prototype, Symbol.iterator, { value: Headers.prototype.entries, writable: true, configurable: true })
brand(Headers, 'Headers', function inspectHeaders(this: Headers, _depth, options, inspect) {
  return inspectFlat('Headers', inspectEntries(this), options, inspect)
})
