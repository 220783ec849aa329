import path from 'node:path'
import type { Command } from 'commander'
import { bundleFunction } from '../bundler/bundle-function.js'
import { isThawError } from '../errors.js'
import { UsageError } from './usage-error.js'

interface BuildFlags {
  handler: string
  out?: string
  minify?: boolean
}

const HELP_AFTER = `
The bundle is one ES module, <out>/<file>.mjs, holding the handler and everything it imports from
the folder's node_modules (resolved as Node resolves them). Node builtins ("events",
"node:events", also inside require()) stay references to the sandbox's own modules; "thaw:*"
modules stay external. Files the code reads at run time (templates, data) are not copied.

Exit codes: 0 bundled, 1 the code cannot be bundled (esbuild's errors on stderr),
2 bad usage (a missing folder or handler module, a bad option).

Example:
  thaw build my-function --handler index.handler --out build/my-function
  thaw invoke build/my-function --handler index.handler`

/** `thaw build <dir>`: bundle a handler and its dependencies into one ES module (src/bundler/). */
export function registerBuildCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('build')
    .description('Bundle a handler and its node_modules into one ES module, for faster INIT and smaller snapshots')
    .argument('<dir>', "the function's folder")
    .option('--handler <handler>', 'the handler the function is deployed with; the bundle keeps it valid', 'index.handler')
    .option('--out <dir>', 'where to write the bundle (default: .thaw/build/<folder name>)')
    .option('--minify', 'minify the bundle (function and class names are kept)')
    .addHelpText('after', HELP_AFTER)
    .action(async (dir: string, flags: BuildFlags) => {
      setExitCode(await buildFunction(dir, flags))
    })
}

async function buildFunction(dir: string, flags: BuildFlags): Promise<number> {
  const outDir = flags.out ?? path.join('.thaw', 'build', path.basename(path.resolve(dir)))
  try {
    const result = await bundleFunction({ dir, handler: flags.handler, outDir, minify: flags.minify === true })
    for (const warning of result.warnings) process.stderr.write(`${warning}\n`)
    const relative = path.relative(process.cwd(), result.outFile) || result.outFile
    process.stdout.write(
      `${relative}: ${kib(result.outBytes)} (from ${result.inputFiles} files, ${kib(result.inputBytes)})\n` +
        `run it with: thaw invoke ${path.relative(process.cwd(), path.resolve(outDir)) || '.'} --handler ${result.handler}\n`,
    )
    return 0
  } catch (error) {
    if (isThawError(error, 'THAW_BUILD_FAILED')) {
      process.stderr.write(`thaw: ${error.message}\n`)
      return 1
    }
    if (isThawError(error)) throw new UsageError(error.message)
    throw error
  }
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`
}
