import type { Test } from 'tap'
import { createHost, type DeployOptions, type Host, type InvokeResult } from '../../src/index.js'
import type { ConformanceMode } from './mode.js'

/** A host for one group of tests, closed when the group ends. */
export async function hostFor(t: Test, mode?: ConformanceMode): Promise<Host> {
  const host = await createHost(mode?.hostOptions ?? {})
  t.teardown(() => host.close())
  return host
}

let counter = 0

/** Deploys `files` as a QuickJS function through the mode and returns an invoker for it. */
export async function deployFiles(
  host: Host,
  mode: ConformanceMode,
  files: Record<string, string>,
  options: Partial<DeployOptions> = {},
): Promise<{ name: string; invoke: (event?: unknown, opts?: Parameters<Host['invoke']>[2]) => Promise<InvokeResult> }> {
  const name = options.name ?? `fn-${++counter}`
  const target = await mode.deploy(host, {
    runtime: 'quickjs',
    handler: 'index.handler',
    ...options,
    name,
    code: { files },
  } as DeployOptions)
  return { name, invoke: (event, opts) => host.invoke(target, event, opts) }
}

/** The payload of a successful invocation; fails the test (with the error) otherwise. */
export function payloadOf(t: Test, result: InvokeResult): unknown {
  if (!result.ok) t.fail(`invocation failed: ${result.error.errorType}: ${result.error.errorMessage}`)
  return result.ok ? result.payload : undefined
}

/** The function's own log lines (neither platform lines nor blank). */
export function functionLines(result: InvokeResult): string[] {
  return result.logs
    .split('\n')
    .filter((line) => line !== '' && !/^(INIT_START|INIT_REPORT|RESTORE_START|RESTORE_REPORT|START|END|REPORT) /.test(line) && !line.includes('"type":"platform.'))
}
