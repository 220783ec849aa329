/**
 * Builds the guest artifacts: the sources under guest/ are bundled by esbuild into scripts the
 * host evaluates inside each sandbox. Output goes to build/guest/ (never committed).
 *
 *   npm run build:guest
 */
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outDir = path.join(root, 'build', 'guest')

export const GUEST_ARTIFACTS = [{ entry: 'guest/quickjs/runtime.ts', out: 'quickjs-runtime.js' }] as const

await mkdir(outDir, { recursive: true })
for (const artifact of GUEST_ARTIFACTS) {
  await build({
    entryPoints: [path.join(root, artifact.entry)],
    outfile: path.join(outDir, artifact.out),
    bundle: true,
    format: 'iife',
    // QuickJS (2024-01) supports ES2023; nothing must be lowered for older engines.
    target: 'es2022',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  })
}
