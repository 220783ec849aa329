/**
 * The official Node runtime interface client (aws-lambda-ric 3.3.0, built from source by
 * scripts/setup-aws-lambda-ric.sh into .cache/) as a process runtime: `runtime: 'provided'` with
 * `command: [node, <ric>/bin/index.mjs, <handler>]`, the handlers in test/fixtures/ric-handlers.
 * The ric talks to the HTTP Runtime API with its native client (aws-lambda-cpp over libcurl) and
 * Node's http for streams, so this proves Thaw's Runtime API against AWS's own client: through
 * createHost, and through `thaw serve`'s Invoke API with the AWS SDK.
 *
 * The setup script runs first (a no-op when the cached build is current). If it fails, this file
 * fails: the ric is never skipped.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import t, { type Test } from 'tap'
import { createHost, type DeployOptions, type Host, type InvokeResult } from '../src/index.js'
import { startHttpServer } from '../src/http/server.js'
import { alive, eventually } from './helpers/processes.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const HANDLERS_DIR = path.join(ROOT, 'test/fixtures/ric-handlers')
const RIC_CACHE = process.env.THAW_RIC_CACHE ?? path.join(ROOT, '.cache/aws-lambda-ric')
const RIC_BIN = path.join(RIC_CACHE, 'node_modules/aws-lambda-ric/bin/index.mjs')

// Builds the ric if the cache lacks it (minutes, from scratch); its output explains a failure.
execFileSync('bash', [path.join(ROOT, 'scripts/setup-aws-lambda-ric.sh')], { stdio: ['ignore', 'inherit', 'inherit'] })

/** What the `handler` export returns: the event and the context as the ric built it. */
interface SeenByHandler {
  event: unknown
  requestId: string
  functionName: string
  functionVersion: string
  invokedFunctionArn: string
  memoryLimitInMB: string
  logStreamName: string
  remainingTimeMs: number
  pid: number
}

/** A `provided` function whose process is the ric running `handler` from the fixture folder. */
function ricFunction(name: string, handler: string, extra: Partial<DeployOptions> = {}): DeployOptions {
  return {
    name,
    runtime: 'provided',
    handler,
    code: { dir: HANDLERS_DIR },
    // The ric takes the handler as its argument and resolves it from its working folder (LAMBDA_TASK_ROOT).
    command: [process.execPath, RIC_BIN, handler],
    ...extra,
  }
}

async function hostWith(t: Test, ...functions: DeployOptions[]): Promise<Host> {
  const host = await createHost()
  t.teardown(() => host.close())
  for (const options of functions) await host.deploy(options)
  return host
}

function seen(result: InvokeResult): SeenByHandler {
  if (!result.ok) throw new Error(`the invocation failed: ${JSON.stringify(result.error)}`)
  return result.payload as SeenByHandler
}

t.test('the ric runs a handler: the event and a full context, warm on the second call', async (t) => {
  const host = await hostWith(t, ricFunction('ric', 'index.handler', { memoryMb: 256, timeoutMs: 30_000 }))
  const first = await host.invoke('ric', { round: 1 })
  const one = seen(first)
  t.same(one.event, { round: 1 })
  t.equal(one.requestId, first.requestId, 'context.awsRequestId is the invocation’s request id')
  t.equal(one.functionName, 'ric')
  t.equal(one.functionVersion, '$LATEST')
  t.equal(one.invokedFunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:ric')
  t.equal(one.memoryLimitInMB, '256')
  t.match(one.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/)
  // getRemainingTimeInMillis() is computed from Lambda-Runtime-Deadline-Ms.
  t.ok(one.remainingTimeMs > 0 && one.remainingTimeMs <= 30_000, `remaining time within the timeout (${one.remainingTimeMs} ms)`)
  t.type(first.report.initDurationMs, 'number', 'a cold start')
  t.match(first.logs, /INIT_START[^\n]*\nExecuting 'index\.handler' in function directory '[^']+\/task'\n/, "the ric's INIT line")

  const second = await host.invoke('ric', { round: 2 })
  const two = seen(second)
  t.same(two.event, { round: 2 })
  t.equal(two.requestId, second.requestId)
  t.not(two.requestId, one.requestId)
  t.equal(two.pid, one.pid, 'the same process served both')
  t.equal(second.report.initDurationMs, undefined, 'warm: no INIT')
})

t.test('a handler that throws: the error as the ric posts it, and the process stays warm', async (t) => {
  const host = await hostWith(t, ricFunction('ric', 'index.handler'))
  const before = seen(await host.invoke('ric', {}))
  const failed = await host.invoke('ric', { throw: true })
  if (failed.ok) return t.fail('the handler threw, the invocation succeeded')
  t.equal(failed.error.errorType, 'TypeError')
  t.equal(failed.error.errorMessage, 'asked to throw')
  t.equal(failed.error.trace?.[0], 'TypeError: asked to throw', 'with its stack as trace')
  t.same(JSON.parse(failed.rawPayload), failed.error, 'the body as posted')
  t.equal(failed.report.status, 'success', 'a function error, not an environment failure')
  t.match(failed.logs, /\tERROR\tInvoke Error \t\{"errorType":"TypeError"/, "the ric's own error log line")
  const after = seen(await host.invoke('ric', {}))
  t.equal(after.pid, before.pid, 'the same process serves on')
})

t.test('a module that throws while loading: the ric reports it through init/error', async (t) => {
  const host = await hostWith(t, ricFunction('broken', 'index.handler', { env: { FAIL_INIT: '1' } }))
  for (const attempt of [1, 2]) {
    const result = await host.invoke('broken', { attempt })
    if (result.ok) {
      t.fail(`attempt ${attempt}: INIT failed, the invocation succeeded`)
      continue
    }
    t.equal(result.error.errorType, 'RangeError', `attempt ${attempt}: the error's type`)
    t.equal(result.error.errorMessage, 'the module refused to load')
    t.equal(result.report.status, 'error')
    t.type(result.report.initDurationMs, 'number', `attempt ${attempt}: a new INIT ran`)
    t.match(result.logs, /INIT_START[^\n]*\n(?:[^\n]*\n)*[^\n]*\tERROR\tUncaught Exception \t\{"errorType":"RangeError"[^\n]*\nSTART /, 'its log under INIT')
  }
})

t.test('a timeout kills the ric; the next invocation gets a new process', async (t) => {
  const host = await hostWith(t, ricFunction('ric', 'index.handler', { timeoutMs: 1000 }))
  const before = seen(await host.invoke('ric', {}))
  const timedOut = await host.invoke('ric', { sleep: true })
  t.same(timedOut.ok ? timedOut.payload : timedOut.error, {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${timedOut.requestId} Error: Task timed out after 1.00 seconds`,
    trace: [],
  })
  t.equal(timedOut.report.status, 'timeout')
  t.ok(await eventually(() => !alive(before.pid)), 'the process is gone')
  const after = await host.invoke('ric', { round: 'after' })
  t.same(seen(after).event, { round: 'after' })
  t.not(seen(after).pid, before.pid, 'in a new process')
  t.type(after.report.initDurationMs, 'number', 'a cold start')
})

t.test('awslambda.streamifyResponse: the streamed body arrives whole', async (t) => {
  const host = await hostWith(t, ricFunction('streamer', 'index.streamed'))
  const result = await host.invoke('streamer', {})
  t.equal(result.ok, true)
  t.equal(result.rawPayload, 'one two three', 'the three writes, in order')
})

t.test('through the Invoke API with the AWS SDK: a response, and a function error', async (t) => {
  const host = await hostWith(t, ricFunction('ric', 'index.handler'))
  const server = await startHttpServer({ host, port: 0 })
  t.teardown(() => server.close())
  const lambda = new LambdaClient({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  })
  t.teardown(() => lambda.destroy())
  const decode = (payload: Uint8Array | undefined): unknown => JSON.parse(Buffer.from(payload ?? new Uint8Array()).toString('utf8'))

  const ok = await lambda.send(new InvokeCommand({ FunctionName: 'ric', Payload: Buffer.from('{"via":"sdk"}') }))
  t.equal(ok.StatusCode, 200)
  t.equal(ok.FunctionError, undefined)
  t.equal(ok.ExecutedVersion, '$LATEST')
  t.match(decode(ok.Payload), { event: { via: 'sdk' }, functionName: 'ric' })

  const failed = await lambda.send(new InvokeCommand({ FunctionName: 'ric', Payload: Buffer.from('{"throw":true}') }))
  t.equal(failed.StatusCode, 200, 'a function error is still a 200')
  t.equal(failed.FunctionError, 'Unhandled', 'X-Amz-Function-Error')
  t.match(decode(failed.Payload), { errorType: 'TypeError', errorMessage: 'asked to throw', trace: ['TypeError: asked to throw'] })
})
