import type { HostBindings } from '../../runtime-api/in-process-protocol.js'

/**
 * CommonJS in the guest: `require`, `module`, `exports`, with the module cache. Resolution and
 * compilation are the host's (HostBindings.resolve / compileCommonJs): the host knows the code
 * package and compiles each file under its own name, so stack traces point at real files.
 * ES modules are loaded by QuickJS itself through the host's module loader; an ES module that
 * imports a CommonJS one reaches `requireFile` through REQUIRE_BY_PATH.
 */

/** The key on globalThis of the function the host's ESM → CommonJS wrappers call. */
export const REQUIRE_BY_PATH = Symbol.for('thaw.requireByPath')

interface CommonJsModule {
  id: string
  filename: string
  path: string
  loaded: boolean
  exports: unknown
  children: CommonJsModule[]
  parent: CommonJsModule | undefined
  require: Require
}

type Require = ((specifier: string) => unknown) & {
  resolve: (specifier: string) => string
  cache: Record<string, CommonJsModule>
}

export class ModuleSystem {
  readonly #host: HostBindings
  readonly #cache: Record<string, CommonJsModule> = Object.create(null)
  readonly #builtins = new Map<string, unknown>()
  readonly #lazyBuiltins = new Map<string, () => unknown>()

  constructor(host: HostBindings) {
    this.#host = host
  }

  /** Makes `exports` importable as `name` (e.g. "thaw:snapstart", "node:events"). */
  defineBuiltin(name: string, exports: unknown): void {
    this.#builtins.set(name, exports)
  }

  /** Like defineBuiltin, for exports made on the first import or require (e.g. from a chunk). */
  defineLazyBuiltin(name: string, load: () => unknown): void {
    this.#lazyBuiltins.set(name, load)
  }

  builtin(name: string): unknown {
    if (!this.#builtins.has(name)) {
      const load = this.#lazyBuiltins.get(name)
      if (load === undefined) throw notFound(name)
      this.#builtins.set(name, load())
    }
    return this.#builtins.get(name)
  }

  /** A `require` as seen from the module at `fromPath`. */
  createRequire(fromPath: string, parent?: CommonJsModule): Require {
    const require = ((specifier: string) => {
      if (typeof specifier !== 'string') {
        throw Object.assign(new TypeError('The "id" argument must be of type string'), { code: 'ERR_INVALID_ARG_TYPE' })
      }
      const [format, path] = splitResolved(this.#host.resolve(specifier, fromPath, 'require'))
      if (format === 'builtin') return this.builtin(path)
      return this.requireFile(path, format, parent)
    }) as Require
    require.resolve = (specifier: string) => splitResolved(this.#host.resolve(specifier, fromPath, 'require'))[1]
    require.cache = this.#cache
    return require
  }

  /** Loads a package file by its resolved path and format. */
  requireFile(path: string, format: string, parent?: CommonJsModule): unknown {
    const cached = this.#cache[path]
    if (cached !== undefined) return cached.exports
    if (format === 'json') {
      const text = this.#host.readText(path) ?? ''
      try {
        return this.#register(path, parent, JSON.parse(text)).exports
      } catch (error) {
        delete this.#cache[path]
        if (error instanceof SyntaxError) error.message = `${path}: ${error.message}`
        throw error
      }
    }
    if (format === 'esm') {
      throw Object.assign(new Error(`require() of ES Module ${path} not supported. Use import() instead.`), {
        code: 'ERR_REQUIRE_ESM',
      })
    }
    const compiled = this.#host.compileCommonJs(path)
    const module = this.#register(path, parent, {})
    const dirname = path.slice(0, path.lastIndexOf('/')) || '/'
    try {
      compiled.call(module.exports, module.exports, module.require, module, path, dirname)
    } catch (error) {
      delete this.#cache[path]
      throw error
    }
    module.loaded = true
    return module.exports
  }

  #register(path: string, parent: CommonJsModule | undefined, exports: unknown): CommonJsModule {
    const module: CommonJsModule = {
      id: path,
      filename: path,
      path: path.slice(0, path.lastIndexOf('/')) || '/',
      loaded: false,
      exports,
      children: [],
      parent,
      require: undefined as unknown as Require,
    }
    module.require = this.createRequire(path, module)
    parent?.children.push(module)
    this.#cache[path] = module
    return module
  }
}

export function splitResolved(resolved: string): [format: string, path: string] {
  const colon = resolved.indexOf(':')
  return [resolved.slice(0, colon), resolved.slice(colon + 1)]
}

function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' })
}
