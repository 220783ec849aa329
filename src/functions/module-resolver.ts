import { isBuiltin } from 'node:module'
import path from 'node:path'
import { unsupportedBuiltinMessage } from '../../runtime-api/builtin-modules.js'
import { TASK_ROOT, type CodePackage } from './code-package.js'

/**
 * Node's module resolution, over a code package instead of a disk. It runs on the host (plain
 * V8 is much faster at string work than the guest interpreter); the guest asks through a
 * binding each time it meets `require()` or `import`.
 *
 * Deliberately more lenient than Node's ESM resolver: extensionless and directory imports are
 * resolved the CommonJS way in both modes, because unbundled Lambda code relies on it.
 */

export type ModuleFormat = 'esm' | 'cjs' | 'json' | 'builtin'

export interface ResolvedModule {
  /** Absolute path inside the environment (`/var/task/lib/a.js`), or the builtin's name. */
  readonly path: string
  readonly format: ModuleFormat
}

export type ResolveMode = 'import' | 'require'

export class ModuleNotFoundError extends Error {
  override readonly name = 'Error'
  readonly code = 'MODULE_NOT_FOUND'
  constructor(specifier: string, from: string, message = `Cannot find module '${specifier}' imported from ${from}`) {
    super(message)
  }
}

const EXTENSIONS = ['.js', '.mjs', '.cjs', '.json'] as const

export class ModuleResolver {
  readonly #pkg: CodePackage
  readonly #builtins: ReadonlySet<string>
  readonly #typeCache = new Map<string, 'module' | 'commonjs'>()
  readonly #manifestCache = new Map<string, Record<string, unknown> | null>()

  constructor(pkg: CodePackage, builtins: ReadonlySet<string> = new Set()) {
    this.#pkg = pkg
    this.#builtins = builtins
  }

  /** Resolves `specifier` as seen from the module at `fromPath` (an absolute guest path). */
  resolve(specifier: string, fromPath: string, mode: ResolveMode): ResolvedModule {
    if (this.#builtins.has(specifier)) return { path: specifier, format: 'builtin' }
    // Node's builtins win over packages of the same name, as in Node; those the guest lacks fail clearly.
    if (isBuiltin(specifier)) throw new ModuleNotFoundError(specifier, fromPath, unsupportedBuiltinMessage(specifier))
    const fromDir = path.posix.dirname(fromPath)
    let found: string | undefined
    if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
      found = this.#fileOrDirectory(toPackagePath(path.posix.resolve(fromDir, specifier)), mode)
    } else if (specifier.startsWith('/')) {
      found = this.#fileOrDirectory(toPackagePath(path.posix.normalize(specifier)), mode)
    } else if (!specifier.includes(':')) {
      found = this.#bare(specifier, toPackagePath(fromDir) ?? '', mode)
    }
    if (found === undefined) throw new ModuleNotFoundError(specifier, fromPath)
    return { path: `${TASK_ROOT}/${found}`, format: this.formatOf(found) }
  }

  /**
   * Finds the module a handler string names, in the order Lambda's Node runtime tries:
   * the path as given, then `.js`, `.mjs`, `.cjs`. `modulePath` is relative to the task root.
   */
  locateHandlerModule(modulePath: string): ResolvedModule | undefined {
    const base = toPackagePath(path.posix.resolve(TASK_ROOT, modulePath))
    if (base === undefined) return undefined
    for (const candidate of [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`]) {
      if (this.#pkg.isFile(candidate)) return { path: `${TASK_ROOT}/${candidate}`, format: this.formatOf(candidate) }
    }
    return undefined
  }

  /** The format Node would load a package file in: by extension, then the nearest package.json "type". */
  formatOf(file: string): Exclude<ModuleFormat, 'builtin'> {
    if (file.endsWith('.mjs')) return 'esm'
    if (file.endsWith('.cjs')) return 'cjs'
    if (file.endsWith('.json')) return 'json'
    return this.#packageType(path.posix.dirname(file)) === 'module' ? 'esm' : 'cjs'
  }

  #packageType(dir: string): 'module' | 'commonjs' {
    const cached = this.#typeCache.get(dir)
    if (cached !== undefined) return cached
    const manifest = this.#manifest(dir)
    let type: 'module' | 'commonjs'
    if (manifest !== null) type = manifest.type === 'module' ? 'module' : 'commonjs'
    else if (dir === '.' || dir === '') type = 'commonjs'
    else type = this.#packageType(parentOf(dir))
    this.#typeCache.set(dir, type)
    return type
  }

  #manifest(dir: string): Record<string, unknown> | null {
    let manifest = this.#manifestCache.get(dir)
    if (manifest === undefined) {
      const text = this.#pkg.text(join(dir, 'package.json'))
      manifest = null
      if (text !== undefined) {
        try {
          const parsed: unknown = JSON.parse(text)
          if (parsed !== null && typeof parsed === 'object') manifest = parsed as Record<string, unknown>
        } catch {
          manifest = null
        }
      }
      this.#manifestCache.set(dir, manifest)
    }
    return manifest
  }

  #fileOrDirectory(target: string | undefined, mode: ResolveMode): string | undefined {
    if (target === undefined) return undefined
    if (this.#pkg.isFile(target)) return target
    for (const extension of EXTENSIONS) if (this.#pkg.isFile(target + extension)) return target + extension
    if (!this.#pkg.isDirectory(target)) return undefined
    const manifest = this.#manifest(target)
    if (manifest !== null && typeof manifest.main === 'string') {
      const main = this.#fileOrDirectory(join(target, path.posix.normalize(manifest.main)), mode)
      if (main !== undefined) return main
    }
    for (const index of ['index.js', 'index.mjs', 'index.cjs', 'index.json']) {
      if (this.#pkg.isFile(join(target, index))) return join(target, index)
    }
    return undefined
  }

  #bare(specifier: string, fromDir: string, mode: ResolveMode): string | undefined {
    const parts = specifier.split('/')
    const nameLength = specifier.startsWith('@') ? 2 : 1
    const name = parts.slice(0, nameLength).join('/')
    const subpath = parts.slice(nameLength).join('/')
    for (let dir: string | undefined = fromDir; dir !== undefined; dir = dir === '' ? undefined : parentOf(dir)) {
      if (path.posix.basename(dir) === 'node_modules') continue
      const packageDir = join(join(dir, 'node_modules'), name)
      if (!this.#pkg.isDirectory(packageDir)) continue
      const manifest = this.#manifest(packageDir)
      if (manifest !== null && manifest.exports !== undefined && manifest.exports !== null) {
        const target = resolveExports(manifest.exports, subpath === '' ? '.' : `./${subpath}`, mode)
        return target === undefined ? undefined : this.#fileOrDirectory(join(packageDir, path.posix.normalize(target)), mode)
      }
      return this.#fileOrDirectory(subpath === '' ? packageDir : join(packageDir, subpath), mode)
    }
    return undefined
  }
}

/** Package "exports": a string, a conditions object, or a map of subpaths (with `*` patterns). */
function resolveExports(exports: unknown, subpath: string, mode: ResolveMode): string | undefined {
  const isSubpathMap =
    exports !== null && typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports).some((key) => key.startsWith('.'))
  if (!isSubpathMap) return subpath === '.' ? resolveConditions(exports, mode) : undefined
  const map = exports as Record<string, unknown>
  if (subpath in map) return resolveConditions(map[subpath], mode)
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf('*')
    if (star < 0) continue
    const prefix = key.slice(0, star)
    const suffix = key.slice(star + 1)
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      const match = subpath.slice(prefix.length, subpath.length - suffix.length)
      return resolveConditions(value, mode)?.replaceAll('*', match)
    }
  }
  return undefined
}

function resolveConditions(target: unknown, mode: ResolveMode): string | undefined {
  if (typeof target === 'string') return target
  if (Array.isArray(target)) {
    for (const entry of target) {
      const resolved = resolveConditions(entry, mode)
      if (resolved !== undefined) return resolved
    }
    return undefined
  }
  if (target === null || typeof target !== 'object') return undefined
  for (const [condition, value] of Object.entries(target)) {
    if (condition === mode || condition === 'node' || condition === 'default' || condition === 'module-sync') {
      const resolved = resolveConditions(value, mode)
      if (resolved !== undefined) return resolved
    }
  }
  return undefined
}

/** "/var/task/a/b" → "a/b"; undefined for paths outside the task root. */
function toPackagePath(absolute: string): string | undefined {
  if (absolute === TASK_ROOT) return ''
  return absolute.startsWith(`${TASK_ROOT}/`) ? absolute.slice(TASK_ROOT.length + 1) : undefined
}

function join(dir: string, name: string): string {
  return dir === '' || dir === '.' ? name : `${dir}/${name}`
}

function parentOf(dir: string): string {
  const parent = path.posix.dirname(dir)
  return parent === '.' ? '' : parent
}
