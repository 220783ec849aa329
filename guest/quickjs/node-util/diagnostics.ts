/**
 * `util.deprecate` and `util.debuglog`: the two ways libraries write diagnostics.
 *
 * A deprecated function prints its DeprecationWarning on first use, once per code (or once per
 * wrapped function without one), through the shared printer of warnings.ts.
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
}

const processOf = (): ProcessLike => (globalThis as { process?: ProcessLike }).process ?? {}

/** The shared warning printer (chunk "warnings", node-util/warnings.ts). */
export interface Warnings {
  emitDeprecation(message: string, code: string | undefined): void
  deprecationWarning(message: string, code: string): void
}

/** `util.deprecate`: `fn` wrapped to print its DeprecationWarning on first use (Node's semantics, incl. `new`). */
export function makeDeprecate(warnings: () => Warnings) {
  return function deprecate<T extends Function>(fn: T, message: string, code?: string): T {
    if (processOf().noDeprecation === true) return fn
    if (code !== undefined) validateString(code, 'code')
    let warned = false
    function deprecated(this: unknown, ...args: unknown[]): unknown {
      if (!warned) {
        warned = true
        if (code === undefined) warnings().emitDeprecation(message, code)
        else warnings().deprecationWarning(message, code)
      }
      if (new.target) return Reflect.construct(fn, args, new.target)
      return Reflect.apply(fn, this, args)
    }
    // Keep the prototype chain, so that instances of the unwrapped constructor are instances of the wrapper.
    Object.setPrototypeOf(deprecated, fn)
    if ((fn as { prototype?: unknown }).prototype) deprecated.prototype = (fn as { prototype?: unknown }).prototype
    return deprecated as unknown as T
  }
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
