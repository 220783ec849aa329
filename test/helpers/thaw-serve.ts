/**
 * `thaw serve` as a real child process (`node bin/thaw.js serve …`, which loads dist/: build
 * first), for the tests of the command: its output gathered, killed at teardown if still running.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BIN = path.join(ROOT, 'bin', 'thaw.js')

export interface ServeProcess {
  readonly child: ChildProcess
  /** The exit code (null when ended by a signal). */
  readonly exited: Promise<number | null>
  readonly output: { readonly stdout: string; readonly stderr: string }
  /** Resolves with stdout once `ready(stdout)` holds; rejects if the process exits first. */
  listing(ready: (stdout: string) => boolean): Promise<string>
}

export function spawnThawServe(t: Test, args: readonly string[]): ServeProcess {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  const output = { stdout: '', stderr: '' }
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    child,
    exited,
    output,
    listing: (ready) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          if (!ready(output.stdout)) return
          child.stdout.off('data', check)
          resolve(output.stdout)
        }
        child.stdout.on('data', check)
        check()
        void exited.then((code) => reject(new Error(`thaw serve exited (${code}) before listing: ${output.stderr}`)))
      }),
  }
}

/** The address on the listing's first line, `Thaw is serving on http://127.0.0.1:PORT`. */
export function servingUrl(listing: string): string | undefined {
  return /^Thaw is serving on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(listing)?.[1]
}
