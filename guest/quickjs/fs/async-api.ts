import { invalidArgType } from './errors.js'
import { platform } from './platform.js'
import type { SyncApi } from './sync-api.js'

/**
 * `fs/promises` and the callback functions of `fs`, over the synchronous ones. The filesystem is
 * in memory (or one synchronous host call away), so there is nothing to overlap: each operation
 * runs at once and settles its promise, or calls back in a microtask, as Node calls back after
 * the operation (never synchronously).
 */

/** Each fs/promises function and the synchronous function it wraps. */
const PROMISE_FUNCTIONS = {
  access: 'accessSync',
  appendFile: 'appendFileSync',
  copyFile: 'copyFileSync',
  lstat: 'lstatSync',
  mkdir: 'mkdirSync',
  mkdtemp: 'mkdtempSync',
  readdir: 'readdirSync',
  readFile: 'readFileSync',
  realpath: 'realpathSync',
  rename: 'renameSync',
  rm: 'rmSync',
  rmdir: 'rmdirSync',
  stat: 'statSync',
  unlink: 'unlinkSync',
  writeFile: 'writeFileSync',
} as const satisfies Record<string, keyof SyncApi>

type AsyncName = keyof typeof PROMISE_FUNCTIONS

/** Functions taking two paths or a path and data before their options and callback. */
const TWO_ARGUMENTS: ReadonlySet<string> = new Set(['appendFile', 'copyFile', 'rename', 'writeFile'])
type AnyFunction = (...args: unknown[]) => unknown

export function createPromiseApi(sync: SyncApi): Record<AsyncName, (...args: unknown[]) => Promise<unknown>> {
  const api = {} as Record<AsyncName, (...args: unknown[]) => Promise<unknown>>
  for (const [name, syncName] of Object.entries(PROMISE_FUNCTIONS) as [AsyncName, keyof SyncApi][]) {
    const run = sync[syncName] as AnyFunction
    api[name] = named(name, async (...args: unknown[]) => run(...args))
  }
  return api
}

export function createCallbackApi(sync: SyncApi): Record<AsyncName | 'exists', AnyFunction> {
  const api = {} as Record<AsyncName | 'exists', AnyFunction>
  for (const [name, syncName] of Object.entries(PROMISE_FUNCTIONS) as [AsyncName, keyof SyncApi][]) {
    const run = sync[syncName] as AnyFunction
    const required = TWO_ARGUMENTS.has(name) ? 2 : 1
    api[name] = named(name, (...args: unknown[]) => {
      // Without a callback, Node complains about what stands in its place (or undefined).
      const callback = args.length > required ? args.pop() : undefined
      if (typeof callback !== 'function') throw invalidArgType('cb', 'of type function', callback)
      let result: unknown
      try {
        result = run(...args)
      } catch (error) {
        platform.queueMicrotask(() => callback(error))
        return
      }
      platform.queueMicrotask(() => callback(null, result))
    })
  }
  // The deprecated fs.exists calls back with a boolean only.
  api.exists = named('exists', (path: unknown, callback: unknown) => {
    if (typeof callback !== 'function') throw invalidArgType('cb', 'of type function', callback)
    const found = sync.existsSync(path)
    platform.queueMicrotask(() => callback(found))
  })
  return api
}

function named<F extends AnyFunction>(name: string, fn: F): F {
  Object.defineProperty(fn, 'name', { value: name, configurable: true })
  return fn
}
