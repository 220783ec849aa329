import { Command, CommanderError } from 'commander'
import { registerBuildCommand } from './build-command.js'
import { registerInvokeCommand } from './invoke-command.js'
import { registerServeCommand } from './serve-command.js'
import { UsageError } from './usage-error.js'

/** The `thaw` command. Returns the exit code: 0 ok, 1 function error (or code that cannot be bundled), 2 bad usage. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('thaw')
    .description('Run AWS-Lambda-style functions in sandboxed QuickJS isolates')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
    })
  let exitCode = 0
  const setExitCode = (code: number) => {
    exitCode = code
  }
  registerInvokeCommand(program, setExitCode)
  registerBuildCommand(program, setExitCode)
  registerServeCommand(program, setExitCode)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return exitCode
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2
    if (error instanceof UsageError) {
      process.stderr.write(`thaw: ${error.message}\n`)
      return 2
    }
    throw error
  }
}
