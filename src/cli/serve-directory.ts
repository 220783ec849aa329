import { readdir } from 'node:fs/promises'
import path from 'node:path'
import type { DeployOptions } from '../config/function-config.js'

/** A handler file a folder must hold to be a function (what Thaw's module resolution loads). */
const INDEX_FILE = /^index\.(js|mjs|cjs)$/
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/

/**
 * Directory mode of `thaw serve <dir>`: every subfolder of `dir` holding an `index.js`,
 * `index.mjs` or `index.cjs` is a function named after the folder, with the handler
 * `index.handler` and the default settings (128 MB, 3 s). Other folders are skipped and reported.
 */
export async function functionsInDirectory(dir: string): Promise<{ functions: DeployOptions[]; skipped: string[] }> {
  const entries = await readdir(dir, { withFileTypes: true })
  const functions: DeployOptions[] = []
  const skipped: string[] = []
  for (const entry of entries.filter((candidate) => candidate.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const folder = path.join(dir, entry.name)
    const files = await readdir(folder)
    if (!files.some((file) => INDEX_FILE.test(file))) {
      skipped.push(`${entry.name}: no index.js, index.mjs or index.cjs`)
      continue
    }
    if (!FUNCTION_NAME.test(entry.name)) {
      skipped.push(`${entry.name}: not a function name (1-64 of letters, digits, "-" and "_")`)
      continue
    }
    functions.push({ name: entry.name, runtime: 'quickjs', handler: 'index.handler', code: { dir: folder } })
  }
  return { functions, skipped }
}
