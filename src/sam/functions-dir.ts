import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { deepFreeze } from '../config/validate.js'
import { templateError, type LoadedFunctions, type TemplateFunction, type TemplateWarning } from './types.js'

/**
 * Directory mode, for `thaw serve <dir>` without a template: every subfolder holding an
 * `index.*` file (index.js, index.mjs, index.cjs …) is a function named after the folder, with
 * handler `index.handler`, runtime QuickJS and the host's defaults for everything else. Hidden
 * folders and node_modules are not functions; a folder whose name Lambda would refuse is skipped
 * with a warning.
 */

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/

export async function loadFunctionsDir(dir: string): Promise<LoadedFunctions> {
  const root = path.resolve(dir)
  const rootStat = await stat(root).catch(() => undefined)
  if (rootStat === undefined || !rootStat.isDirectory()) throw templateError('', `functions folder not found: ${root}`)

  const functions: TemplateFunction[] = []
  const warnings: TemplateWarning[] = []
  const entries = (await readdir(root, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const folder = path.join(root, entry.name)
    const files = await readdir(folder)
    if (!files.some((file) => /^index\.[^.]+$/.test(file))) continue
    if (!FUNCTION_NAME.test(entry.name)) {
      warnings.push({
        resource: entry.name,
        path: folder,
        message: 'is not a valid function name (1-64 letters, digits, "-" and "_"); skipped',
      })
      continue
    }
    functions.push({
      logicalId: entry.name,
      declaredRuntime: 'nodejs',
      deploy: { name: entry.name, runtime: 'quickjs', handler: 'index.handler', code: { dir: folder } },
      serve: {},
    })
  }
  return deepFreeze({ source: { kind: 'directory' as const, path: root }, functions, warnings })
}
