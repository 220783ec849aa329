/**
 * Process runtimes (`runtime: 'provided'`) through the public API: a real shell `bootstrap`
 * (test/fixtures/bootstrap-curl) runs as a child process and talks to its environment's Runtime
 * API over HTTP with curl. Hosts use the default `shards`: process environments must not need
 * the worker threads QuickJS uses.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { zipSync } from 'fflate'
import t, { type Test } from 'tap'
import { createHost, isThawError, type Host, type InvokeResult } from '../src/index.js'
import { alive, eventually } from './helpers/processes.js'

const BOOTSTRAP_DIR = fileURLToPath(new URL('./fixtures/bootstrap-curl/', import.meta.url))
const BOOTSTRAP = readFileSync(path.join(BOOTSTRAP_DIR, 'bootstrap'))

interface SeenByRuntime {
  pid: number
  cwd: string
  greeting: string
  functionName: string
  functionVersion: string
  memorySize: string
  region: string
  taskRoot: string
  tmpdir: string
  executionEnv: string
  logStream: string
  runtimeApi: string
  path: string
}

async function hostWith(t: Test, deploy: Record<string, unknown> = {}): Promise<Host> {
  const host = await createHost()
  t.teardown(() => host.close())
  await host.deploy({ name: 'curl', runtime: 'provided', handler: 'function.handler', code: { dir: BOOTSTRAP_DIR }, ...deploy })
  return host
}

function payloadOf(result: InvokeResult): unknown {
  return result.ok ? result.payload : { error: result.error }
}

async function seen(host: Host, name = 'curl'): Promise<{ result: InvokeResult; env: SeenByRuntime }> {
  const result = await host.invoke(name, { env: true })
  if (!result.ok) throw new Error(`env invocation failed: ${JSON.stringify(result.error)}`)
  return { result, env: result.payload as SeenByRuntime }
}

t.test('a warm process serves invocation after invocation; INIT ends at the first next', async (t) => {
  const host = await hostWith(t)
  const first = await host.invoke('curl', { round: 1 })
  t.same(payloadOf(first), {
    event: { round: 1 },
    requestId: first.requestId,
    arn: 'arn:aws:lambda:us-east-1:000000000000:function:curl',
    handler: 'function.handler',
  })
  t.type(first.report.initDurationMs, 'number', 'the first invocation paid for INIT')
  t.match(first.logs, /INIT_START[^\n]*\nbootstrap: INIT for handler function\.handler\n/, 'INIT output goes under INIT_START')
  t.match(first.logs, /^INIT_START Runtime Version: thaw-provided:/m, 'INIT_START names the process runtime, not QuickJS')
  const second = await host.invoke('curl', { round: 2 })
  t.same(payloadOf(second), { event: { round: 2 }, requestId: second.requestId, arn: 'arn:aws:lambda:us-east-1:000000000000:function:curl', handler: 'function.handler' })
  t.equal(second.report.initDurationMs, undefined, 'the second one is warm: no INIT')
  t.notMatch(second.logs, /INIT/)
  const a = await seen(host)
  const b = await seen(host)
  t.equal(a.env.pid, b.env.pid, 'one process served both')
})

t.test('the function log: stdout and stderr lines between START and END', async (t) => {
  const host = await hostWith(t)
  const { result } = await seen(host)
  const lines = result.logs.trimEnd().split('\n')
  const start = lines.findIndex((line) => line.startsWith('START RequestId: '))
  const end = lines.findIndex((line) => line.startsWith('END RequestId: '))
  t.ok(start >= 0 && end > start, 'START then END')
  const own = lines.slice(start + 1, end)
  t.ok(own.includes(`bootstrap: invocation ${result.requestId}`), 'a stdout line')
  t.ok(own.includes('bootstrap: env asked'), 'a stderr line')
  t.match(lines.at(-1), /^REPORT RequestId: /)
})

t.test("Lambda's environment variables and the function's own reach the process", async (t) => {
  const host = await hostWith(t, { env: { GREETING: 'hello' }, memoryMb: 256 })
  const { env } = await seen(host)
  t.equal(env.greeting, 'hello', "the function's env")
  t.equal(env.functionName, 'curl')
  t.equal(env.functionVersion, '$LATEST')
  t.equal(env.memorySize, '256')
  t.equal(env.region, 'us-east-1')
  t.equal(env.executionEnv, '', 'AWS_EXECUTION_ENV is not set for OS-only runtimes')
  t.match(env.runtimeApi, /^127\.0\.0\.1:\d+$/, 'AWS_LAMBDA_RUNTIME_API is host:port on loopback')
  t.match(env.logStream, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/)
  t.equal(env.cwd, env.taskRoot, 'the working folder is LAMBDA_TASK_ROOT')
  t.ok(existsSync(path.join(env.taskRoot, 'bootstrap')), 'which holds the code package')
  t.equal(path.dirname(env.tmpdir), path.dirname(env.taskRoot), 'TMPDIR is the environment’s own')
})

t.test('a published version runs in its own processes, with its version number', async (t) => {
  const host = await hostWith(t)
  const published = await host.publishVersion('curl')
  t.equal(published.version, '1')
  t.equal(published.runtime, 'provided')
  const latest = await seen(host)
  const result = await host.invoke('curl:1', { env: true })
  const v1 = result.ok ? (result.payload as SeenByRuntime) : undefined
  t.equal(v1?.functionVersion, '1')
  t.match(v1?.logStream, /\/\[1\][0-9a-f]{32}$/)
  t.not(v1?.pid, latest.env.pid, 'not the $LATEST process')
  t.equal(result.executedVersion, '1')
})

t.test('a function error is a value and the process stays warm', async (t) => {
  const host = await hostWith(t)
  const before = await seen(host)
  const failed = await host.invoke('curl', { fail: true })
  t.equal(failed.ok, false)
  t.match(failed, { error: { errorType: 'HandlerError', errorMessage: 'asked to fail' }, report: { status: 'success' } })
  t.same(JSON.parse(failed.rawPayload), { errorMessage: 'asked to fail', errorType: 'HandlerError' }, 'the body as posted')
  const after = await seen(host)
  t.equal(after.env.pid, before.env.pid, 'the same process serves on')
})

t.test('a crash is Runtime.ExitError; the next invocation gets a fresh process', async (t) => {
  const host = await hostWith(t)
  const before = await seen(host)
  const crashed = await host.invoke('curl', { exit: true })
  t.same(crashed.ok ? crashed.payload : crashed.error, {
    errorType: 'Runtime.ExitError',
    errorMessage: `RequestId: ${crashed.requestId} Error: Runtime exited with error: exit status 3`,
    trace: [],
  })
  t.equal(crashed.report.status, 'error')
  t.match(crashed.logs, /Status: error\tError Type: Runtime\.ExitError/)
  t.notOk(existsSync(before.env.taskRoot), 'the spent environment’s folder is gone')
  const after = await seen(host)
  t.type(after.result.report.initDurationMs, 'number', 'a cold start')
  t.not(after.env.pid, before.env.pid, 'in a new process')
})

t.test('a timeout kills the process group (Sandbox.Timedout); the next invocation starts fresh', async (t) => {
  const host = await hostWith(t, { timeoutMs: 1000 })
  const before = await seen(host)
  const timedOut = await host.invoke('curl', { sleep: true })
  t.same(timedOut.ok ? timedOut.payload : timedOut.error, {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${timedOut.requestId} Error: Task timed out after 1.00 seconds`,
    trace: [],
  })
  t.equal(timedOut.report.status, 'timeout')
  t.notOk(alive(before.env.pid), 'the runtime process is gone')
  const after = await seen(host)
  t.type(after.result.report.initDurationMs, 'number', 'a cold start')
  t.not(after.env.pid, before.env.pid)
})

t.test('INIT failure through init/error: every invocation gets it, with the INIT log', async (t) => {
  const host = await hostWith(t, { env: { FAIL_INIT: '1' } })
  for (const attempt of [1, 2]) {
    const result = await host.invoke('curl', { round: attempt })
    t.match(result, { ok: false, error: { errorType: 'InitFailed', errorMessage: 'init failed on purpose' } }, `attempt ${attempt}`)
    t.match(result.logs, /bootstrap: INIT for handler function\.handler/, `attempt ${attempt}: a new INIT ran`)
  }
})

t.test('a runtime that exits during INIT: Runtime.ExitError, with its last words in the INIT log', async (t) => {
  const host = await hostWith(t, { env: { INIT_EXIT: '1' } })
  const result = await host.invoke('curl')
  t.same(result.ok ? result.payload : result.error, {
    errorType: 'Runtime.ExitError',
    errorMessage: 'Error: Runtime exited with error: exit status 2',
    trace: [],
  })
  t.match(result.logs, /INIT_START[^\n]*\n(?:bootstrap: [^\n]*\n)*bootstrap: giving up during INIT\n/)
})

t.test("INIT that never reaches next is killed at Lambda's 10 s INIT limit", async (t) => {
  const host = await hostWith(t, { env: { INIT_SLEEP: '1' } })
  const result = await host.invoke('curl')
  t.same(result.ok ? result.payload : result.error, {
    errorType: 'Sandbox.Timedout',
    errorMessage: 'RequestId: init Error: Task timed out after 10.00 seconds',
    trace: [],
  })
  t.equal(result.report.status, 'timeout')
})

t.test('concurrent invocations get one process each', async (t) => {
  const host = await hostWith(t)
  const [a, b] = await Promise.all([seen(host), seen(host)])
  t.not(a.env.pid, b.env.pid, 'two processes')
  t.not(a.env.taskRoot, b.env.taskRoot, 'with a folder each')
  t.type(a.result.report.initDurationMs, 'number')
  t.type(b.result.report.initDurationMs, 'number')
})

t.test('no bootstrap and no command: Runtime.InvalidEntrypoint', async (t) => {
  const host = await hostWith(t, { code: { files: { 'README.txt': 'no runtime here' } } })
  const result = await host.invoke('curl')
  t.same(result.ok ? result.payload : result.error, {
    errorType: 'Runtime.InvalidEntrypoint',
    errorMessage: "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]",
    trace: [],
  })
})

t.test('a configured command runs instead of bootstrap; a zip package works too', async (t) => {
  const host = await hostWith(t, { code: { files: { 'bin/runtime.sh': BOOTSTRAP } }, command: ['./bin/runtime.sh'], handler: 'bootstrap' })
  const viaCommand = await host.invoke('curl', { via: 'command' })
  t.match(payloadOf(viaCommand), { event: { via: 'command' }, handler: 'bootstrap' }, 'a handler with no dot is fine here')
  await host.deploy({ name: 'zipped', runtime: 'provided', handler: 'function.handler', code: { zip: zipSync({ bootstrap: BOOTSTRAP }) } })
  const viaZip = await host.invoke('zipped', { via: 'zip' })
  t.match(payloadOf(viaZip), { event: { via: 'zip' } }, 'the zip’s bootstrap was made executable')
})

t.test("a layer's bootstrap runs when the package has none; its bin/ is on PATH", async (t) => {
  const tool = '#!/bin/sh\necho "from the layer"\n'
  const host = await hostWith(t, { code: { files: { 'README.txt': 'code only' } }, layers: [{ files: { bootstrap: BOOTSTRAP, 'bin/layer-tool': tool } }] })
  const result = await host.invoke('curl', { via: 'layer' })
  t.match(payloadOf(result), { event: { via: 'layer' } })
  const { env } = await seen(host)
  t.ok(existsSync(path.join(path.dirname(env.taskRoot), 'opt', 'bin', 'layer-tool')), 'the layers are written beside the code')
  t.ok(env.path.split(':').includes(path.join(path.dirname(env.taskRoot), 'opt', 'bin')), "the layers' bin/ is on PATH")
})

t.test('closing the host kills the processes and removes their folders', async (t) => {
  const host = await createHost()
  await host.deploy({ name: 'curl', runtime: 'provided', handler: 'function.handler', code: { dir: BOOTSTRAP_DIR } })
  const { env } = await seen(host)
  t.ok(alive(env.pid) && existsSync(env.taskRoot), 'running, with its folder')
  await host.close()
  t.notOk(existsSync(path.dirname(env.taskRoot)), 'the folder is removed')
  // SIGKILL was sent during close(); the pid lingers as a zombie until Node reaps the child.
  t.ok(await eventually(() => !alive(env.pid)), 'the process is gone')
})

t.test('configuration that cannot apply to a process runtime is refused at deploy', async (t) => {
  const host = await createHost()
  t.teardown(() => host.close())
  const base = { name: 'p', runtime: 'provided', handler: 'function.handler', code: { dir: BOOTSTRAP_DIR } } as const
  const refused = async (options: Record<string, unknown>, field: string) => {
    try {
      await host.deploy({ ...base, ...options } as never)
      t.fail(`${field}: accepted`)
    } catch (error) {
      t.ok(isThawError(error, 'THAW_INVALID_CONFIG'), `${field}: THAW_INVALID_CONFIG`)
      t.equal((error as { field?: string }).field, field)
    }
  }
  await refused({ snapStart: { applyOn: 'PublishedVersions' } }, 'snapStart')
  await refused({ egress: { allow: ['example.com'] } }, 'egress.allow')
  await refused({ maxFuel: 1000 }, 'maxFuel')
  await refused({ command: [] }, 'command')
  await refused({ handler: 'has space' }, 'handler')
  await refused({ runtime: 'quickjs', handler: 'index.handler', command: ['./run'] }, 'command')
})
