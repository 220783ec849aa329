import type { HostBindings } from '../../runtime-api/in-process-protocol.js'
import { RuntimeError } from './errors.js'
import { splitResolved, type ModuleSystem } from './modules.js'

/**
 * Turns a handler string ("dir/file.export.nested") into the function to call, with the
 * `Runtime.*` errors of Lambda's Node runtime (lambda-interfaces §4.3).
 */

export type Handler = (event: unknown, context: unknown, callback: unknown) => unknown

// `import()` kept out of esbuild's sight: the bundle is a script, the specifier a runtime value.
const dynamicImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>

export async function loadHandler(handlerString: string, host: HostBindings, modules: ModuleSystem): Promise<Handler> {
  const { modulePath, exportPath } = parseHandlerString(handlerString)
  const located = host.locateHandler(modulePath)
  if (located === undefined) {
    throw new RuntimeError('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}'`)
  }
  const [format, path] = splitResolved(located)
  let exports: unknown
  try {
    exports = format === 'esm' ? await dynamicImport(path) : modules.requireFile(path, format)
  } catch (error) {
    throw classifyLoadError(error)
  }
  let target: unknown = exports
  for (const name of exportPath) {
    target = target === null || target === undefined ? undefined : (target as Record<string, unknown>)[name]
  }
  if (target === undefined) throw new RuntimeError('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`)
  if (typeof target !== 'function') throw new RuntimeError('Runtime.HandlerNotFound', `${handlerString} is not a function`)
  return target as Handler
}

function parseHandlerString(handlerString: string): { modulePath: string; exportPath: string[] } {
  const slash = handlerString.lastIndexOf('/')
  const dot = handlerString.indexOf('.', slash + 1)
  if (handlerString.includes('..') || dot <= slash + 1 || dot === handlerString.length - 1) {
    throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${handlerString}`)
  }
  return { modulePath: handlerString.slice(0, dot), exportPath: handlerString.slice(dot + 1).split('.') }
}

function classifyLoadError(error: unknown): unknown {
  if (error instanceof SyntaxError) {
    const wrapped = new RuntimeError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`, error)
    wrapped.stack = error.stack ?? ''
    return wrapped
  }
  const code = (error as { code?: unknown } | null)?.code
  const message = error instanceof Error ? error.message : String(error)
  if (code === 'MODULE_NOT_FOUND' || /^Cannot find module/.test(message)) {
    return new RuntimeError('Runtime.ImportModuleError', `Error: ${message}`, error)
  }
  return error
}
