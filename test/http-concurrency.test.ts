/**
 * Reserved concurrency over the management API (src/http/management/concurrency-routes.ts) and
 * its enforcement by the host, on a real server on 127.0.0.1 driven by the AWS SDK v3
 * (maxAttempts 1). The function waits on a local HTTP "gate" this test holds open, so invocations
 * stay in flight until the test lets them go: the limit is hit deterministically, not by timing.
 */
import { EventEmitter, once } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  DeleteFunctionConcurrencyCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  InvalidParameterValueException,
  InvokeCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda'
import t, { type Test } from 'tap'
import { createHost } from '../src/index.js'
import { startHttpServer } from '../src/http/server.js'

const ACCOUNT = '123456789012'

/** The gate: every request waits until open() answers it. */
const held: ServerResponse[] = []
const arrivals = new EventEmitter()
const gate = createServer((_request, response) => {
  held.push(response)
  arrivals.emit('arrived')
})
await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve))
t.teardown(() => {
  open()
  gate.close()
})
const gatePort = (gate.address() as AddressInfo).port

async function heldCount(count: number): Promise<void> {
  while (held.length < count) await once(arrivals, 'arrived')
}
function open(): void {
  for (const response of held.splice(0)) response.end('passed')
}

const host = await createHost({ shards: 1 })
t.teardown(() => host.close())
await host.deploy({
  name: 'gated',
  runtime: 'quickjs',
  handler: 'index.handler',
  code: {
    files: {
      'index.mjs': `export const handler = async (event, context) => {
        const response = await fetch('http://127.0.0.1:${gatePort}/wait')
        return { gate: await response.text(), version: context.functionVersion }
      }`,
    },
  },
  egress: { allow: ['127.0.0.1:*'] },
})
await host.publishVersion('gated')

const server = await startHttpServer({ host, port: 0 })
t.teardown(() => server.close())
const lambda = new LambdaClient({
  endpoint: server.url,
  region: 'us-east-1',
  credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'secret' },
  maxAttempts: 1,
})
t.teardown(() => lambda.destroy())

const invoke = (qualifier?: string, invocationType?: 'Event') =>
  lambda.send(
    new InvokeCommand({
      FunctionName: 'gated',
      Payload: Buffer.from('{}'),
      ...(qualifier === undefined ? {} : { Qualifier: qualifier }),
      ...(invocationType === undefined ? {} : { InvocationType: invocationType }),
    }),
  )
const bodyOf = (out: { Payload?: Uint8Array }) => JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as unknown

async function rejectsWith(t: Test, promise: Promise<unknown>, type: new (...args: never[]) => Error, status: number, message?: RegExp): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  t.type(error, type, `rejects with ${type.name}`)
  t.equal((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, status, `status ${status}`)
  if (message !== undefined) t.match((error as Error).message, message)
  return error
}

t.test('Put/Get/DeleteFunctionConcurrency and their errors', async (t) => {
  const none = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'gated' }))
  t.equal(none.ReservedConcurrentExecutions, undefined, 'nothing reserved at first')

  const put = await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'gated', ReservedConcurrentExecutions: 5 }))
  t.equal(put.$metadata.httpStatusCode, 200)
  t.equal(put.ReservedConcurrentExecutions, 5)
  t.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'gated' }))).ReservedConcurrentExecutions, 5)

  await rejectsWith(t, lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'nope', ReservedConcurrentExecutions: 1 })), ResourceNotFoundException, 404)
  await rejectsWith(t, lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'nope' })), ResourceNotFoundException, 404)
  await rejectsWith(t, lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'gated', ReservedConcurrentExecutions: -1 })), InvalidParameterValueException, 400)
  await rejectsWith(
    t,
    lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'gated', ReservedConcurrentExecutions: 901 })),
    InvalidParameterValueException,
    400,
    /below its minimum value of \[100\]/,
  )
  t.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'gated' }))).ReservedConcurrentExecutions, 5, 'failed puts changed nothing')

  const deleted = await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'gated' }))
  t.equal(deleted.$metadata.httpStatusCode, 204)
  t.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'gated' }))).ReservedConcurrentExecutions, undefined)
})

t.test('over its reserved concurrency a synchronous invoke gets 429 with the Reason; under it, it runs', async (t) => {
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'gated', ReservedConcurrentExecutions: 2 }))
  // Two invocations in flight, one on $LATEST and one on version 1: the cap is per function.
  const first = invoke()
  const second = invoke('1')
  await heldCount(2)

  const throttled = await rejectsWith(t, invoke(), TooManyRequestsException, 429, /Rate Exceeded/)
  t.equal((throttled as TooManyRequestsException).Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded')
  t.equal((throttled as TooManyRequestsException).Type, 'User')
  await rejectsWith(t, invoke('1'), TooManyRequestsException, 429)
  t.equal(held.length, 2, 'the throttled invocations never ran')

  open()
  t.same(bodyOf(await first), { gate: 'passed', version: '$LATEST' })
  t.same(bodyOf(await second), { gate: 'passed', version: '1' })

  // The slots are free again.
  const third = invoke()
  await heldCount(1)
  open()
  t.same(bodyOf(await third), { gate: 'passed', version: '$LATEST' })
  await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'gated' }))
})

t.test('reserved concurrency 0 disables the function until the reservation is deleted', async (t) => {
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'gated', ReservedConcurrentExecutions: 0 }))
  const throttled = await rejectsWith(t, invoke(), TooManyRequestsException, 429)
  t.equal((throttled as TooManyRequestsException).Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded')
  await rejectsWith(t, invoke('1'), TooManyRequestsException, 429)
  t.equal(held.length, 0, 'nothing ran')

  await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'gated' }))
  const running = invoke()
  await heldCount(1)
  open()
  t.same(bodyOf(await running), { gate: 'passed', version: '$LATEST' })
})

t.test('GetFunction reports reserved concurrency; GetAccountSettings what is left unreserved', async (t) => {
  await host.deploy({ name: 'spare', runtime: 'quickjs', handler: 'index.handler', code: { files: { 'index.mjs': 'export const handler = async () => 1' } } })
  t.teardown(() => host.removeFunction('spare'))
  const unreserved = async () => (await lambda.send(new GetAccountSettingsCommand({}))).AccountLimit?.UnreservedConcurrentExecutions

  t.equal((await lambda.send(new GetFunctionCommand({ FunctionName: 'gated' }))).Concurrency, undefined, 'no Concurrency without a reservation')
  t.equal(await unreserved(), 1000)

  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'gated', ReservedConcurrentExecutions: 25 }))
  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'spare', ReservedConcurrentExecutions: 100 }))
  t.same((await lambda.send(new GetFunctionCommand({ FunctionName: 'gated' }))).Concurrency, { ReservedConcurrentExecutions: 25 })
  t.same((await lambda.send(new GetFunctionCommand({ FunctionName: 'gated', Qualifier: '1' }))).Concurrency, { ReservedConcurrentExecutions: 25 }, 'per function, whatever the version')
  t.same((await lambda.send(new GetFunctionCommand({ FunctionName: 'spare' }))).Concurrency, { ReservedConcurrentExecutions: 100 })
  const settings = await lambda.send(new GetAccountSettingsCommand({}))
  t.equal(settings.AccountLimit?.UnreservedConcurrentExecutions, 875, '1000 - 25 - 100')
  t.equal(settings.AccountLimit?.ConcurrentExecutions, 1000)

  await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'spare', ReservedConcurrentExecutions: 0 }))
  t.same((await lambda.send(new GetFunctionCommand({ FunctionName: 'spare' }))).Concurrency, { ReservedConcurrentExecutions: 0 }, '0 is reported, not dropped')
  t.equal(await unreserved(), 975)
  await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'gated' }))
  await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'spare' }))
  t.equal(await unreserved(), 1000)
  t.equal((await lambda.send(new GetFunctionCommand({ FunctionName: 'gated' }))).Concurrency, undefined)
})
