/**
 * Errors: the stack with a "Name: message" header (rebuilt from the error's current name and
 * message, because QuickJS's `error.stack` holds only the frames), the `[Name]` / class prefixes
 * Node adds when the name and constructor disagree, and frames shared with the `cause` folded
 * into "... N lines matching cause stack trace ...".
 */
import { getPrefix } from './names.js'
import type { Context, Key } from './options.js'
import { isError } from './type-checks.js'

function errorHeader(err: Error): string {
  try {
    return Error.prototype.toString.call(err)
  } catch {
    return 'Error'
  }
}

/** `err.stack` normalised to V8's shape ("Name: message\n    at …"); QuickJS keeps only frames. */
function getStackString(err: Error): string {
  let stack: unknown
  try {
    stack = err.stack
  } catch {
    stack = undefined
  }
  if (!stack) return errorHeader(err)
  const str = String(stack)
  if (/^\s*at /.test(str)) {
    const frames = str.replace(/\s+$/, '')
    return frames === '' ? errorHeader(err) : `${errorHeader(err)}\n${frames}`
  }
  return str
}

function identicalSequenceRange(a: string[], b: string[]): { len: number; offset: number } {
  for (let i = 0; i < a.length - 3; i++) {
    const pos = b.indexOf(a[i] as string)
    if (pos !== -1) {
      const rest = b.length - pos
      if (rest > 3) {
        let len = 1
        const maxLen = Math.min(a.length - i, rest)
        while (maxLen > len && a[i + len] === b[pos + len]) len++
        if (len > 3) return { len, offset: i }
      }
    }
  }
  return { len: 0, offset: 0 }
}

function getStackFrames(err: Error, stack: string): string[] {
  const frames = stack.split('\n')
  let cause: unknown
  try {
    cause = (err as { cause?: unknown }).cause
  } catch {
    cause = undefined
  }
  if (cause !== null && typeof cause === 'object' && isError(cause)) {
    const causeStack = getStackString(cause)
    const causeStackStart = causeStack.indexOf('\n    at')
    if (causeStackStart !== -1) {
      const causeFrames = causeStack.slice(causeStackStart + 1).split('\n')
      const { len, offset } = identicalSequenceRange(frames, causeFrames)
      if (len > 0) {
        const skipped = len - 2
        frames.splice(offset + 1, skipped, `    ... ${skipped} lines matching cause stack trace ...`)
      }
    }
  }
  return frames
}

function improveStack(input: string, constructor: string | null, name: string, tag: string): string {
  let stack = input
  let len = name.length
  if (
    constructor === null ||
    (name.endsWith('Error') && stack.startsWith(name) && (stack.length === len || stack[len] === ':' || stack[len] === '\n'))
  ) {
    let fallback = 'Error'
    if (constructor === null) {
      const start = /^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n {4}at)/.exec(stack) ?? /^([a-z_A-Z0-9-]*Error)$/.exec(stack)
      fallback = start?.[1] ?? ''
      len = fallback.length
      fallback = fallback || 'Error'
    }
    const prefix = getPrefix(constructor, tag, fallback).slice(0, -1)
    if (name !== prefix) {
      if (prefix.includes(name)) {
        stack = len === 0 ? `${prefix}: ${stack}` : `${prefix}${stack.slice(len)}`
      } else {
        stack = `${prefix} [${name}]${stack.slice(len)}`
      }
    }
  }
  return stack
}

/**
 * The error as Node prints it: its stack, normalised and prefixed, with `[…]` around it when it has
 * no frames. Drops `name` / `message` / `stack` from `keys` when the stack already shows them and
 * adds `cause` / `errors` (AggregateError) so that they are listed after it.
 */
export function formatError(err: Error, constructor: string | null, tag: string, ctx: Context, keys: Key[]): string {
  const rawName: unknown = (err as { name?: unknown }).name
  const name = rawName != null ? String(rawName) : 'Error'
  let stack = getStackString(err)
  if (!ctx.showHidden && keys.length !== 0) {
    for (const key of ['name', 'message', 'stack']) {
      const index = keys.indexOf(key)
      if (index !== -1 && stack.includes(String((err as unknown as Record<string, unknown>)[key]))) keys.splice(index, 1)
    }
  }
  if ('cause' in err && (keys.length === 0 || !keys.includes('cause'))) keys.push('cause')
  const errors: unknown = (err as { errors?: unknown }).errors
  if (Array.isArray(errors) && (keys.length === 0 || !keys.includes('errors'))) keys.push('errors')

  stack = improveStack(stack, constructor, name, tag)

  const message: unknown = (err as { message?: unknown }).message
  let pos = (typeof message === 'string' && message !== '' && stack.indexOf(message)) || -1
  if (pos !== -1) pos += (message as string).length
  const stackStart = stack.indexOf('\n    at', pos)
  if (stackStart === -1) {
    stack = `[${stack}]`
  } else {
    const lines = getStackFrames(err, stack.slice(stackStart + 1))
    stack = `${stack.slice(0, stackStart)}\n${lines.join('\n')}`
  }
  if (ctx.indentationLvl !== 0) stack = stack.replaceAll('\n', `\n${' '.repeat(ctx.indentationLvl)}`)
  return stack
}
