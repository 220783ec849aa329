import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Plugin } from 'esbuild'

/** Marks the plugin's own nested resolve calls, so that they are not intercepted again. */
const NESTED = { nested: 'thaw-package-scope' }

/**
 * Keeps the function folder the root of package scopes, as `/var/task` is in Lambda. For a `.js`
 * file, Node (and esbuild) take ES module or CommonJS from the `type` of the nearest package.json,
 * walking up past the folder: a CommonJS handler in a folder without a package.json, inside a
 * project whose own package.json says `"type": "module"`, would be bundled as an ES module (its
 * `module.exports` then a free variable), though it runs as CommonJS once deployed.
 *
 * Such files (the function's own, reached by relative or absolute imports; packages in
 * node_modules always have a package.json) are resolved here and returned without esbuild's
 * package data, so esbuild decides their format from their syntax. Other files keep esbuild's
 * resolution untouched.
 */
export function packageScopePlugin(functionDir: string): Plugin {
  const hasOwnManifest = new Map<string, boolean>()
  /** Whether a package.json lies between `dir` and the function folder (both included). */
  const scoped = (dir: string): boolean => {
    let known = hasOwnManifest.get(dir)
    if (known === undefined) {
      known = existsSync(path.join(dir, 'package.json')) || (dir !== functionDir && scoped(path.dirname(dir)))
      hasOwnManifest.set(dir, known)
    }
    return known
  }
  return {
    name: 'thaw-package-scope',
    setup(build) {
      build.onResolve({ filter: /^(?:\.\.?\/|\/)/ }, async (args) => {
        if (args.pluginData === NESTED) return undefined
        const { importer, namespace, resolveDir, kind, with: attributes } = args
        const result = await build.resolve(args.path, { importer, namespace, resolveDir, kind, with: attributes, pluginData: NESTED })
        if (result.errors.length > 0 || result.external || result.namespace !== 'file' || !result.path.endsWith('.js')) return undefined
        const relative = path.relative(functionDir, result.path)
        if (relative.startsWith('..') || path.isAbsolute(relative) || scoped(path.dirname(result.path))) return undefined
        return { path: result.path, sideEffects: result.sideEffects }
      })
    },
  }
}
