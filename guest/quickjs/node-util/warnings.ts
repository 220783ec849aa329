/**
 * Node's DeprecationWarning lines, printed with console.warn (so they reach the function's log):
 * `(node:PID) [CODE] DeprecationWarning: message`, the first one followed by Node's hint about
 * --trace-deprecation; each code at most once. This is the chunk "warnings", shared by node:util
 * (deprecate), node:url (DEP0170) and node:assert (DEP0094), so the once-only state is one.
 * `process.noDeprecation` silences the warnings and `process.throwDeprecation` throws them.
 */
import { guestConsole } from './guest-globals.js'

interface ProcessLike {
  pid?: number
  noDeprecation?: boolean
  throwDeprecation?: boolean
}

const processOf = (): ProcessLike => (globalThis as { process?: ProcessLike }).process ?? {}

const codesWarned = new Set<string>()
let hintShown = false

export function emitDeprecation(message: string, code: string | undefined): void {
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

/** Node's process.emitWarning(message, 'DeprecationWarning', code): once per code. */
export function deprecationWarning(message: string, code: string): void {
  if (codesWarned.has(code)) return
  codesWarned.add(code)
  emitDeprecation(message, code)
}
