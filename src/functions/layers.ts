import type { FunctionConfig } from '../config/function-config.js'
import { ThawError } from '../errors.js'
import { CodePackage, MAX_UNZIPPED_BYTES } from './code-package.js'

/**
 * The filesystem of a function version's environments besides its code (`/var/task`): the
 * layers merged into one read-only package mounted at `/opt`, and the quota of `/tmp` (the
 * function's ephemeral storage). The guest's filesystem (guest/quickjs/fs/) reads both through
 * the host bindings.
 */

const MIB = 1024 * 1024

/**
 * The package as the version's environments mount it. Layers are loaded here, at deploy, with
 * blocking reads for `dir` layers: the registry creates versions synchronously.
 */
export function mountFilesystem(pkg: CodePackage, config: FunctionConfig): CodePackage {
  const layers = config.layers.map((source, index) => CodePackage.loadSync(source, `layers.${index}`))
  const opt = layers.length === 0 ? undefined : mergeLayers(layers)
  const total = pkg.sizeBytes + (opt?.sizeBytes ?? 0)
  if (total > MAX_UNZIPPED_BYTES) {
    throw new ThawError(
      'THAW_INVALID_CODE_PACKAGE',
      `Function code and layers must be smaller than ${MAX_UNZIPPED_BYTES} bytes unzipped (got ${total})`,
      { field: 'layers' },
    )
  }
  return pkg.withFilesystem({ opt, tmpQuotaBytes: config.ephemeralStorageMb * MIB })
}

/**
 * Layers extracted into one folder in order, as Lambda does: a later layer's file replaces an
 * earlier one's at the same path, and also replaces whatever an earlier layer had where its
 * path needs a folder (a file `a` of layer 1 goes when layer 2 has `a/b`) or a file (layer 1's
 * `a/b` goes when layer 2 has a file `a`).
 */
export function mergeLayers(layers: readonly CodePackage[]): CodePackage {
  const merged = new Map<string, Uint8Array>()
  for (const layer of layers) {
    const incoming = new Set<string>()
    for (const [file] of layer.files()) incoming.add(file)
    for (const file of [...merged.keys()]) {
      if (hasAncestor(file, (dir) => incoming.has(dir))) merged.delete(file)
    }
    for (const [file, bytes] of layer.files()) {
      for (let slash = file.indexOf('/'); slash >= 0; slash = file.indexOf('/', slash + 1)) merged.delete(file.slice(0, slash))
      merged.set(file, bytes)
    }
  }
  return CodePackage.fromFiles(merged)
}

function hasAncestor(file: string, test: (dir: string) => boolean): boolean {
  for (let slash = file.indexOf('/'); slash >= 0; slash = file.indexOf('/', slash + 1)) {
    if (test(file.slice(0, slash))) return true
  }
  return false
}
