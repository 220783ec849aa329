/**
 * Event-invoke configs over the management API (src/http/management/event-invoke-config-routes.ts)
 * on a real server on 127.0.0.1, driven by the AWS SDK v3 (maxAttempts 1), plus undici for the
 * raw wire form. They are stored and validated; Event invokes do not act on them yet.
 */
import {
  DeleteAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionEventInvokeConfigCommand,
  InvalidParameterValueException,
  ListFunctionEventInvokeConfigsCommand,
  PutFunctionEventInvokeConfigCommand,
  ResourceNotFoundException,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda'
import t from 'tap'
import { request } from 'undici'
import { createHost } from '../src/index.js'
import { startHttpServer } from '../src/http/server.js'
import { lambdaClientFor, rejectsWith } from './helpers/lambda-sdk.js'

const ACCOUNT = '123456789012'
const host = await createHost({ shards: 1 })
t.teardown(() => host.close())
const deploy = (name: string) => host.deploy({ name, runtime: 'quickjs', handler: 'index.handler', code: { files: { 'index.mjs': 'export const handler = async () => 1' } } })
await deploy('worker')
await host.publishVersion('worker')
host.createAlias('worker', 'live', { functionVersion: '1' })

const server = await startHttpServer({ host, port: 0 })
t.teardown(() => server.destroy())
const lambda = lambdaClientFor(t, server.url, ACCOUNT)
const arn = (qualifier: string, name = 'worker') => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}:${qualifier}`
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:failures`
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:done`

t.test('Put replaces, Update merges, Get reads, Delete removes', async (t) => {
  await rejectsWith(t, lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'worker' })), ResourceNotFoundException, 404, /doesn't have an EventInvokeConfig/)
  await rejectsWith(t, lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'worker', MaximumRetryAttempts: 1 })), ResourceNotFoundException, 404)

  const before = Date.now() / 1000
  const put = await lambda.send(
    new PutFunctionEventInvokeConfigCommand({
      FunctionName: 'worker',
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: QUEUE } },
    }),
  )
  t.equal(put.$metadata.httpStatusCode, 200)
  t.equal(put.FunctionArn, arn('$LATEST'), 'the ARN is qualified, $LATEST too')
  t.equal(put.MaximumRetryAttempts, 1)
  t.equal(put.MaximumEventAgeInSeconds, 3600)
  t.same(put.DestinationConfig, { OnSuccess: {}, OnFailure: { Destination: QUEUE } })
  t.type(put.LastModified, Date, 'the SDK parsed LastModified (epoch seconds) into a Date')
  t.ok((put.LastModified?.getTime() ?? 0) >= Math.floor(before) * 1000, 'and it is now')

  const merged = await lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'worker', MaximumRetryAttempts: 0, DestinationConfig: { OnSuccess: { Destination: TOPIC } } }))
  t.equal(merged.MaximumRetryAttempts, 0, 'a 0 is a value, not absence')
  t.equal(merged.MaximumEventAgeInSeconds, 3600, 'an unnamed member stays')
  t.same(merged.DestinationConfig, { OnSuccess: { Destination: TOPIC }, OnFailure: {} }, 'a DestinationConfig given replaces the stored one')

  const replaced = await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'worker', MaximumEventAgeInSeconds: 60 }))
  t.equal(replaced.MaximumRetryAttempts, undefined, 'Put unsets what it does not name')
  t.equal(replaced.MaximumEventAgeInSeconds, 60)
  t.same(replaced.DestinationConfig, { OnSuccess: {}, OnFailure: {} })
  const got = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'worker', Qualifier: '$LATEST' }))
  t.equal(got.MaximumEventAgeInSeconds, 60)
  t.equal(got.LastModified?.getTime(), replaced.LastModified?.getTime())

  const deleted = await lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'worker' }))
  t.equal(deleted.$metadata.httpStatusCode, 204)
  await rejectsWith(t, lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'worker' })), ResourceNotFoundException, 404)
  await rejectsWith(t, lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'worker' })), ResourceNotFoundException, 404)
})

t.test('configs per version and alias, listed $LATEST first, then versions, then aliases', async (t) => {
  await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'worker', Qualifier: 'live', MaximumRetryAttempts: 2 }))
  await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'worker:1', MaximumRetryAttempts: 1 }))
  await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'worker', MaximumRetryAttempts: 0 }))
  t.equal((await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'worker', Qualifier: 'live' }))).FunctionArn, arn('live'))

  const listed = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'worker' }))
  t.same(
    listed.FunctionEventInvokeConfigs?.map((config) => [config.FunctionArn, config.MaximumRetryAttempts]),
    [
      [arn('$LATEST'), 0],
      [arn('1'), 1],
      [arn('live'), 2],
    ],
  )
  t.equal(listed.NextMarker, undefined)
  const first = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'worker', MaxItems: 2 }))
  t.equal(first.FunctionEventInvokeConfigs?.length, 2)
  const rest = await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'worker', MaxItems: 2, Marker: first.NextMarker }))
  t.same(rest.FunctionEventInvokeConfigs?.map((config) => config.FunctionArn), [arn('live')])
  await rejectsWith(t, lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'worker', MaxItems: 51 })), InvalidParameterValueException, 400, /MaxItems/)

  // On the wire LastModified is a JSON number of epoch seconds.
  const raw = await request(`${server.url}/2019-09-25/functions/worker/event-invoke-config?Qualifier=1`)
  t.equal(raw.statusCode, 200)
  const body = (await raw.body.json()) as { LastModified: unknown }
  t.type(body.LastModified, 'number')
  t.ok((body.LastModified as number) > 1_600_000_000 && (body.LastModified as number) < 4_000_000_000, 'seconds, not milliseconds')
})

t.test('validation names the field; unknown functions, versions and aliases are 404', async (t) => {
  const put = (input: Partial<ConstructorParameters<typeof PutFunctionEventInvokeConfigCommand>[0]>) =>
    lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'worker', Qualifier: '1', ...input }))
  await rejectsWith(t, put({ MaximumRetryAttempts: 3 }), InvalidParameterValueException, 400, /MaximumRetryAttempts: must be 0 to 2/)
  await rejectsWith(t, put({ MaximumRetryAttempts: -1 }), InvalidParameterValueException, 400, /MaximumRetryAttempts/)
  await rejectsWith(t, put({ MaximumEventAgeInSeconds: 59 }), InvalidParameterValueException, 400, /MaximumEventAgeInSeconds: must be 60 to 21600/)
  await rejectsWith(t, put({ MaximumEventAgeInSeconds: 21601 }), InvalidParameterValueException, 400, /MaximumEventAgeInSeconds/)
  await rejectsWith(t, put({ DestinationConfig: { OnSuccess: { Destination: 'not-an-arn' } } }), InvalidParameterValueException, 400, /DestinationConfig\.OnSuccess\.Destination/)
  await rejectsWith(
    t,
    put({ DestinationConfig: { OnSuccess: { Destination: 'arn:aws:s3:::bucket' } } }),
    InvalidParameterValueException,
    400,
    /OnSuccess\.Destination: must be the ARN of an SQS queue/,
  )
  const s3 = await put({ DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::bucket' } } })
  t.same(s3.DestinationConfig?.OnFailure, { Destination: 'arn:aws:s3:::bucket' }, 'S3 is a failure destination')
  await rejectsWith(t, lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'worker', Qualifier: '1', MaximumRetryAttempts: 5 })), InvalidParameterValueException, 400, /MaximumRetryAttempts/)
  t.equal((await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'worker', Qualifier: '1' }))).MaximumRetryAttempts, undefined, 'failed calls changed nothing')

  await rejectsWith(t, lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'ghost', MaximumRetryAttempts: 1 })), ResourceNotFoundException, 404, /Function not found/)
  await rejectsWith(t, lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'worker', Qualifier: '9', MaximumRetryAttempts: 1 })), ResourceNotFoundException, 404)
  await rejectsWith(t, lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'worker', Qualifier: 'nope' })), ResourceNotFoundException, 404)
  await rejectsWith(t, lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'ghost' })), ResourceNotFoundException, 404)

  const notJson = await request(`${server.url}/2019-09-25/functions/worker/event-invoke-config`, { method: 'PUT', body: '[1]' })
  t.equal(notJson.statusCode, 400)
  t.equal(notJson.headers['x-amzn-errortype'], 'InvalidRequestContentException')
  await notJson.body.dump()
  const wrongType = await request(`${server.url}/2019-09-25/functions/worker/event-invoke-config`, { method: 'PUT', body: '{"MaximumRetryAttempts":"2"}' })
  t.equal(wrongType.statusCode, 400)
  t.match(await wrongType.body.json(), { message: /MaximumRetryAttempts: must be a number/ })
})

t.test('DeleteFunction takes its event-invoke configs with it', async (t) => {
  await deploy('brief')
  await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'brief', MaximumRetryAttempts: 1 }))
  await lambda.send(new DeleteFunctionCommand({ FunctionName: 'brief' }))
  await deploy('brief')
  await rejectsWith(t, lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'brief' })), ResourceNotFoundException, 404, /doesn't have an EventInvokeConfig/)
  t.same((await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'brief' }))).FunctionEventInvokeConfigs, [])
})

t.test('deleting a version or an alias takes its config with it: made again, it has none', async (t) => {
  await deploy('layered')
  await host.publishVersion('layered')
  host.createAlias('layered', 'edge', { functionVersion: '1' })
  await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'layered', Qualifier: 'edge', MaximumRetryAttempts: 0 }))
  await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'layered', Qualifier: '1', MaximumRetryAttempts: 2 }))
  await lambda.send(new DeleteAliasCommand({ FunctionName: 'layered', Name: 'edge' }))
  host.createAlias('layered', 'edge', { functionVersion: '1' })
  await rejectsWith(t, lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'layered', Qualifier: 'edge' })), ResourceNotFoundException, 404)
  host.deleteAlias('layered', 'edge')
  await lambda.send(new DeleteFunctionCommand({ FunctionName: 'layered', Qualifier: '1' }))
  t.same((await lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'layered' }))).FunctionEventInvokeConfigs, [], 'the version took its config too')
})
