import { mkdir, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { build, formatMessages, type BuildFailure, type Message } from 'esbuild'
import { z } from 'zod'
import { functionConfigSchema } from '../config/function-config.js'
import { parseOptions } from '../config/validate.js'
import { ThawError } from '../errors.js'
import { TASK_ROOT } from '../functions/code-package.js'
import { builtinModulesPlugin } from './builtin-modules-plugin.js'
import { commonJsEntrySource, locateHandlerEntry } from './handler-entry.js'
import { packageScopePlugin } from './package-scope-plugin.js'

const bundleOptionsSchema = z.strictObject({
  /** The function's folder: the handler's module and the `node_modules` it imports from. */
  dir: z.string({ error: 'must name a folder' }).min(1, 'must name a folder'),
  /** The handler string the function is deployed with; the bundle keeps it valid. */
  handler: functionConfigSchema.shape.handler.default('index.handler'),
  /** Where the bundle is written (created if missing); must not be `dir` itself. */
  outDir: z.string({ error: 'must name a folder' }).min(1, 'must name a folder'),
  /** Minify syntax and white space (names are kept either way, for stack traces). */
  minify: z.boolean({ error: 'must be a boolean' }).default(false),
})

export type BundleOptions = z.input<typeof bundleOptionsSchema>

export interface BundleResult {
  /** The handler string to deploy the bundle with: the one given. */
  readonly handler: string
  /** Absolute path of the bundle: `<outDir>/<module path of the handler>.mjs`. */
  readonly outFile: string
  readonly outBytes: number
  /** The source files esbuild read into the bundle, and their total size. */
  readonly inputFiles: number
  readonly inputBytes: number
  /** esbuild's warnings (e.g. a `require()` of a computed name), formatted for a terminal. */
  readonly warnings: readonly string[]
}

/**
 * Bundles a handler and everything it imports from its folder (its `node_modules` included) into
 * one ES module, `<outDir>/<file>.mjs`, for faster INIT (one file for the guest to parse, no module
 * resolution) and smaller snapshots (only the code that is used). Node builtins stay references
 * to the guest platform's modules (builtin-modules-plugin.ts), `thaw:*` modules stay external.
 *
 * Packages are resolved as Node resolves them (the `node` and `import`/`require` conditions,
 * `main` before `module`), since the guest platform follows Node 20.
 *
 * Throws a ThawError: THAW_INVALID_CONFIG for bad options, THAW_INVALID_CODE_PACKAGE for a
 * missing folder or handler module, THAW_BUILD_FAILED when esbuild cannot bundle the code.
 */
export async function bundleFunction(input: BundleOptions): Promise<BundleResult> {
  const options = parseOptions(bundleOptionsSchema, input, 'bundle options')
  const given = path.resolve(options.dir)
  const outDir = path.resolve(options.outDir)
  const info = await stat(given).catch(() => undefined)
  if (info === undefined) throw new ThawError('THAW_INVALID_CODE_PACKAGE', `Function folder ${options.dir} does not exist`, { field: 'dir' })
  if (!info.isDirectory()) throw new ThawError('THAW_INVALID_CODE_PACKAGE', `Function folder ${options.dir} is not a folder`, { field: 'dir' })
  // Real paths: esbuild reports files by their real paths.
  const dir = await realpath(given)
  if (outDir === given || outDir === dir) throw new ThawError('THAW_INVALID_CONFIG', 'The output folder must not be the function folder itself', { field: 'outDir' })

  const entry = await locateHandlerEntry(dir, options.handler)
  const outFile = path.join(outDir, `${entry.modulePath}.mjs`)
  const guestPath = path.posix.join(TASK_ROOT, `${entry.modulePath}.mjs`)
  await refuseShadowingFiles(outDir, entry.modulePath)
  await mkdir(path.dirname(outFile), { recursive: true })

  let result
  try {
    result = await build({
      ...(entry.format === 'esm'
        ? { entryPoints: [entry.file] }
        : { stdin: { contents: commonJsEntrySource(entry), resolveDir: path.dirname(entry.file), sourcefile: '<handler entry>', loader: 'js' } }),
      outfile: outFile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      // What QuickJS parses natively: nothing is lowered (lowering costs size and speed).
      target: 'es2023',
      plugins: [builtinModulesPlugin(), packageScopePlugin(dir)],
      // CommonJS code in an ES module has no __filename/__dirname of its own. Many packages compute
      // a path from them at load time and read it later, if ever: they name the bundle itself.
      define: { __filename: JSON.stringify(guestPath), __dirname: JSON.stringify(path.posix.dirname(guestPath)) },
      // Names of functions and classes show in stack traces, `error.name` and util.inspect.
      keepNames: true,
      minify: options.minify,
      metafile: true,
      absWorkingDir: dir,
      logLevel: 'silent',
    })
  } catch (error) {
    const failure = error as BuildFailure
    if (!Array.isArray(failure.errors)) throw error
    const messages = await formatted(failure.errors, 'error')
    throw new ThawError('THAW_BUILD_FAILED', `Cannot bundle ${options.handler}:\n${messages.join('\n')}`, { field: 'dir', cause: error })
  }
  // Files read from disk; not the virtual modules of the plugins (`namespace:path`) or the stdin entry.
  const inputs = Object.entries(result.metafile.inputs)
    .filter(([name]) => !name.startsWith('<') && !/^[a-z][a-z-]+:/.test(name))
    .map(([, input]) => input)
  const output = result.metafile.outputs[path.relative(dir, outFile).split(path.sep).join('/')]
  return {
    handler: options.handler,
    outFile,
    outBytes: output?.bytes ?? (await stat(outFile)).size,
    inputFiles: inputs.length,
    inputBytes: inputs.reduce((sum, input) => sum + input.bytes, 0),
    warnings: await formatted(result.warnings, 'warning'),
  }
}

/**
 * The handler string resolves `file` before `file.js` before `file.mjs`: a leftover `index.js` in
 * the output folder would be loaded instead of the bundle `index.mjs`.
 */
async function refuseShadowingFiles(outDir: string, modulePath: string): Promise<void> {
  for (const candidate of [modulePath, `${modulePath}.js`]) {
    if ((await stat(path.join(outDir, candidate)).catch(() => undefined)) !== undefined) {
      throw new ThawError(
        'THAW_INVALID_CONFIG',
        `The output folder already holds ${candidate}, which the handler would load instead of the bundle ${modulePath}.mjs`,
        { field: 'outDir' },
      )
    }
  }
}

async function formatted(messages: Message[], kind: 'error' | 'warning'): Promise<string[]> {
  return (await formatMessages(messages, { kind, color: false })).map((text) => text.trimEnd())
}
