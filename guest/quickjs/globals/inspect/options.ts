/**
 * The options `inspect` accepts, the per-call state it threads through the formatters, and the
 * options object handed to user `[util.inspect.custom]` methods.
 */

export interface InspectOptions {
  /** How deep to recurse into objects (default 2); `null` or `Infinity` for unlimited. */
  depth?: number | null
  /** Also show non-enumerable properties (what `%o` uses). */
  showHidden?: boolean
  /** Where lines are broken (default 80). */
  breakLength?: number
  /** Maximum array/Set/Map/typed-array items shown (default 100). */
  maxArrayLength?: number | null
  /** Maximum string length shown (default 10000). */
  maxStringLength?: number | null
  /** Call `[Symbol.for('nodejs.util.inspect.custom')]` methods (default true). */
  customInspect?: boolean
  /** How many inner levels may share one line (default 3); `false`: one entry per line; `true`: Node's legacy layout. */
  compact?: number | boolean
  /** Sort the keys of objects, Maps and Sets (a comparator, or `true` for the default order). */
  sorted?: boolean | ((a: string, b: string) => number)
  /** Show getter values: true for all, 'get' for getters without setter, 'set' for those with one. */
  getters?: boolean | 'get' | 'set'
  /** Accepted for compatibility; the guest never colours its output. */
  colors?: boolean
}

/**
 * Node's `util.inspect.defaultOptions`: what every `inspect` call (console output included)
 * starts from. node:util exposes this very object, so assigning to it changes console output too.
 */
export const inspectDefaults: Record<string, unknown> & InspectOptions = {
  showHidden: false,
  depth: 2,
  colors: false,
  customInspect: true,
  showProxy: false,
  maxArrayLength: 100,
  maxStringLength: 10000,
  breakLength: 80,
  compact: 3,
  sorted: false,
  getters: false,
  numericSeparator: false,
}

/** State of one `inspect` call, shared by all the formatters (mutated as they recurse). */
export interface Context {
  depth: number
  showHidden: boolean
  breakLength: number
  maxArrayLength: number
  maxStringLength: number
  customInspect: boolean
  /** Node's `compact` (default 3): how many inner levels may still share one line; `false` never, `true` legacy layout. */
  compact: number | boolean
  /** Sort listed keys (and Map/Set entries): a comparator, `true` for the default order, or false. */
  sorted: boolean | ((a: string, b: string) => number)
  /** Node's `getters` option. */
  getters: boolean | 'get' | 'set'
  /** Columns of indentation of the entry being formatted. */
  indentationLvl: number
  /** Depth of the object most recently entered (compared with `compact` by the layout). */
  currentDepth: number
  /** The objects being formatted, outermost first: meeting one again is a cycle. */
  seen: object[]
  /** Objects found to be circular, numbered for `<ref *N>` / `[Circular *N]`. */
  circular: Map<object, number> | undefined
  /** The caller's options, passed on to custom inspect methods. */
  userOptions: InspectOptions | undefined
}

export type Key = string | symbol
export type Formatter = (ctx: Context, value: object, recurseTimes: number) => string[]

/** How `formatProperty` / `reduceToSingleString` treat the entries: plain object, array item, or array-like with extra keys. */
export const kObjectType = 0
export const kArrayType = 1
export const kArrayExtrasType = 2

/** `null` means unlimited; anything else that is not a number means the default. */
function limit(value: number | null | undefined, fallback: number): number {
  if (value === null) return Infinity
  if (typeof value !== 'number' || Number.isNaN(value)) return fallback
  return value
}

/** The options of `inspect(value, showHidden, depth, colors)` (Node's pre-options signature). */
export function legacyOptions(options: InspectOptions | boolean | undefined, legacy: readonly unknown[]): InspectOptions | undefined {
  let opts = typeof options === 'boolean' ? { showHidden: options } : options
  if (legacy.length > 0) {
    opts = { ...opts }
    if (legacy[0] !== undefined) opts.depth = legacy[0] as number | null
    if (legacy.length > 1 && legacy[1] !== undefined) opts.colors = legacy[1] as boolean
  }
  return opts
}

/** A fresh context for one top-level `inspect` call: the caller's options over `inspectDefaults`. */
export function createContext(options: InspectOptions | undefined): Context {
  const opts = options !== null && typeof options === 'object' ? options : undefined
  const merged: InspectOptions = { ...inspectDefaults, ...opts }
  const compact = merged.compact
  const sorted = merged.sorted
  return {
    depth: limit(merged.depth, 2),
    showHidden: merged.showHidden === true,
    breakLength: limit(merged.breakLength, 80),
    maxArrayLength: Math.max(0, limit(merged.maxArrayLength, 100)),
    maxStringLength: Math.max(0, limit(merged.maxStringLength, 10000)),
    customInspect: merged.customInspect !== false,
    compact: typeof compact === 'boolean' || typeof compact === 'number' ? compact : 3,
    sorted: typeof sorted === 'function' || sorted === true ? sorted : false,
    getters: merged.getters === true || merged.getters === 'get' || merged.getters === 'set' ? merged.getters : false,
    indentationLvl: 0,
    currentDepth: 0,
    seen: [],
    circular: undefined,
    userOptions: opts,
  }
}

/** The options object a custom inspect method receives: Node's full option set, overridden by the caller's. */
export function getUserOptions(ctx: Context): Record<string, unknown> {
  return {
    depth: ctx.depth === Infinity ? null : ctx.depth,
    showHidden: ctx.showHidden,
    colors: false,
    customInspect: ctx.customInspect,
    showProxy: false,
    maxArrayLength: ctx.maxArrayLength,
    maxStringLength: ctx.maxStringLength,
    breakLength: ctx.breakLength,
    compact: ctx.compact,
    sorted: ctx.sorted,
    getters: ctx.getters,
    numericSeparator: false,
    ...ctx.userOptions,
    stylize: (str: string) => str,
  }
}
