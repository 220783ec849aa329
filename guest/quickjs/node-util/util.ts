/**
 * node:util for the guest: the exports in Node 20's order (Object.keys(require('util'))), built
 * from the guest's own inspect (inspect.ts), the shared deep equality (deep-equal.ts), and the
 * pieces below. Not provided: `parseArgs`, `parseEnv`, `MIMEType` / `MIMEParams` (CLI and
 * experimental APIs; see docs/compatibility.md).
 */
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { defineLazyGlobal } from '../globals/lazy.js'
import { makeDebuglog, makeDeprecate, type Warnings } from './diagnostics.js'
import { invalidArgType, validateString } from './errors.js'
import { guestConsole } from './guest-globals.js'
import { makeFormat, makeInspect, makeStyleText, type InspectChunk } from './inspect.js'
import { callbackify, installTimerPromisifiers, promisify } from './promisify.js'
import { errnoException, exceptionWithHostPort, getSystemErrorMap, getSystemErrorName } from './system-errors.js'
import type { types as Types } from './types.js'
import { lazyChunk, type DeepEqualChunk } from './shared-chunks.js'

/** Node's pattern for ANSI escape sequences (CSI and OSC), as in lib/internal/util/inspect.js. */
const ansi = new RegExp(
  '[\\u001B\\u009B][[\\]()#;?]*' +
    '(?:(?:(?:(?:;[-a-zA-Z\\d\\/#&.:=?%@~_]+)*' +
    '|[a-zA-Z\\d]+(?:;[-a-zA-Z\\d\\/#&.:=?%@~_]*)*)?\\u0007)' +
    '|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PR-TZcf-ntqry=><~]))',
  'g',
)

function stripVTControlCharacters(str: unknown): string {
  validateString(str, 'str')
  return str.replace(ansi, '')
}

function toUSVString(input: unknown): string {
  const str = `${input as string}`
  const toWellFormed = (String.prototype as { toWellFormed?: (this: string) => string }).toWellFormed
  if (toWellFormed) return toWellFormed.call(str)
  return str.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
}

function inherits(ctor: unknown, superCtor: unknown): void {
  if (ctor === undefined || ctor === null) throw invalidArgType('ctor', 'Function', ctor)
  if (superCtor === undefined || superCtor === null) throw invalidArgType('superCtor', 'Function', superCtor)
  const superPrototype = (superCtor as { prototype?: unknown }).prototype
  if (superPrototype === undefined) throw invalidArgType('superCtor.prototype', 'Object', superPrototype)
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true })
  Object.setPrototypeOf((ctor as { prototype: object }).prototype, superPrototype as object)
}

function extend(target: Record<string, unknown>, source: unknown): Record<string, unknown> {
  if (source === null || typeof source !== 'object') return target
  for (const key of Object.keys(source)) target[key] = (source as Record<string, unknown>)[key]
  return target
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `util.log`: "26 Feb 16:19:34 - message". */
function makeLog(format: (...args: unknown[]) => string) {
  return function log(...args: unknown[]): void {
    const d = new Date()
    const pad = (n: number): string => String(n).padStart(2, '0')
    const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
    guestConsole().log('%s - %s', `${d.getDate()} ${MONTHS[d.getMonth()]} ${time}`, format(...args))
  }
}

function validateAbortSignal(signal: unknown, name: string): void {
  if (signal === null || typeof signal !== 'object' || !('aborted' in signal)) throw invalidArgType(name, 'AbortSignal', signal)
}

/** `util.aborted(signal, resource)`: resolves once the signal aborts. */
async function aborted(signal: unknown, resource: unknown): Promise<void> {
  if (signal === undefined) throw invalidArgType('signal', 'AbortSignal', signal)
  validateAbortSignal(signal, 'signal')
  if (resource === null || (typeof resource !== 'object' && typeof resource !== 'function')) throw invalidArgType('resource', 'object', resource)
  const target = signal as { aborted: boolean; addEventListener(type: string, listener: () => void, options: object): void }
  if (target.aborted) return
  await new Promise<void>((resolve) => target.addEventListener('abort', () => resolve(), { once: true }))
}

/** Node marks these for transfer to workers; there are no workers in the guest, so they are the plain objects. */
function transferableAbortSignal(signal: unknown): unknown {
  const AbortSignal = (globalThis as Record<string, unknown>).AbortSignal
  const isSignal = typeof AbortSignal === 'function' ? signal instanceof AbortSignal : signal !== null && typeof signal === 'object' && 'aborted' in signal
  if (!isSignal) throw invalidArgType('signal', 'AbortSignal', signal)
  return signal
}

function transferableAbortController(): unknown {
  return new (globalThis as unknown as { AbortController: new () => unknown }).AbortController()
}

// Bundler-resolved: the guest-builtins plugin (guest/build.ts) turns these into run-time lookups of
// the guest's own builtins, evaluated on the first call only (each is a chunk of its own).
declare const require: (id: string) => unknown
const types = (): typeof Types => require('util/types') as typeof Types
const isBuffer = (value: unknown): boolean => (require('buffer') as { Buffer: { isBuffer(value: unknown): boolean } }).Buffer.isBuffer(value)

export function createUtil(host: HostBindings): Record<string, unknown> {
  const chunk = host.loadChunk('inspect') as InspectChunk
  const inspect = makeInspect(chunk)
  const { format, formatWithOptions } = makeFormat(chunk)
  const deepEqual = lazyChunk<DeepEqualChunk>(host, 'deep-equal')
  installTimerPromisifiers(globalThis as unknown as Record<string, unknown>)

  const util: Record<string, unknown> = {
    _errnoException: errnoException,
    _exceptionWithHostPort: exceptionWithHostPort,
    _extend: extend,
    callbackify,
    debug: undefined,
    debuglog: makeDebuglog(format),
    deprecate: makeDeprecate(lazyChunk<Warnings>(host, 'warnings')),
    format,
    styleText: makeStyleText(inspect.colors),
    formatWithOptions,
    getSystemErrorMap,
    getSystemErrorName,
    inherits,
    inspect,
    isArray: Array.isArray,
    isBoolean: (arg: unknown) => typeof arg === 'boolean',
    isBuffer,
    isDeepStrictEqual: (a: unknown, b: unknown) => deepEqual().isDeepStrictEqual(a, b),
    isNull: (arg: unknown) => arg === null,
    isNullOrUndefined: (arg: unknown) => arg === null || arg === undefined,
    isNumber: (arg: unknown) => typeof arg === 'number',
    isString: (arg: unknown) => typeof arg === 'string',
    isSymbol: (arg: unknown) => typeof arg === 'symbol',
    isUndefined: (arg: unknown) => arg === undefined,
    isRegExp: (arg: unknown) => types().isRegExp!(arg),
    isObject: (arg: unknown) => arg !== null && typeof arg === 'object',
    isDate: (arg: unknown) => types().isDate!(arg),
    isError: (arg: unknown) => types().isNativeError!(arg) || arg instanceof Error,
    isFunction: (arg: unknown) => typeof arg === 'function',
    isPrimitive: (arg: unknown) => arg === null || (typeof arg !== 'object' && typeof arg !== 'function'),
    log: makeLog(format),
    promisify,
    stripVTControlCharacters,
    toUSVString,
    transferableAbortSignal,
    transferableAbortController,
    aborted,
    types: undefined,
    TextDecoder: undefined,
    TextEncoder: undefined,
  }
  util.debug = util.debuglog
  // Loaded on first read (each is another chunk): enumerable, like the rest of the exports.
  defineLazyGlobal(util, 'types', types, true)
  defineLazyGlobal(util, 'TextDecoder', () => (globalThis as Record<string, unknown>).TextDecoder, true)
  defineLazyGlobal(util, 'TextEncoder', () => (globalThis as Record<string, unknown>).TextEncoder, true)
  return util
}
