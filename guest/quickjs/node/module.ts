/**
 * node:module: `createRequire` (a `require` of the guest's module system, resolving from any
 * file of the code package), `builtinModules` and `isBuiltin` for the builtins the guest has,
 * and `Module` itself. Loader internals (`_load`, `_resolveFilename`, `register` …) are not there.
 */
import { BUILTIN_MODULES } from '../../../runtime-api/builtin-modules.js'
import { nodeError } from './errors.js'

/** What the runtime's module system lends to this module (see node-builtins.ts). */
export interface ModuleSystemAccess {
  createRequire(fromPath: string): ((specifier: string) => unknown) & { cache: Record<string, unknown> }
}

/** Node's builtin names the guest serves (without `node:`; the guest's own `thaw:` ones aside). */
export const builtinModules: string[] = Object.keys(BUILTIN_MODULES).filter((name) => !name.includes(':'))

export function isBuiltin(name: unknown): boolean {
  return typeof name === 'string' && builtinModules.includes(name.startsWith('node:') ? name.slice(5) : name)
}

function filenameOf(filename: unknown): string {
  const text = typeof filename === 'string' ? filename : filename instanceof URL ? filename.href : undefined
  if (text !== undefined && text.startsWith('file:')) {
    const path = decodeURIComponent(new URL(text).pathname)
    if (path.startsWith('/')) return path
  } else if (text !== undefined && text.startsWith('/') && typeof filename === 'string') {
    return text
  }
  const shown = typeof filename === 'string' ? `'${filename}'` : String(filename)
  throw nodeError(
    TypeError,
    'ERR_INVALID_ARG_VALUE',
    `The argument 'filename' must be a file URL object, file URL string, or absolute path string. Received ${shown}`,
  )
}

declare const URL: { new (href: string): { href: string; pathname: string } }

export function createModule(system: ModuleSystemAccess): object {
  /** `require` as seen from `filename` (a directory when it ends with `/`, as in Node). */
  const createRequire = (filename: unknown) => {
    const path = filenameOf(filename)
    return system.createRequire(path.endsWith('/') ? `${path}noop.js` : path)
  }

  function Module(this: Record<string, unknown>, id = '', parent?: unknown) {
    this.id = id
    this.path = id.slice(0, id.lastIndexOf('/')) || '.'
    this.exports = {}
    this.filename = null
    this.loaded = false
    this.children = []
    this.parent = parent
  }

  return Object.assign(Module, {
    _cache: system.createRequire('/var/task/noop.js').cache,
    isBuiltin,
    createRequire,
    syncBuiltinESMExports: () => undefined,
    Module,
    builtinModules,
  })
}
