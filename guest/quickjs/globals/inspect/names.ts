/**
 * What an object is called in the output: its constructor name (found along the prototype chain
 * like Node does), the `Foo [tag]` / `[Object: null prototype]` prefixes, and which own keys are
 * listed.
 */
import { inspect } from './format-value.js'
import type { Key } from './options.js'

/** A canonical array index ("0", "17", not "01"). */
export const numberRegExp = /^(0|[1-9][0-9]*)$/

function isInstanceof(object: object, ctor: unknown): boolean {
  try {
    return object instanceof (ctor as new () => unknown)
  } catch {
    return false
  }
}

/**
 * The name of the first constructor up the prototype chain that `obj` is really an instance of
 * (so a spoofed `constructor` property is skipped); null for a null-prototype object; for a chain
 * with no usable constructor, `Object <…>` describing the prototype, as Node prints it.
 */
export function getConstructorName(obj: object): string | null {
  let current: object | null = obj
  let firstProto: object | null | undefined
  while (current !== null) {
    const descriptor = Object.getOwnPropertyDescriptor(current, 'constructor')
    const ctor: unknown = descriptor?.value
    if (typeof ctor === 'function' && ctor.name !== '' && isInstanceof(obj, ctor)) return String(ctor.name)
    current = Object.getPrototypeOf(current) as object | null
    if (firstProto === undefined) firstProto = current
  }
  if (firstProto === null || firstProto === undefined) return null
  // No usable constructor anywhere on the chain: describe the prototype like Node does.
  const protoConstructor = getConstructorName(firstProto)
  if (protoConstructor === null) return `Object <${inspect(firstProto, { customInspect: false, depth: -1 })}>`
  return `Object <${protoConstructor}>`
}

/** `Foo(2) [tag] ` / `[Map(2): null prototype] ` — what precedes the braces. */
export function getPrefix(constructor: string | null, tag: string, fallback: string, size = ''): string {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `
    return `[${fallback}${size}: null prototype] `
  }
  if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `
  return `${constructor}${size} `
}

/** The prefix of an object with no more specific kind (also used for `[Foo]` beyond the depth limit). */
export function getCtxStyle(constructor: string | null, tag: string): string {
  // Node uses the engine's internal class name as the fallback; 'Object' is all JS can observe.
  return getPrefix(constructor, tag, constructor === null ? 'Object' : '')
}

/** The own keys listed: enumerable strings and symbols, or all of them with `showHidden`. */
export function getKeys(value: object, showHidden: boolean): Key[] {
  const symbols = Object.getOwnPropertySymbols(value)
  let keys: Key[]
  if (showHidden) {
    keys = Object.getOwnPropertyNames(value)
    if (symbols.length !== 0) keys.push(...symbols)
  } else {
    keys = Object.keys(value)
    for (const symbol of symbols) {
      if (Object.prototype.propertyIsEnumerable.call(value, symbol)) keys.push(symbol)
    }
  }
  return keys
}

function isArrayIndexKey(key: string): boolean {
  return numberRegExp.test(key) && Number(key) < 4294967295
}

/** The extra keys of an array-like (everything but its indices), listed after the items. */
export function getOwnNonIndexProperties(value: object, showHidden: boolean): Key[] {
  const names = showHidden ? Object.getOwnPropertyNames(value) : Object.keys(value)
  const keys: Key[] = []
  for (const name of names) if (!isArrayIndexKey(name)) keys.push(name)
  for (const symbol of Object.getOwnPropertySymbols(value)) {
    if (showHidden || Object.prototype.propertyIsEnumerable.call(value, symbol)) keys.push(symbol)
  }
  return keys
}
