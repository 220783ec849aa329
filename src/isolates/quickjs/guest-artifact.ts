import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { ThawError } from '../../errors.js'
import { findPackageRoot } from '../../package-root.js'

/**
 * The guest runtime script, built from guest/quickjs/ by `npm run build:guest`. The host never
 * imports guest sources; it only reads the built artifact.
 */
export async function loadGuestRuntime(): Promise<string> {
  const path = `${findPackageRoot(fileURLToPath(import.meta.url))}/build/guest/quickjs-runtime.js`
  try {
    return await readFile(path, 'utf8')
  } catch (cause) {
    throw new ThawError(
      'THAW_ENGINE_FAILURE',
      `The QuickJS guest runtime is not built (${path}): run \`npm run build:guest\``,
      { cause },
    )
  }
}
