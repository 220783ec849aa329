import { isBuiltin } from 'node:module'
import type { Plugin } from 'esbuild'
import { BUILTIN_MODULES, unsupportedBuiltinMessage } from '../../runtime-api/builtin-modules.js'

/**
 * Node's builtin modules in a bundle are never bundled: each stays a reference to the guest
 * platform's own module, so it exists once per environment and a bundle made today picks up
 * the platform's later fixes.
 *
 * - `import … from 'events'` (or `node:events`, or `import('events')`) stays an external ES import
 *   of `node:events`.
 * - `require('events')` in a bundled CommonJS package becomes a module whose `module.exports` is
 *   the default export of an ES import of `node:events` (the whole module, as `require` returns).
 *   esbuild would otherwise emit its `__require` shim, which throws "Dynamic require of "events"
 *   is not supported" in an ES module, where there is no `require`.
 * - `thaw:*` modules (`thaw:snapstart`) stay external the same way; `require()` gets the namespace.
 * - `require()` of a builtin the guest platform lacks throws MODULE_NOT_FOUND when it runs, with
 *   the same message as an unbundled `require`: packages that probe for an optional builtin inside
 *   a `try` keep working, where a hoisted `import` would fail the whole INIT.
 */
export function builtinModulesPlugin(): Plugin {
  return {
    name: 'thaw-builtin-modules',
    setup(build) {
      // Names as Node spells them: `events`, `node:events`, `fs/promises`, `node:test`; and `thaw:*`.
      build.onResolve({ filter: /^(?:node:|thaw:)?[a-z_][a-z0-9_/]*$/ }, ({ path: specifier, kind }) => {
        if (specifier.startsWith('thaw:')) return kind === 'require-call' ? { path: specifier, namespace: 'thaw-module-require' } : { path: specifier, external: true }
        if (!isBuiltin(specifier)) return undefined
        const nodeName = specifier.startsWith('node:') ? specifier : `node:${specifier}`
        if (kind !== 'require-call') return { path: nodeName, external: true }
        return { path: nodeName, namespace: guestProvides(nodeName) ? 'thaw-builtin-require' : 'thaw-missing-builtin' }
      })
      build.onLoad({ filter: /.*/, namespace: 'thaw-builtin-require' }, ({ path: nodeName }) => ({
        contents: `import builtin from ${JSON.stringify(nodeName)}\nmodule.exports = builtin\n`,
        loader: 'js',
      }))
      // Thaw's own modules (`thaw:snapstart`) have named exports only: require() gets the namespace.
      build.onLoad({ filter: /.*/, namespace: 'thaw-module-require' }, ({ path: name }) => ({
        contents: `import * as thawModule from ${JSON.stringify(name)}\nmodule.exports = thawModule\n`,
        loader: 'js',
      }))
      build.onLoad({ filter: /.*/, namespace: 'thaw-missing-builtin' }, ({ path: nodeName }) => ({
        contents: `const error = new Error(${JSON.stringify(unsupportedBuiltinMessage(nodeName.slice(5)))})
error.code = 'MODULE_NOT_FOUND'
throw error
`,
        loader: 'js',
      }))
    },
  }
}

/** Whether the guest platform serves `node:x` (see runtime-api/builtin-modules.ts). */
function guestProvides(nodeName: string): boolean {
  return Object.hasOwn(BUILTIN_MODULES, nodeName)
}
