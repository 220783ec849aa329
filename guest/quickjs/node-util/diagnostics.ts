/**
 * `util.deprecate` and `util.debuglog`: the two ways libraries write diagnostics.
 *
 * Node prints a DeprecationWarning through process.emitWarning to stderr, once per code (or once
 * per wrapped function without one): `(node:PID) [CODE] DeprecationWarning: message`, followed the
 * first time by a hint about --trace-deprecation. The guest prints the same lines with
 * console.warn, so they reach the function's log. `process.noDeprecation` silences them and
 * `process.throwDeprecation` throws instead, as in Node.
 *
 * `debuglog(section)` logs `SECTION PID: message` to stderr (console.error) when the
 * `NODE_DEBUG` environment variable names the section (comma-separated, `*` wildcards,
 * case-insensitive), read when the logger is first used.
 */
import { validateString } from './errors.js'
import { guestConsole } from './guest-globals.js'

interface ProcessLike {
  pid?: number
  env?: Record<string, string | undefined>
  noDeprecation?: boolean
  throwDeprecation?: boolean
}

const processOf = (): ProcessLike => (globalThis as { process?: ProcessLike }).process ?? {}

const codesWarned = new Set<string>()
let hintShown = false

/** Node's process.emitWarning(message, 'DeprecationWarning', code), once per code. */
export function deprecationWarning(message: string, code: string): void {
  if (codesWarned.has(code)) return
  codesWarned.add(code)
  emitDeprecation(message, code)
}

function emitDeprecation(message: string, code: string | undefined): void {
  const process = processOf()
  if (process.noDeprecation) return
  if (process.throwDeprecation) {
    const warning = new Error(message) as Error & { code?: string }
    warning.name = 'DeprecationWarning'
    if (code !== undefined) warning.code = code
    throw warning
  }
  let text = `(node:${process.pid ?? 1}) ${code !== undefined ? `[${code}] ` : ''}DeprecationWarning: ${message}`
  if (!hintShown) {
    hintShown = true
    text += '\n(Use `node --trace-deprecation ...` to show where the warning was created)'
  }
  guestConsole().warn(text)
}

export function deprecate<T extends Function>(fn: T, message: string, code?: string): T {
  if (processOf().noDeprecation === true) return fn
  if (code !== undefined) validateString(code, 'code')
  let warned = false
  function deprecated(this: unknown, ...args: unknown[]): unknown {
    if (!warned) {
      warned = true
      if (code === undefined) emitDeprecation(message, code)
      else if (!codesWarned.has(code)) {
        codesWarned.add(code)
        emitDeprecation(message, code)
      }
    }
    if (new.target) return Reflect.construct(fn, args, new.target)
    return Reflect.apply(fn, this, args)
  }
  // Keep the prototype chain, so that instances of the unwrapped constructor are instances of the wrapper.
  Object.setPrototypeOf(deprecated, fn)
  if ((fn as { prototype?: unknown }).prototype) deprecated.prototype = (fn as { prototype?: unknown }).prototype
  return deprecated as unknown as T
}

type Logger = ((...args: unknown[]) => void) & { enabled: boolean }

let enabledTest: ((section: string) => boolean) | undefined

/** Node's NODE_DEBUG matching: `a,b*` means /^a$|^b.*$/i. */
function sectionEnabled(section: string): boolean {
  if (enabledTest === undefined) {
    const setting = processOf().env?.NODE_DEBUG
    if (setting) {
      const pattern = setting.replace(/[|\\{}()[\]^$+?.]/g, '\\$&').replaceAll('*', '.*').replaceAll(',', '$|^')
      const regExp = new RegExp(`^${pattern}$`, 'i')
      enabledTest = (name) => regExp.test(name)
    } else {
      enabledTest = () => false
    }
  }
  return enabledTest(section)
}

export function makeDebuglog(format: (...args: unknown[]) => string) {
  const implementations = new Map<string, (...args: unknown[]) => void>()
  const implementation = (section: string): ((...args: unknown[]) => void) => {
    let impl = implementations.get(section)
    if (impl === undefined) {
      impl = sectionEnabled(section)
        ? (...args: unknown[]) => guestConsole().error(`${section} ${processOf().pid ?? 1}: ${format(...args)}`)
        : () => {}
      implementations.set(section, impl)
    }
    return impl
  }
  return function debuglog(set: string, callback?: (logger: (...args: unknown[]) => void) => void): Logger {
    let section: string | undefined
    const name = (): string => (section ??= String(set).toUpperCase())
    let log: ((...args: unknown[]) => void) | undefined
    const logger = ((...args: unknown[]) => {
      if (log === undefined) {
        log = implementation(name())
        if (typeof callback === 'function') callback(log)
      }
      log(...args)
    }) as Logger
    Object.defineProperty(logger, 'enabled', { get: () => sectionEnabled(name()), configurable: true, enumerable: true })
    return logger
  }
}
