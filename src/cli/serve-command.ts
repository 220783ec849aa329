import { stat } from 'node:fs/promises'
import path from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { pino } from 'pino'
import pretty from 'pino-pretty'
import type { DeployOptions } from '../config/function-config.js'
import { isThawError } from '../errors.js'
import { formatEndpoints } from '../http/endpoints.js'
import type { FunctionUrlPolicy } from '../http/function-url-route.js'
import { startHttpServer } from '../http/server.js'
import { createHost } from '../index.js'
import { loadFunctions } from '../sam/index.js'
import type { ServeSettings } from '../sam/types.js'
import { applyServeSettings, reapplyServeSettings, serveSettingsOf } from './serve-settings.js'
import { watchServe } from './serve-watch.js'
import { UsageError } from './usage-error.js'

interface ServeFlags {
  port: number
  host: string
  dataDir: string
  verbose?: boolean
  watch?: boolean
}

/** What a source (a folder, or a SAM template) says to serve. */
export interface ServeDefinition {
  /** The template file, or the functions folder in directory mode (what --watch watches). */
  readonly source: { readonly kind: 'template' | 'directory'; readonly path: string }
  readonly functions: readonly DeployOptions[]
  /** Which functions get a function URL; all of them when absent. */
  readonly functionUrls?: FunctionUrlPolicy
  /** Told to the user on stderr before serving (skipped folders, ignored template properties). */
  readonly warnings: readonly string[]
  /** AutoPublishAlias, reserved and provisioned concurrency, by function name (src/cli/serve-settings.ts). */
  readonly settings?: ReadonlyMap<string, ServeSettings>
}

/** `thaw serve <dir>`: deploy every function of a folder and serve them over HTTP until stopped. */
export function registerServeCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('serve')
    .description('Serve functions over HTTP: the Lambda Invoke API, function URLs and /health')
    .argument('<dir-or-template>', 'a SAM template, a folder holding template.yaml, or a folder whose subfolders with an index.js/.mjs/.cjs are functions (handler index.handler)')
    .option('--port <port>', 'the port to listen on (0 picks a free one)', port, 9000)
    .option('--host <host>', 'the interface to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'where snapshots are kept between runs', '.thaw')
    .option('--verbose', "print the host's own debug log on stderr")
    .option('--watch', "redeploy a function's $LATEST when its code, its layers or the template change")
    .action(async (source: string, flags: ServeFlags) => {
      setExitCode(await serve(source, flags))
    })
}

async function serve(source: string, flags: ServeFlags): Promise<number> {
  let definition = await loadDefinition(source)
  for (const warning of definition.warnings) process.stderr.write(`thaw serve: warning: ${warning}\n`)
  if (definition.functions.length === 0) throw new UsageError(`${source}: no functions to serve (see "thaw serve --help")`)
  const logger = pino({ level: flags.verbose === true ? 'debug' : 'warn' }, pretty({ destination: 2, sync: true }))
  const host = await createHost({ logger, dataDir: path.resolve(flags.dataDir) })
  try {
    const report = (line: string) => process.stderr.write(`${line}\n`)
    for (const fn of definition.functions) await host.deploy(fn)
    for (const fn of definition.functions) await applyServeSettings(host, fn.name, definition.settings?.get(fn.name), { waitForProvisioned: true, report })
    // Read through `definition` on every request, so a reloaded template's URL settings apply.
    const functionUrls = (name: string) => definition.functionUrls?.(name) ?? true
    const server = await startHttpServer({ host, port: flags.port, hostname: flags.host, functionUrls, logger })
    const watcher =
      flags.watch === true
        ? watchServe({
            host,
            initial: definition,
            load: () => loadDefinition(source),
            onDefinition: (next) => {
              // Only what is new: directory mode lists the folder again on every change.
              const known = new Set(definition.warnings)
              for (const warning of next.warnings) if (!known.has(warning)) process.stderr.write(`thaw serve: warning: ${warning}\n`)
              definition = next
            },
            afterReload: reapplyServeSettings(host, report),
            report,
            ignore: [path.resolve(flags.dataDir)],
          })
        : undefined
    // Printed once the watch is set up, so an edit made after reading the address is seen.
    process.stdout.write(formatEndpoints(server.url, server.endpoints()))
    await stopSignal()
    process.stderr.write('thaw serve: stopping (again to stop at once)\n')
    await watcher?.close()
    // A second signal cuts the drain short.
    const force = () => void server.destroy()
    process.once('SIGINT', force).once('SIGTERM', force)
    await server.close()
    return 0
  } catch (error) {
    if (isThawError(error)) throw new UsageError(error.message)
    throw error
  } finally {
    await host.close()
  }
}

/**
 * A folder of functions or a SAM template (src/sam/). Template functions get a function URL only
 * when they declare FunctionUrlConfig; a folder's functions all get one. `provided*` functions
 * run their bootstrap as a process (not sandboxed).
 */
async function loadDefinition(source: string): Promise<ServeDefinition> {
  const info = await stat(source).catch(() => undefined)
  if (info === undefined) throw new UsageError(`${source}: no such file or folder`)
  if (info.isFile() && !/\.(ya?ml|json)$/i.test(source)) throw new UsageError(`${source}: expected a folder of functions or a SAM template`)
  const loaded = await loadFunctions(source).catch((error: unknown) => {
    throw isThawError(error) ? new UsageError(error.message) : error
  })
  const warnings = loaded.warnings.map((warning) => `${warning.path}: ${warning.message}`)
  const functions: DeployOptions[] = []
  // A template's URL keeps its AuthType, InvokeMode and Cors (GetFunctionUrlConfig reports them).
  const withUrl = new Map<string, ReturnType<FunctionUrlPolicy>>()
  for (const fn of loaded.functions) {
    functions.push(fn.deploy as DeployOptions)
    if (loaded.source.kind === 'directory') withUrl.set(fn.deploy.name, true)
    // With an AutoPublishAlias the URL is the alias's (serve-settings.ts), not $LATEST's.
    else if (fn.serve.functionUrl !== undefined && fn.serve.autoPublishAlias === undefined) withUrl.set(fn.deploy.name, fn.serve.functionUrl)
  }
  return { source: loaded.source, functions, functionUrls: (name) => withUrl.get(name) ?? false, warnings, settings: serveSettingsOf(loaded) }
}

function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop).off('SIGTERM', stop)
      resolve(signal)
    }
    process.once('SIGINT', stop).once('SIGTERM', stop)
  })
}

function port(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535')
  return parsed
}
