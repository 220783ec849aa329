/**
 * Builds the guest artifacts: the sources under guest/ are bundled by esbuild into scripts the
 * host evaluates inside each sandbox. Output goes to build/guest/ (never committed).
 *
 *   npm run build:guest
 *
 * The runtime is one script evaluated in every new environment, so it is kept small. Heavy parts
 * of the platform (URL, text encoding, structuredClone, base64, util.inspect) are chunks: each an
 * IIFE whose exports land in `__thaw_chunk`, evaluated by the host only when a guest first needs
 * it (QuickJS spends ~1 ms parsing every 10 KB of source).
 *
 * Node's builtin modules (`node:buffer`, …) are chunks too, one per module. Inside any guest
 * source, an import of a Node builtin by its own name (`events`, `node:events`) means the guest's
 * builtin, loaded at run time, never a second bundled copy; a polyfill package is imported with a
 * trailing slash (`buffer/`) or a path inside it.
 */
import { mkdir, readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { builtinModules } from 'node:module'
import { build, type BuildOptions, type Plugin } from 'esbuild'
import { BUILTIN_LOADER_KEY } from '../runtime-api/builtin-modules.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outDir = path.join(root, 'build', 'guest')

const NODE_BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith('_')))

/** Imports of Node builtins become calls to the runtime's builtin loader (see guest/quickjs/node-builtins.ts). */
const guestBuiltins: Plugin = {
  name: 'guest-builtins',
  setup(builder) {
    builder.onResolve({ filter: /^[a-z_/:]+$/ }, ({ path: specifier }) => {
      const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier
      if (!NODE_BUILTINS.has(name)) return undefined
      return { path: name, namespace: 'guest-builtin' }
    })
    builder.onLoad({ filter: /.*/, namespace: 'guest-builtin' }, ({ path: name }) => ({
      contents: `module.exports = globalThis[Symbol.for(${JSON.stringify(BUILTIN_LOADER_KEY)})](${JSON.stringify(name)})`,
      loader: 'js',
    }))
    // readable-stream (node:stream) asks for the npm packages `process/` and `string_decoder/`
    // by name: the guest's own `process` and string_decoder builtin serve, no second copy.
    builder.onResolve({ filter: /^process\/$/ }, () => ({ path: 'process', namespace: 'guest-global' }))
    builder.onResolve({ filter: /^string_decoder\/$/ }, ({ importer }) =>
      importer.includes('/node_modules/readable-stream/') ? { path: 'string_decoder', namespace: 'guest-builtin' } : undefined,
    )
    // Its AbortController: the guest's own global (guest/quickjs/web/).
    builder.onResolve({ filter: /^abort-controller$/ }, () => ({ path: 'AbortController', namespace: 'guest-global' }))
    builder.onLoad({ filter: /.*/, namespace: 'guest-global' }, ({ path: name }) => ({
      contents:
        name === 'process'
          ? 'module.exports = globalThis.process'
          : "module.exports = { AbortController: globalThis.AbortController, AbortSignal: globalThis.AbortSignal }",
      loader: 'js',
      resolveDir: root,
    }))
  },
}

const common: BuildOptions = {
  plugins: [guestBuiltins],
  bundle: true,
  format: 'iife',
  // QuickJS supports ES2023; nothing must be lowered for older engines.
  target: 'es2022',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  minify: true,
  // Class and function names show in stack traces and util.inspect output.
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
}

await mkdir(path.join(outDir, 'chunks'), { recursive: true })
await build({ ...common, entryPoints: [path.join(root, 'guest/quickjs/runtime.ts')], outfile: path.join(outDir, 'quickjs-runtime.js') })
const chunkDir = path.join(root, 'guest/quickjs/chunks')
for (const file of await readdir(chunkDir)) {
  await build({
    ...common,
    entryPoints: [path.join(chunkDir, file)],
    outfile: path.join(outDir, 'chunks', file.replace(/\.ts$/, '.js')),
    globalName: '__thaw_chunk',
  })
}
