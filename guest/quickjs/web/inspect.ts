/**
 * `util.inspect` / console.log renderings of the web platform classes, as Node 20 prints them:
 * `AbortSignal { aborted: false }`, `Headers { 'content-type': 'text/plain' }`. Each class defines
 * a `[Symbol.for('nodejs.util.inspect.custom')]` method, which the guest's inspect (and Node's
 * util.inspect, for a bundled copy of one) calls with the depth left, the options and `inspect`.
 */

export const customInspect = Symbol.for('nodejs.util.inspect.custom')

export type InspectFn = (value: unknown, options?: unknown) => string
export interface InspectOptions {
  depth?: number | null
  [key: string]: unknown
}

/**
 * `Name { ...properties }`, the properties one level deeper (Node's AbortSignal, Event and
 * EventTarget); `Name` alone (or `self`) past the depth limit.
 */
export function inspectNested(
  self: object,
  name: string,
  properties: object,
  depth: number | null,
  options: InspectOptions,
  inspect: InspectFn,
  pastDepth: unknown = self,
): unknown {
  if (typeof depth === 'number' && depth < 0) return pastDepth
  const nested = typeof options.depth === 'number' ? options.depth - 1 : options.depth
  return `${name} ${inspect(properties, { ...options, depth: nested })}`
}

/** `Name { ...properties }` at the caller's depth (undici's Headers, Request, Response, FormData). */
export function inspectFlat(name: string, properties: object, options: InspectOptions, inspect: InspectFn): string {
  return `${name} ${inspect(properties, { ...options, depth: options.depth === null ? 2 : options.depth })}`
}

/**
 * Fixes a class's `name` and toStringTag (the bundler may rename bindings, e.g. `Event2`) and
 * defines its inspect method (not enumerable, like Node's).
 */
export function brand(ctor: Function, name: string, inspectMethod?: (this: never, depth: number | null, options: InspectOptions, inspect: InspectFn) => unknown): void {
  Object.defineProperty(ctor, 'name', { value: name, configurable: true })
  Object.defineProperty(ctor.prototype, Symbol.toStringTag, { value: name, configurable: true })
  if (inspectMethod !== undefined) {
    Object.defineProperty(ctor.prototype, customInspect, { value: inspectMethod, writable: true, configurable: true })
  }
}
