/**
 * Provisioned concurrency over the management API (src/http/management/provisioned-routes.ts) and
 * its environments (src/functions/provisioned-concurrency.ts, EnvironmentPool.provision), on a
 * real server on 127.0.0.1 driven by the AWS SDK v3 (maxAttempts 1).
 *
 * Proof that an environment was started ahead of the invocation, without timing: the handler
 * reports the AWS_LAMBDA_INITIALIZATION_TYPE its INIT saw (`provisioned-concurrency` only for an
 * environment the pool started for the configuration) and how many invocations its environment
 * has served, and the invocation's log tail has no INIT_START (INIT did not run in it).
 */
import { setTimeout as sleep } from 'node:timers/promises'
import {
  CreateAliasCommand,
  DeleteFunctionCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvalidParameterValueException,
  InvokeCommand,
  LambdaClient,
  ListProvisionedConcurrencyConfigsCommand,
  ProvisionedConcurrencyConfigNotFoundException,
  PutFunctionConcurrencyCommand,
  DeleteFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateAliasCommand,
  type GetProvisionedConcurrencyConfigCommandOutput,
} from '@aws-sdk/client-lambda'
import t, { type Test } from 'tap'
import { createHost } from '../src/index.js'
import { startHttpServer } from '../src/http/server.js'

const ACCOUNT = '123456789012'

/** INIT records what it saw; each invocation counts itself in its environment. */
const WARM_CODE = `
const initType = process.env.AWS_LAMBDA_INITIALIZATION_TYPE
let served = 0
export const handler = async (event, context) => {
  served += 1
  if (event.spin === true) for (;;) {}
  return { initType, served, version: context.functionVersion }
}`

const host = await createHost({ shards: 1 })
t.teardown(() => host.close())
const deployWarm = (name: string, marker: string) =>
  host.deploy({ name, runtime: 'quickjs', handler: 'index.handler', timeoutMs: 1000, code: { files: { 'index.mjs': `${WARM_CODE}\n// ${marker}` } } })
await deployWarm('warm', 'one')
await host.publishVersion('warm')
await deployWarm('warm', 'two')
await host.publishVersion('warm')
await host.deploy({ name: 'broken', runtime: 'quickjs', handler: 'index.handler', code: { files: { 'index.mjs': `throw new Error('boom at init')` } } })
await host.publishVersion('broken')

const server = await startHttpServer({ host, port: 0 })
t.teardown(() => server.close())
const lambda = new LambdaClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'secret' }, maxAttempts: 1 })
t.teardown(() => lambda.destroy())

interface Served {
  readonly initType: string
  readonly served: number
  readonly version: string
}

async function invoke(name: string, qualifier: string, event: object = {}): Promise<{ body: Served; log: string; version: string | undefined }> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: qualifier, LogType: 'Tail', Payload: Buffer.from(JSON.stringify(event)) }))
  const body = JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as Served
  return { body, log: Buffer.from(out.LogResult ?? '', 'base64').toString('utf8'), version: out.ExecutedVersion }
}

const get = (name: string, qualifier: string) => lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier }))

/** Polls until the status leaves IN_PROGRESS (bounded: the test fails rather than hangs). */
async function settled(name: string, qualifier: string): Promise<GetProvisionedConcurrencyConfigCommandOutput> {
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const out = await get(name, qualifier)
    if (out.Status !== 'IN_PROGRESS') return out
    await sleep(20)
  }
  throw new Error(`${name}:${qualifier} stayed IN_PROGRESS`)
}

async function rejectsWith(t: Test, promise: Promise<unknown>, type: new (...args: never[]) => Error, status: number, message?: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  t.type(error, type, `rejects with ${type.name}`)
  t.equal((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, status, `status ${status}`)
  if (message !== undefined) t.match((error as Error).message, message)
}

t.test('put on a version: IN_PROGRESS, then READY; invocations run on environments INIT started before them', async (t) => {
  const put = await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: '1', ProvisionedConcurrentExecutions: 2 }))
  t.equal(put.$metadata.httpStatusCode, 202)
  t.equal(put.Status, 'IN_PROGRESS')
  t.equal(put.RequestedProvisionedConcurrentExecutions, 2)
  t.match(put.LastModified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'an ISO-8601 string')

  const ready = await settled('warm', '1')
  t.equal(ready.Status, 'READY')
  t.equal(ready.AllocatedProvisionedConcurrentExecutions, 2)
  t.equal(ready.AvailableProvisionedConcurrentExecutions, 2)
  t.equal(ready.StatusReason, undefined)

  // Two invocations begun in the same tick each take an idle environment before either runs:
  // both provisioned ones (over HTTP the first might finish before the second arrives).
  const both = await Promise.all([host.invoke('warm', {}, { qualifier: '1' }), host.invoke('warm', {}, { qualifier: '1' })])
  for (const out of both) {
    t.same(out.ok && out.payload, { initType: 'provisioned-concurrency', served: 1, version: '1' }, 'a first invocation, on an environment the configuration started')
    t.notMatch(out.logs, /INIT_START/, 'no INIT in the invocation')
    t.equal(out.report.initDurationMs, undefined)
  }

  t.equal(host.evictIdle('warm'), 0, 'idle eviction leaves provisioned environments')
  const again = await invoke('warm', '1')
  t.equal(again.body.initType, 'provisioned-concurrency')
  t.equal(again.body.served, 2, 'a kept environment, serving again')
  t.notMatch(again.log, /INIT_START/)

  const latest = await invoke('warm', '$LATEST')
  t.equal(latest.body.initType, 'on-demand', 'other versions start on demand')
  t.match(latest.log, /INIT_START/)
})

t.test('the errors: $LATEST, unknown configs, versions and aliases, overlaps, weights, limits', async (t) => {
  await rejectsWith(
    t,
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: '$LATEST', ProvisionedConcurrentExecutions: 1 })),
    InvalidParameterValueException,
    400,
    /cannot be applied to unpublished function versions/,
  )
  await rejectsWith(
    t,
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: '1', ProvisionedConcurrentExecutions: 0 })),
    InvalidParameterValueException,
    400,
  )
  await rejectsWith(t, get('warm', '2'), ProvisionedConcurrencyConfigNotFoundException, 404, /No Provisioned Concurrency Config found/)
  await rejectsWith(t, lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: '2' })), ProvisionedConcurrencyConfigNotFoundException, 404)
  await rejectsWith(
    t,
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: '9', ProvisionedConcurrentExecutions: 1 })),
    ResourceNotFoundException,
    404,
    /Function not found: .*:warm:9/,
  )
  await rejectsWith(
    t,
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'nope', Qualifier: '1', ProvisionedConcurrentExecutions: 1 })),
    ResourceNotFoundException,
    404,
  )
  await rejectsWith(
    t,
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: 'ghost', ProvisionedConcurrentExecutions: 1 })),
    ResourceNotFoundException,
    404,
    /Alias not found/,
  )

  await lambda.send(new CreateAliasCommand({ FunctionName: 'warm', Name: 'on-one', FunctionVersion: '1' }))
  await rejectsWith(
    t,
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: 'on-one', ProvisionedConcurrentExecutions: 1 })),
    ResourceConflictException,
    409,
    /cannot both have one/,
  )
  await lambda.send(new CreateAliasCommand({ FunctionName: 'warm', Name: 'canary', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }))
  await rejectsWith(
    t,
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: 'canary', ProvisionedConcurrentExecutions: 1 })),
    InvalidParameterValueException,
    400,
    /Alias with weights can not be used with Provisioned Concurrency/,
  )

  await rejectsWith(t, lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'warm', ReservedConcurrentExecutions: 1 })), InvalidParameterValueException, 400, /provisioned concurrency \(2\)/)
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'warm', ReservedConcurrentExecutions: 3 }))
  await rejectsWith(
    t,
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: '2', ProvisionedConcurrentExecutions: 2 })),
    InvalidParameterValueException,
    400,
    /should not be greater than the reservedConcurrentExecution/,
  )
  await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'warm' }))
  await rejectsWith(
    t,
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: '2', ProvisionedConcurrentExecutions: 899 })),
    InvalidParameterValueException,
    400,
    /UnreservedConcurrentExecution below its minimum value of \[100\]/,
  )
  await rejectsWith(t, get('warm', '2'), ProvisionedConcurrencyConfigNotFoundException, 404, /No Provisioned Concurrency Config found/)
})

t.test('an alias: list, the config follows the alias to its new version; delete lets the environments go', async (t) => {
  await lambda.send(new CreateAliasCommand({ FunctionName: 'warm', Name: 'live', FunctionVersion: '2' }))
  await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: 'live', ProvisionedConcurrentExecutions: 1 }))
  t.equal((await settled('warm', 'live')).Status, 'READY')

  const list = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'warm' }))
  t.same(
    list.ProvisionedConcurrencyConfigs?.map((config) => [config.FunctionArn, config.RequestedProvisionedConcurrentExecutions, config.Status]),
    [
      [`arn:aws:lambda:us-east-1:${ACCOUNT}:function:warm:1`, 2, 'READY'],
      [`arn:aws:lambda:us-east-1:${ACCOUNT}:function:warm:live`, 1, 'READY'],
    ],
  )
  const first = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'warm', MaxItems: 1 }))
  t.equal(first.ProvisionedConcurrencyConfigs?.length, 1)
  const rest = await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'warm', Marker: first.NextMarker }))
  t.same(rest.ProvisionedConcurrencyConfigs?.map((config) => config.FunctionArn), [`arn:aws:lambda:us-east-1:${ACCOUNT}:function:warm:live`])

  const onTwo = await invoke('warm', 'live')
  t.same([onTwo.version, onTwo.body.initType, onTwo.body.served], ['2', 'provisioned-concurrency', 1])
  t.notMatch(onTwo.log, /INIT_START/)

  // Version 1 loses its own configuration; then the alias moves there and brings its count.
  await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: '1' }))
  const coldAgain = await invoke('warm', '1')
  t.equal(coldAgain.body.initType, 'on-demand', 'the deleted configuration let its environments go')
  t.match(coldAgain.log, /INIT_START/)

  await lambda.send(new UpdateAliasCommand({ FunctionName: 'warm', Name: 'live', FunctionVersion: '1' }))
  t.equal((await settled('warm', 'live')).Status, 'READY')
  const moved = await invoke('warm', 'live')
  t.same([moved.version, moved.body.initType, moved.body.served], ['1', 'provisioned-concurrency', 1], 'a new environment of version 1, started for the alias')
  t.notMatch(moved.log, /INIT_START/)

  const deleted = await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: 'live' }))
  t.equal(deleted.$metadata.httpStatusCode, 204)
  await rejectsWith(t, get('warm', 'live'), ProvisionedConcurrencyConfigNotFoundException, 404)
  t.same((await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'warm' }))).ProvisionedConcurrencyConfigs, [])
})

t.test('a provisioned environment that times out is replaced in the background', async (t) => {
  await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: '2', ProvisionedConcurrentExecutions: 1 }))
  t.equal((await settled('warm', '2')).Status, 'READY')
  const spun = await lambda.send(new InvokeCommand({ FunctionName: 'warm', Qualifier: '2', Payload: Buffer.from('{"spin":true}') }))
  t.equal(spun.FunctionError, 'Unhandled', 'the invocation timed out and its environment went')
  const info = await host.provisionedConcurrencyReady('warm', '2')
  t.equal(info.status, 'READY')
  const next = await invoke('warm', '2')
  t.same([next.body.initType, next.body.served], ['provisioned-concurrency', 1], 'a replacement, not the environment that timed out')
  t.notMatch(next.log, /INIT_START/)
  await lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: '2' }))
})

t.test('an INIT that throws: FAILED with the reason; put again retries', async (t) => {
  const put = await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'broken', Qualifier: '1', ProvisionedConcurrentExecutions: 1 }))
  t.equal(put.Status, 'IN_PROGRESS')
  const failed = await settled('broken', '1')
  t.equal(failed.Status, 'FAILED')
  t.match(failed.StatusReason, /FUNCTION_ERROR_INIT_FAILURE: Error: boom at init/)
  t.equal(failed.AllocatedProvisionedConcurrentExecutions, 0)
  const retried = await lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'broken', Qualifier: '1', ProvisionedConcurrentExecutions: 1 }))
  t.equal(retried.Status, 'IN_PROGRESS', 'a put starts over')
  t.equal((await settled('broken', '1')).Status, 'FAILED')
})

t.test('removing a function forgets its configurations', async (t) => {
  await deployWarm('gone', 'x')
  await host.publishVersion('gone')
  host.putProvisionedConcurrency('gone', '1', 1)
  t.equal((await host.provisionedConcurrencyReady('gone', '1')).status, 'READY')
  host.removeFunction('gone')
  await deployWarm('gone', 'x')
  await host.publishVersion('gone')
  await rejectsWith(t, get('gone', '1'), ProvisionedConcurrencyConfigNotFoundException, 404)
})

t.test('a SnapStart version cannot have provisioned concurrency, as on Lambda', async (t) => {
  await host.deploy({
    name: 'snappy',
    runtime: 'quickjs',
    handler: 'index.handler',
    snapStart: { applyOn: 'PublishedVersions' },
    code: { files: { 'index.mjs': WARM_CODE } },
  })
  await host.publishVersion('snappy')
  await rejectsWith(
    t,
    lambda.send(new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'snappy', Qualifier: '1', ProvisionedConcurrentExecutions: 1 })),
    InvalidParameterValueException,
    400,
  )
  t.same((await lambda.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'snappy' }))).ProvisionedConcurrencyConfigs, [], 'nothing was stored')
})
