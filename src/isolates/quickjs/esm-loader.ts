import { initSync as initLexer, parse as parseCommonJs } from 'cjs-module-lexer'
import type { QuickJSRuntime } from 'quickjs-emscripten-core'
import { packagePath, TASK_ROOT, type CodePackage } from '../../functions/code-package.js'
import type { ModuleFormat, ModuleResolver } from '../../functions/module-resolver.js'
import { BUILTIN_LOADER_KEY, BUILTIN_MODULES } from '../../../runtime-api/builtin-modules.js'

/**
 * ES module loading for one QuickJS runtime: QuickJS asks the normaliser to resolve each
 * `import` and the loader for the module's source. ESM files load as they are; CommonJS and
 * JSON files load as small generated ES modules over the guest's `require`, with named exports
 * found the way Node finds them (cjs-module-lexer, Node's own lexer).
 */

initLexer()

const NOT_FOUND = 'thaw:not-found:'
const REQUIRE_BY_PATH = "globalThis[Symbol.for('thaw.requireByPath')]"
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
const RESERVED = new Set(['default', 'await', 'yield', 'let', 'static', 'enum', 'implements', 'package', 'protected', 'interface', 'private', 'public'])

/** `loaded` collects the package files loaded as ES modules (see HostBindings.referencedNames). */
export function installModuleLoader(runtime: QuickJSRuntime, pkg: CodePackage, resolver: ModuleResolver, loaded: Set<string>): void {
  const formats = new Map<string, ModuleFormat>()
  runtime.setModuleLoader(
    (moduleName) => {
      if (moduleName.startsWith(NOT_FOUND)) throw new Error(moduleName.slice(NOT_FOUND.length))
      const builtinNames = BUILTIN_MODULES[moduleName]
      if (builtinNames !== undefined) return builtinFacade(moduleName, builtinNames)
      const format = formats.get(moduleName) ?? resolver.formatOf(packagePath(moduleName))
      if (format === 'esm') {
        loaded.add(moduleName)
        return withImportMeta(moduleName, pkg.text(packagePath(moduleName)) ?? '')
      }
      if (format === 'json') return `export default JSON.parse(${JSON.stringify(pkg.text(packagePath(moduleName)) ?? '')})`
      return commonJsFacade(moduleName, format, pkg, resolver)
    },
    (baseName, requested) => {
      try {
        const resolved = resolver.resolve(requested, baseName.startsWith('/') ? baseName : `${TASK_ROOT}/index.mjs`, 'import')
        formats.set(resolved.path, resolved.format)
        return resolved.path
      } catch (error) {
        // QuickJS drops a normaliser's error message; hand the loader a name it will fail with.
        return `${NOT_FOUND}${(error as Error).message}`
      }
    },
  )
}

/**
 * QuickJS leaves `import.meta` empty; Node fills in url, filename and dirname. Set them on the
 * module's first line so that line numbers in stack traces stay true.
 */
function withImportMeta(path: string, source: string): string {
  const dirname = path.slice(0, path.lastIndexOf('/')) || '/'
  const meta = `import.meta.url=${JSON.stringify(`file://${path}`)};import.meta.filename=${JSON.stringify(path)};import.meta.dirname=${JSON.stringify(dirname)};`
  if (!source.startsWith('#!')) return meta + source
  const lineEnd = source.indexOf('\n')
  return lineEnd < 0 ? `//${source.slice(2)}` : `//${source.slice(2, lineEnd)}\n${meta}${source.slice(lineEnd + 1)}`
}

function builtinFacade(name: string, names: readonly string[]): string {
  return [
    `const m = globalThis[Symbol.for(${JSON.stringify(BUILTIN_LOADER_KEY)})](${JSON.stringify(name)});`,
    'export default m;',
    ...(names.length > 0 ? [`export const { ${names.join(', ')} } = m;`] : []),
  ].join('\n')
}

function commonJsFacade(path: string, format: ModuleFormat, pkg: CodePackage, resolver: ModuleResolver): string {
  const names = [...exportNames(path, pkg, resolver, new Set())].filter((name) => IDENTIFIER.test(name) && !RESERVED.has(name))
  const lines = [`const m = ${REQUIRE_BY_PATH}(${JSON.stringify(path)}, ${JSON.stringify(format)});`, 'export default m;']
  if (names.length > 0) lines.push(`export const { ${names.join(', ')} } = m;`)
  return lines.join('\n')
}

/** The names a CommonJS module exports, following `module.exports = require(...)` re-exports. */
function exportNames(path: string, pkg: CodePackage, resolver: ModuleResolver, seen: Set<string>): Set<string> {
  const names = new Set<string>()
  const source = pkg.text(packagePath(path))
  if (source === undefined || seen.has(path) || resolver.formatOf(packagePath(path)) !== 'cjs') return names
  seen.add(path)
  try {
    const { exports, reexports } = parseCommonJs(source)
    for (const name of exports) names.add(name)
    for (const specifier of reexports) {
      try {
        const target = resolver.resolve(specifier, path, 'require')
        if (target.format === 'cjs') for (const name of exportNames(target.path, pkg, resolver, seen)) names.add(name)
      } catch {
        // An unresolvable re-export contributes no names; requiring it will report the error.
      }
    }
  } catch {
    // Not lexable (e.g. a syntax error): only `default`; evaluation will report the real error.
  }
  return names
}
