import type { Test } from 'tap'
import { deployFiles, hostFor, payloadOf } from './fixture.js'
import type { ConformanceMode } from './mode.js'

/** The context object (lambda-interfaces §4.2) and the process environment (§4.5). */
export async function contextAndEnv(t: Test, mode: ConformanceMode): Promise<void> {
  const host = await hostFor(t, mode)

  t.test('every context member', async (t) => {
    const fn = await deployFiles(
      host,
      mode,
      {
        'index.mjs': `export const handler = async (event, context) => ({
          keys: Object.keys(context).sort(),
          awsRequestId: context.awsRequestId,
          invokedFunctionArn: context.invokedFunctionArn,
          functionName: context.functionName,
          functionVersion: context.functionVersion,
          memoryLimitInMB: context.memoryLimitInMB,
          logGroupName: context.logGroupName,
          logStreamName: context.logStreamName,
          remaining: context.getRemainingTimeInMillis(),
          waits: context.callbackWaitsForEmptyEventLoop,
          clientContext: context.clientContext,
          identity: context.identity,
          helpers: [typeof context.done, typeof context.succeed, typeof context.fail],
        })`,
      },
      { name: 'context-probe', memoryMb: 256, timeoutMs: 5000 },
    )
    const clientContext = { client: { app_title: 'probe' }, custom: { k: 'v' }, env: { platform: 'test' } }
    const result = await fn.invoke({}, { clientContext })
    const context = payloadOf(t, result) as Record<string, unknown>
    t.equal(context.awsRequestId, result.requestId)
    t.equal(context.invokedFunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:context-probe')
    t.equal(context.functionName, 'context-probe')
    t.equal(context.functionVersion, '$LATEST')
    t.equal(context.memoryLimitInMB, '256', 'a string, as in Node')
    t.equal(context.logGroupName, '/aws/lambda/context-probe')
    if (mode.startPhase === 'init') t.match(context.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/)
    else t.equal(context.logStreamName, undefined, 'SnapStart functions have no log stream name (lambda-interfaces §5)')
    t.ok((context.remaining as number) > 0 && (context.remaining as number) <= 5000, `remaining time ${context.remaining} within the timeout`)
    t.equal(context.waits, true)
    t.same(context.clientContext, clientContext)
    t.equal(context.identity, undefined)
    t.same(context.helpers, ['function', 'function', 'function'])
    t.ok((context.keys as string[]).includes('callbackWaitsForEmptyEventLoop'))
  })

  t.test("Lambda's reserved variables and the function's own env", async (t) => {
    const fn = await deployFiles(
      host,
      mode,
      { 'index.js': 'exports.handler = async () => ({ ...process.env })' },
      { name: 'env-probe', env: { STAGE: 'test', API_URL: 'http://x' }, handler: 'index.handler' },
    )
    const env = payloadOf(t, await fn.invoke({}, { traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' })) as Record<string, string>
    t.match(env, {
      STAGE: 'test',
      API_URL: 'http://x',
      _HANDLER: 'index.handler',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      AWS_LAMBDA_FUNCTION_NAME: 'env-probe',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: mode.startPhase === 'init' ? 'on-demand' : 'snap-start',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/env-probe',
      LAMBDA_TASK_ROOT: '/var/task',
      LAMBDA_RUNTIME_DIR: '/var/runtime',
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1',
    })
    if (mode.startPhase === 'init') t.match(env.AWS_LAMBDA_LOG_STREAM_NAME, /\[\$LATEST\][0-9a-f]{32}$/)
    else t.notOk('AWS_LAMBDA_LOG_STREAM_NAME' in env)
    const untraced = payloadOf(t, await fn.invoke({})) as Record<string, string>
    t.notOk('_X_AMZN_TRACE_ID' in untraced, 'the trace id is removed when an invocation has none')
  })

  t.test('process basics a handler relies on', async (t) => {
    const fn = await deployFiles(host, mode, {
      'index.mjs': `export const handler = async () => {
        const ticks = []
        await new Promise((resolve) => process.nextTick(() => { ticks.push('tick'); resolve() }))
        return { cwd: process.cwd(), platform: process.platform, version: process.version.startsWith('v20'), ticks }
      }`,
    })
    t.same(payloadOf(t, await fn.invoke()), { cwd: '/var/task', platform: 'linux', version: true, ticks: ['tick'] })
  })
}
