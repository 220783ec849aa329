import type { Plugin } from 'esbuild'

/** The specifier of the virtual module that `inject` adds to a bundle (see cjsGlobalsPlugin). */
export const CJS_GLOBALS_MODULE = 'thaw-bundler:cjs-globals'

/**
 * `__filename` and `__dirname` for the CommonJS code inside an ES module bundle, where Node
 * defines neither. Many packages compute a path from `__dirname` at load time and only read it
 * later, if ever; without these, a bundle would fail its INIT with a ReferenceError. They name the
 * bundle file itself (every module now lives in it). esbuild's `inject` adds the module only to
 * bundles that use one of the two names.
 */
export function cjsGlobalsPlugin(): Plugin {
  return {
    name: 'thaw-cjs-globals',
    setup(build) {
      build.onResolve({ filter: /^thaw-bundler:cjs-globals$/ }, ({ path }) => ({ path, namespace: 'thaw-cjs-globals' }))
      build.onLoad({ filter: /.*/, namespace: 'thaw-cjs-globals' }, () => ({
        // A string slice, not URL/fileURLToPath: those would load the guest's URL chunk at every INIT.
        // Pure-annotated so that bundles that use neither name drop the module entirely.
        contents: `export const __filename = /* @__PURE__ */ decodeURIComponent(/* @__PURE__ */ import.meta.url.replace(/^file:\\/\\//, ''))
export const __dirname = /* @__PURE__ */ __filename.slice(0, /* @__PURE__ */ __filename.lastIndexOf('/')) || '/'
`,
        loader: 'js',
      }))
    },
  }
}
