import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { InvalidArgumentError, type Command } from 'commander'
import { pino } from 'pino'
import pretty from 'pino-pretty'
import { createHost } from '../index.js'
import { isThawError } from '../errors.js'
import { UsageError } from './usage-error.js'

interface InvokeFlags {
  handler: string
  name?: string
  event?: string
  eventFile?: string
  memory: number
  timeout: number
  env: Record<string, string>
  allowEgress: string[]
  logFormat: 'text' | 'json'
  verbose?: boolean
  dataDir: string
  snapshot: boolean
}

/** `thaw invoke <dir-or-zip>`: deploy a code package into a fresh host and invoke it once. */
export function registerInvokeCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('invoke')
    .description('Invoke a handler once: the result on stdout as JSON, the log on stderr')
    .argument('<dir-or-zip>', 'the code package: a folder or a .zip file')
    .requiredOption('--handler <handler>', 'the handler, e.g. index.handler')
    .option('--name <name>', 'the function name (default: the folder or zip name)')
    .option('--event <json>', 'the event, as JSON text (default: {})')
    .option('--event-file <file>', 'read the event from a JSON file')
    .option('--memory <mb>', 'memory size in MB (128-10240)', integer, 128)
    .option('--timeout <seconds>', 'timeout in seconds (1-900)', integer, 3)
    .option('--env <KEY=VALUE>', 'an environment variable for the function (repeatable)', collectEnv, {})
    .option('--allow-egress <pattern>', 'a host fetch may reach: host, host:port, host:* or *.domain (repeatable)', collectList, [])
    .option('--log-format <format>', 'text or json', logFormat, 'text')
    .option('--data-dir <dir>', 'where snapshots are kept between runs', '.thaw')
    .option('--no-snapshot', 'run INIT in every new environment instead of restoring a snapshot')
    .option('--verbose', "print the host's own debug log on stderr")
    .action(async (packagePath: string, flags: InvokeFlags) => {
      setExitCode(await invoke(packagePath, flags))
    })
}

async function invoke(packagePath: string, flags: InvokeFlags): Promise<number> {
  const code = await codeSource(packagePath)
  const payload = await eventPayload(flags)
  const logger = pino({ level: flags.verbose === true ? 'debug' : 'warn' }, pretty({ destination: 2, sync: true }))
  const host = await createHost({ logger, dataDir: path.resolve(flags.dataDir) })
  try {
    await host.deploy({
      name: flags.name ?? functionNameFor(packagePath),
      runtime: 'quickjs',
      handler: flags.handler,
      code,
      memoryMb: flags.memory,
      timeoutMs: flags.timeout * 1000,
      env: flags.env,
      egress: { allow: flags.allowEgress },
      logFormat: flags.logFormat,
      // The first run makes a snapshot after INIT; later runs of the same code restore it.
      snapStart: { applyOn: flags.snapshot ? 'All' : 'None' },
    })
    const result = await host.invoke(flags.name ?? functionNameFor(packagePath), undefined, { payload })
    process.stderr.write(result.logs)
    process.stdout.write(`${JSON.stringify(result.ok ? result.payload : result.error, null, 2)}\n`)
    return result.ok ? 0 : 1
  } catch (error) {
    if (isThawError(error)) throw new UsageError(error.message)
    throw error
  } finally {
    await host.close()
  }
}

async function codeSource(packagePath: string): Promise<{ dir: string } | { zip: Uint8Array }> {
  const info = await stat(packagePath).catch(() => undefined)
  if (info === undefined) throw new UsageError(`${packagePath}: no such file or folder`)
  if (info.isDirectory()) return { dir: packagePath }
  return { zip: await readFile(packagePath) }
}

async function eventPayload(flags: InvokeFlags): Promise<string> {
  if (flags.event !== undefined && flags.eventFile !== undefined) throw new UsageError('give --event or --event-file, not both')
  const text =
    flags.eventFile !== undefined
      ? await readFile(flags.eventFile, 'utf8').catch((error: Error) => {
          throw new UsageError(`--event-file: ${error.message}`)
        })
      : (flags.event ?? '{}')
  try {
    JSON.parse(text)
  } catch (error) {
    throw new UsageError(`the event is not valid JSON: ${(error as Error).message}`)
  }
  return text
}

/** A Lambda-valid name from a folder or zip name: "my app.zip" → "my-app". */
function functionNameFor(packagePath: string): string {
  const base = path.basename(path.resolve(packagePath)).replace(/\.zip$/i, '')
  return base.replace(/[^a-zA-Z0-9_-]/g, '-').slice(0, 64) || 'function'
}

function integer(value: string): number {
  const parsed = Number(value)
  if (!Number.isInteger(parsed)) throw new InvalidArgumentError('must be a whole number')
  return parsed
}

function collectEnv(value: string, previous: Record<string, string>): Record<string, string> {
  const equals = value.indexOf('=')
  if (equals <= 0) throw new InvalidArgumentError(`expected KEY=VALUE, got "${value}"`)
  return { ...previous, [value.slice(0, equals)]: value.slice(equals + 1) }
}

function collectList(value: string, previous: string[]): string[] {
  return [...previous, value]
}

function logFormat(value: string): 'text' | 'json' {
  if (value !== 'text' && value !== 'json') throw new InvalidArgumentError('must be "text" or "json"')
  return value
}
