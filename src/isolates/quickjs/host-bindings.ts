import { randomFillSync } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core'
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { packagePath, type CodePackage } from '../../functions/code-package.js'
import type { ModuleResolver } from '../../functions/module-resolver.js'

/**
 * The host functions a QuickJS guest may call synchronously (see HostBindings), installed as
 * `globalThis.__thaw_host` for the guest runtime to take. Each one only reads the function's
 * own code package or host entropy and clocks: nothing here reaches the host's objects.
 */

type Binding = (...args: QuickJSHandle[]) => QuickJSHandle | { error: QuickJSHandle } | undefined

/** The bindings in a fixed order: a restore re-registers them in this order (engine-internals). */
export type HostBindingTable = readonly (readonly [name: keyof HostBindings, fn: Binding])[]

export function createHostBindings(
  ctx: QuickJSContext,
  pkg: CodePackage,
  resolver: ModuleResolver,
  chunks: ReadonlyMap<string, string>,
): HostBindingTable {
  const text = (handle: QuickJSHandle | undefined) => (handle === undefined ? '' : ctx.getString(handle))
  const fail = (error: unknown) => ({ error: ctx.newError(error as Error) })

  const bindings: Record<keyof HostBindings, Binding> = {
    resolve: (specifier, fromPath, mode) => {
      try {
        const resolved = resolver.resolve(text(specifier), text(fromPath), text(mode) === 'import' ? 'import' : 'require')
        return ctx.newString(`${resolved.format}:${resolved.path}`)
      } catch (error) {
        const guestError = ctx.newError(error as Error)
        const code = ctx.newString('MODULE_NOT_FOUND')
        ctx.setProp(guestError, 'code', code)
        code.dispose()
        return { error: guestError }
      }
    },
    locateHandler: (modulePath) => {
      const located = resolver.locateHandlerModule(text(modulePath))
      return located === undefined ? undefined : ctx.newString(`${located.format}:${located.path}`)
    },
    compileCommonJs: (pathHandle) => {
      const path = text(pathHandle)
      const source = pkg.text(packagePath(path))
      if (source === undefined) return fail(new Error(`Cannot find module '${path}'`))
      // Kept on one line with the source so that line numbers in stack traces stay true.
      const wrapped = `(function (exports, require, module, __filename, __dirname) {${stripShebang(source)}\n})`
      const result = ctx.evalCode(wrapped, path, { type: 'global' })
      return result.error === undefined ? result.value : { error: result.error }
    },
    readText: (pathHandle) => {
      const content = pkg.text(packagePath(text(pathHandle)))
      return content === undefined ? undefined : ctx.newString(content)
    },
    randomBytes: (lengthHandle) => {
      const length = Math.max(0, Math.min(65_536, Math.floor(ctx.getNumber(lengthHandle ?? ctx.undefined)) || 0))
      return ctx.newArrayBuffer(randomFillSync(new Uint8Array(length)).buffer)
    },
    monotonicNow: () => ctx.newNumber(performance.now()),
    loadChunk: (nameHandle) => {
      const name = text(nameHandle)
      const source = chunks.get(name)
      if (source === undefined) return fail(new Error(`No guest chunk named ${name}`))
      const result = ctx.evalCode(source, `thaw:${name}`, { type: 'global' })
      return result.error === undefined ? result.value : { error: result.error }
    },
  }

  return (Object.keys(bindings) as (keyof HostBindings)[]).sort().map((name) => [name, bindings[name]] as const)
}

/** Boot: the bindings become guest functions on `globalThis.__thaw_host`, for the runtime to take. */
export function installHostBindings(ctx: QuickJSContext, table: HostBindingTable): void {
  const object = ctx.newObject()
  for (const [name, binding] of table) {
    const fn = ctx.newFunction(name, binding)
    ctx.setProp(object, name, fn)
    fn.dispose()
  }
  ctx.setProp(ctx.global, '__thaw_host', object)
  object.dispose()
}

function stripShebang(source: string): string {
  return source.startsWith('#!') ? `//${source.slice(2)}` : source
}
