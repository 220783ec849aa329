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
 */
import { mkdir, readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type BuildOptions } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outDir = path.join(root, 'build', 'guest')

const common: BuildOptions = {
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
