import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { ThawError } from '../errors.js'

/** The module a handler string names, found in a function's folder as Lambda's Node runtime finds it. */
export interface HandlerEntry {
  /** Absolute path of the handler's module on disk. */
  readonly file: string
  readonly format: 'esm' | 'cjs'
  /** `lib/index` of `lib/index.handler`: where the bundle goes, so the same handler string names it. */
  readonly modulePath: string
  /** `handler` of `lib/index.handler.nested`: the module export the handler lives under. */
  readonly exportName: string
}

/**
 * Splits `[dir/]file.export[.nested]` as Lambda does (the module path ends at the first `.` after
 * the last `/`) and finds the file: as named, then `.js`, `.mjs`, `.cjs`. The handler string has
 * been validated already (the deploy schema's rules).
 */
export async function locateHandlerEntry(dir: string, handler: string): Promise<HandlerEntry> {
  const slash = handler.lastIndexOf('/')
  const dot = handler.indexOf('.', slash + 1)
  const modulePath = handler.slice(0, dot)
  const exportName = handler.slice(dot + 1).split('.')[0] as string
  const base = path.resolve(dir, modulePath)
  if (path.relative(dir, base).startsWith('..')) {
    throw new ThawError('THAW_INVALID_CONFIG', `Handler ${handler} leaves the function folder`, { field: 'handler' })
  }
  for (const candidate of [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`]) {
    if ((await stat(candidate).catch(() => undefined))?.isFile() === true) {
      return { file: candidate, format: await formatOf(dir, candidate), modulePath, exportName }
    }
  }
  throw new ThawError(
    'THAW_INVALID_CODE_PACKAGE',
    `Cannot find the handler's module ${modulePath} (tried ${modulePath}, .js, .mjs, .cjs) in ${dir}`,
    { field: 'handler' },
  )
}

/** As Node decides: by extension, then by the `type` of the nearest package.json (up to `root`). */
async function formatOf(root: string, file: string): Promise<'esm' | 'cjs'> {
  if (file.endsWith('.mjs')) return 'esm'
  if (file.endsWith('.cjs')) return 'cjs'
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = await readFile(path.join(dir, 'package.json'), 'utf8').catch(() => undefined)
    if (manifest !== undefined) {
      try {
        return (JSON.parse(manifest) as { type?: unknown }).type === 'module' ? 'esm' : 'cjs'
      } catch {
        return 'cjs'
      }
    }
    if (path.resolve(dir) === path.resolve(root) || path.dirname(dir) === dir) return 'cjs'
  }
}

/**
 * The entry of a bundle whose handler module is CommonJS. esbuild turns a CommonJS entry into an
 * ES module with only a default export; the guest, like Lambda, looks the handler up by its
 * export name, so this module re-exports it by name (and the whole `module.exports` as default).
 */
export function commonJsEntrySource(entry: HandlerEntry): string {
  const specifier = JSON.stringify(`./${path.basename(entry.file)}`)
  const name = JSON.stringify(entry.exportName)
  // `export { x as "any-name" }` (ES2022) covers export names that are not identifiers.
  const lines = [`import * as handlerModule from ${specifier}`, `const exported = handlerModule[${name}]`, `export { exported as ${name} }`]
  if (entry.exportName !== 'default') lines.push('export default handlerModule.default')
  return `${lines.join('\n')}\n`
}
