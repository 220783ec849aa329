/**
 * node:path (and node:path/posix, the same object, as in Node): `path-browserify`, a copy of
 * Node's own POSIX path code, wrapped so that bad arguments fail with Node 20's
 * `ERR_INVALID_ARG_TYPE` errors (the package throws plain TypeErrors with Node 8's messages).
 *
 * `path.win32` exists with Node's `sep` ('\\') and `delimiter` (';'), but its functions throw
 * `ERR_METHOD_NOT_IMPLEMENTED`: functions run on Linux, and silently giving POSIX answers to
 * Windows questions would be worse than a clear error. `path.matchesGlob` (experimental in Node
 * 20) is not provided.
 */
import { invalidArgType, nodeError, validateString } from './errors.js'

type PathFn = (...args: string[]) => unknown

// Bundled by esbuild (the package has no type declarations).
declare const require: (id: string) => unknown
const base = require('path-browserify') as Record<string, PathFn>

const checked =
  (name: string, validate: (args: unknown[]) => void): PathFn =>
  (...args: unknown[]) => {
    validate(args)
    return Reflect.apply(base[name] as PathFn, path, args)
  }

const eachPath = (label: (i: number) => string) => (args: unknown[]) => args.forEach((arg, i) => validateString(arg, label(i)))

function makeWin32(): Record<string, unknown> {
  const win32: Record<string, unknown> = {}
  for (const name of ['resolve', 'normalize', 'isAbsolute', 'join', 'relative', 'toNamespacedPath', 'dirname', 'basename', 'extname', 'format', 'parse']) {
    win32[name] = () => {
      throw nodeError(Error, 'ERR_METHOD_NOT_IMPLEMENTED', `The path.win32.${name}() method is not implemented in Thaw (functions run on Linux)`)
    }
  }
  Object.assign(win32, { sep: '\\', delimiter: ';', win32, posix: undefined, _makeLong: win32.toNamespacedPath })
  return win32
}

const toNamespacedPath = (p: unknown): unknown => p

/** Node 20's format (path-browserify's predates the added dot of an `ext` given without one). */
function format(pathObject: unknown): string {
  if (pathObject === null || typeof pathObject !== 'object') throw invalidArgType('pathObject', 'Object', pathObject)
  const { dir, root, base, name, ext } = pathObject as Record<string, string | undefined>
  const directory = dir || root
  const extension = ext ? `${ext[0] === '.' ? '' : '.'}${ext}` : ''
  const file = base || `${name || ''}${extension}`
  if (!directory) return file
  return directory === root ? `${directory}${file}` : `${directory}/${file}`
}

/** Key order as in Node 20 (Object.keys(require('path'))), without matchesGlob. */
export const path: Record<string, unknown> = {
  resolve: checked('resolve', eachPath((i) => `paths[${i}]`)),
  normalize: checked('normalize', eachPath(() => 'path')),
  isAbsolute: checked('isAbsolute', eachPath(() => 'path')),
  join: checked('join', eachPath(() => 'path')),
  relative: checked('relative', ([from, to]) => {
    validateString(from, 'from')
    validateString(to, 'to')
  }),
  toNamespacedPath,
  dirname: checked('dirname', ([p]) => validateString(p, 'path')),
  basename: checked('basename', ([p, suffix]) => {
    if (suffix !== undefined) validateString(suffix, 'suffix')
    validateString(p, 'path')
  }),
  extname: checked('extname', ([p]) => validateString(p, 'path')),
  format,
  parse: checked('parse', ([p]) => validateString(p, 'path')),
  sep: '/',
  delimiter: ':',
  win32: undefined,
  posix: undefined,
  _makeLong: toNamespacedPath,
}
path.posix = path
path.win32 = makeWin32()
;(path.win32 as Record<string, unknown>).posix = path
