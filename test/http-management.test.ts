/**
 * The management API subset of the HTTP front end (src/http/management/), on a real server on
 * 127.0.0.1, driven by the AWS SDK v3 (maxAttempts 1): functions created from real zips (fflate),
 * read, listed page by page, updated, published, invoked and deleted, and every error the SDK
 * must surface as its typed exception.
 */
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PreconditionFailedException,
  PublishVersionCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type CreateFunctionCommandInput,
  type FunctionConfiguration,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda'
import { strToU8, zipSync } from 'fflate'
import t from 'tap'
import { request } from 'undici'
import { createHost } from '../src/index.js'
import { startHttpServer } from '../src/http/server.js'
import { lambdaClientFor, rejectsWith } from './helpers/lambda-sdk.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

const ACCOUNT = '123456789012'
const ROLE = `arn:aws:iam::${ACCOUNT}:role/test-role`
const LAMBDA_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/

const host = await createHost({ shards: 1 })
t.teardown(() => host.close())
const server = await startHttpServer({ host, port: 0 })
t.teardown(() => server.close())

const clientFor = (accessKeyId: string) => lambdaClientFor(t, server.url, accessKeyId)
/** A 12-digit access key is the account id the server acts for. */
const lambda = clientFor(ACCOUNT)

/** A deployment package as Lambda takes it: a zip with the handler file at its root. */
function zipOf(source: string): Uint8Array {
  return zipSync({ 'index.mjs': strToU8(source) })
}
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64')

const greetV1 = zipOf(`export const handler = async (event, context) =>
  ({ greeting: process.env.GREETING + ', ' + event.name, version: context.functionVersion, memory: context.memoryLimitInMB })`)
const greetV2 = zipOf(`export const handler = async (event) => ({ v2: true, greeting: process.env.GREETING + '! ' + event.name })`)

const createInput = (overrides: Partial<CreateFunctionCommandInput> = {}): CreateFunctionCommandInput => ({
  FunctionName: 'greet',
  Role: ROLE,
  Runtime: 'nodejs20.x',
  Handler: 'index.handler',
  Code: { ZipFile: greetV1 },
  ...overrides,
})

async function invoke(name: string, event: unknown, qualifier?: string) {
  const out = await lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), ...(qualifier === undefined ? {} : { Qualifier: qualifier }) }),
  )
  return { executed: out.ExecutedVersion, error: out.FunctionError, body: JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as unknown }
}

t.test('CreateFunction answers 201 with the FunctionConfiguration, and the function runs', async (t) => {
  const created = await lambda.send(
    new CreateFunctionCommand(
      createInput({
        Description: 'says hello',
        Timeout: 10,
        MemorySize: 256,
        Environment: { Variables: { GREETING: 'Hello' } },
        EphemeralStorage: { Size: 1024 },
        Architectures: ['arm64'],
      }),
    ),
  )
  t.equal(created.$metadata.httpStatusCode, 201)
  t.match(created, {
    FunctionName: 'greet',
    FunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:greet`,
    Runtime: 'nodejs20.x',
    Role: ROLE,
    Handler: 'index.handler',
    CodeSize: greetV1.byteLength,
    CodeSha256: sha256(greetV1),
    Description: 'says hello',
    Timeout: 10,
    MemorySize: 256,
    Version: '$LATEST',
    Environment: { Variables: { GREETING: 'Hello' } },
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: ['arm64'],
    EphemeralStorage: { Size: 1024 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
  })
  t.match(created.LastModified, LAMBDA_TIMESTAMP)
  t.match(created.RevisionId, /^[0-9a-f-]{36}$/)

  t.same(await invoke('greet', { name: 'SDK' }), { executed: '$LATEST', error: undefined, body: { greeting: 'Hello, SDK', version: '$LATEST', memory: '256' } })
})

t.test('CreateFunction with a provided* runtime runs the bootstrap of the package as a process', async (t) => {
  const bootstrap = await readFile(path.join(ROOT, 'test', 'fixtures', 'bootstrap-curl', 'bootstrap'))
  const created = await lambda.send(
    new CreateFunctionCommand(createInput({ FunctionName: 'custom', Runtime: 'provided.al2023', Handler: 'echo', Code: { ZipFile: zipSync({ bootstrap: new Uint8Array(bootstrap) }) } })),
  )
  t.equal(created.Runtime, 'provided.al2023')
  const { body } = await invoke('custom', { hello: 'process' })
  t.match(body, { event: { hello: 'process' }, handler: 'echo' })
  await lambda.send(new DeleteFunctionCommand({ FunctionName: 'custom' }))
})

t.test('CreateFunction refuses what it cannot serve, with typed SDK exceptions', async (t) => {
  await rejectsWith(t, lambda.send(new CreateFunctionCommand(createInput())), ResourceConflictException, 409, /already exist: greet/)
  await rejectsWith(t, lambda.send(new CreateFunctionCommand(createInput({ FunctionName: 'py', Runtime: 'python3.12' }))), InvalidParameterValueException, 400, /python3\.12/)
  await rejectsWith(t, lambda.send(new CreateFunctionCommand(createInput({ FunctionName: 'nohandler', Handler: undefined }))), InvalidParameterValueException, 400, /Handler/)
  await rejectsWith(t, lambda.send(new CreateFunctionCommand(createInput({ FunctionName: 'tiny', MemorySize: 64 }))), InvalidParameterValueException, 400, /MemorySize/)
  await rejectsWith(
    t,
    lambda.send(new CreateFunctionCommand(createInput({ FunctionName: 'notzip', Code: { ZipFile: strToU8('this is not a zip') } }))),
    InvalidParameterValueException,
    400,
  )
  await rejectsWith(
    t,
    lambda.send(new CreateFunctionCommand(createInput({ FunctionName: 'bad-env', Environment: { Variables: { AWS_REGION: 'mars-1' } } }))),
    InvalidParameterValueException,
    400,
    /AWS_REGION/,
  )
  await rejectsWith(t, lambda.send(new CreateFunctionCommand(createInput({ FunctionName: 'bad name!' }))), InvalidParameterValueException, 400)
  await rejectsWith(t, lambda.send(new CreateFunctionCommand(createInput({ FunctionName: 's3', Code: { S3Bucket: 'b', S3Key: 'k' } }))), InvalidParameterValueException, 400, /ZipFile/)
  // None of the refused functions exists.
  const names = (await lambda.send(new ListFunctionsCommand({}))).Functions?.map((fn) => fn.FunctionName)
  t.same(names, ['greet'])

  const raw = await request(`${server.url}/2015-03-31/functions`, { method: 'POST', body: '{"FunctionName": ' })
  t.equal(raw.statusCode, 400)
  t.equal(raw.headers['x-amzn-errortype'], 'InvalidRequestContentException')
  await raw.body.dump()
})

t.test('GetFunction and GetFunctionConfiguration', async (t) => {
  const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'greet' }))
  t.equal(got.Configuration?.FunctionName, 'greet')
  t.equal(got.Configuration?.CodeSha256, sha256(greetV1))
  t.equal(got.Code?.RepositoryType, 'S3')
  const byArn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:greet` }))
  t.same(byArn, { ...got.Configuration, $metadata: byArn.$metadata })

  await rejectsWith(t, lambda.send(new GetFunctionCommand({ FunctionName: 'nobody' })), ResourceNotFoundException, 404, /Function not found/)
  await rejectsWith(t, lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'greet', Qualifier: '7' })), ResourceNotFoundException, 404)
  // An ARN of another account names a function this server does not have for the caller.
  await rejectsWith(
    t,
    lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'arn:aws:lambda:us-east-1:999999999999:function:greet' })),
    ResourceNotFoundException,
    404,
  )
  // Without a 12-digit access key, ARNs carry the host's account.
  const other = clientFor('AKIDEXAMPLE')
  const asHost = await other.send(new GetFunctionConfigurationCommand({ FunctionName: 'greet' }))
  t.equal(asHost.FunctionArn, `arn:aws:lambda:us-east-1:${host.accountId}:function:greet`)
})

t.test('UpdateFunctionConfiguration and UpdateFunctionCode replace $LATEST', async (t) => {
  const before = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'greet' }))
  await rejectsWith(
    t,
    lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'greet', MemorySize: 512, RevisionId: '00000000-0000-0000-0000-000000000000' })),
    PreconditionFailedException,
    412,
  )
  await rejectsWith(t, lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'greet', Timeout: 1000 })), InvalidParameterValueException, 400, /Timeout/)

  const updated = await lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: 'greet',
      RevisionId: before.RevisionId,
      MemorySize: 512,
      Description: 'says hi',
      Environment: { Variables: { GREETING: 'Hi' } },
    }),
  )
  t.equal(updated.$metadata.httpStatusCode, 200)
  t.match(updated, { MemorySize: 512, Description: 'says hi', Environment: { Variables: { GREETING: 'Hi' } }, Timeout: 10, Architectures: ['arm64'], Role: ROLE })
  t.not(updated.RevisionId, before.RevisionId, 'a change makes a new revision')
  t.equal(updated.CodeSha256, before.CodeSha256, 'the code stays')
  t.same((await invoke('greet', { name: 'there' })).body, { greeting: 'Hi, there', version: '$LATEST', memory: '512' })

  const code = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'greet', ZipFile: greetV2 }))
  t.equal(code.CodeSha256, sha256(greetV2))
  t.equal(code.CodeSize, greetV2.byteLength)
  t.equal(code.MemorySize, 512, 'the configuration stays')
  t.same((await invoke('greet', { name: 'v2' })).body, { v2: true, greeting: 'Hi! v2' })

  const dry = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'greet', ZipFile: greetV1, DryRun: true }))
  t.equal(dry.CodeSha256, sha256(greetV1), 'a dry run reports the new code')
  t.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'greet' }))).CodeSha256, sha256(greetV2), 'and changes nothing')

  await rejectsWith(t, lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'nobody', ZipFile: greetV2 })), ResourceNotFoundException, 404)
})

t.test('PublishVersion, ListVersionsByFunction, versions invoked and deleted', async (t) => {
  const published = await lambda.send(new PublishVersionCommand({ FunctionName: 'greet', Description: 'first release' }))
  t.equal(published.$metadata.httpStatusCode, 201)
  t.match(published, { Version: '1', FunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:greet:1`, Description: 'first release', CodeSha256: sha256(greetV2) })
  t.match(published.LastModified, LAMBDA_TIMESTAMP)
  const again = await lambda.send(new PublishVersionCommand({ FunctionName: 'greet' }))
  t.equal(again.Version, '1', 'nothing changed: the newest version comes back')
  await rejectsWith(t, lambda.send(new PublishVersionCommand({ FunctionName: 'greet', CodeSha256: 'bm90IHRoZSBoYXNo' })), InvalidParameterValueException, 400, /CodeSHA256/)

  // UpdateFunctionCode with Publish answers with the new version.
  const v2 = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'greet', ZipFile: greetV1, Publish: true }))
  t.equal(v2.Version, '2')
  t.equal(v2.CodeSha256, sha256(greetV1))
  t.equal(v2.Description, 'says hi', 'a version without its own description keeps the one of $LATEST')

  t.same(await invoke('greet', { name: 'one' }, '1'), { executed: '1', error: undefined, body: { v2: true, greeting: 'Hi! one' } })
  t.same(await invoke('greet', { name: 'two' }, '2'), { executed: '2', error: undefined, body: { greeting: 'Hi, two', version: '2', memory: '512' } })

  const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'greet' }))
  t.same(versions.Versions?.map((v) => v.Version), ['$LATEST', '1', '2'])
  t.equal(versions.NextMarker, undefined)
  const paged: string[] = []
  let marker: string | undefined
  let pages = 0
  do {
    const page = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'greet', MaxItems: 2, Marker: marker }))
    paged.push(...(page.Versions ?? []).map((v) => v.Version ?? '?'))
    marker = page.NextMarker
    pages += 1
  } while (marker !== undefined)
  t.same(paged, ['$LATEST', '1', '2'])
  t.equal(pages, 2)

  const deleted = await lambda.send(new DeleteFunctionCommand({ FunctionName: 'greet', Qualifier: '1' }))
  t.equal(deleted.$metadata.httpStatusCode, 204)
  t.same((await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'greet' }))).Versions?.map((v) => v.Version), ['$LATEST', '2'])
  await rejectsWith(t, invoke('greet', {}, '1'), ResourceNotFoundException, 404)
  await rejectsWith(t, lambda.send(new DeleteFunctionCommand({ FunctionName: 'greet', Qualifier: '1' })), ResourceNotFoundException, 404)
  await rejectsWith(t, lambda.send(new DeleteFunctionCommand({ FunctionName: 'greet', Qualifier: '$LATEST' })), InvalidParameterValueException, 400, /\$LATEST/)
  t.equal((await invoke('greet', { name: 'still' }, '2')).executed, '2', 'the other version still runs')
})

t.test('ListFunctions pages through every function with Marker and MaxItems', async (t) => {
  for (const index of [3, 0, 4, 1, 2]) {
    await lambda.send(new CreateFunctionCommand(createInput({ FunctionName: `page-${index}`, Code: { ZipFile: zipOf(`export const handler = async () => ${index}`) } })))
  }
  // A function deployed through the host, not the API, is listed too, with Node's Runtime.
  await host.deploy({ name: 'direct', runtime: 'quickjs', handler: 'index.handler', code: { files: { 'index.mjs': 'export const handler = async () => "direct"' } } })

  const all = await lambda.send(new ListFunctionsCommand({}))
  const expected = ['direct', 'greet', 'page-0', 'page-1', 'page-2', 'page-3', 'page-4']
  t.same(all.Functions?.map((fn) => fn.FunctionName), expected)
  t.equal(all.NextMarker, undefined)
  t.match(all.Functions?.find((fn) => fn.FunctionName === 'direct'), { Runtime: 'nodejs20.x', Version: '$LATEST', State: 'Active' })

  const seen: string[] = []
  const pageSizes: number[] = []
  let marker: string | undefined
  do {
    const page = await lambda.send(new ListFunctionsCommand({ MaxItems: 3, Marker: marker }))
    seen.push(...(page.Functions ?? []).map((fn) => fn.FunctionName ?? '?'))
    pageSizes.push(page.Functions?.length ?? 0)
    marker = page.NextMarker
  } while (marker !== undefined)
  t.same(seen, expected)
  t.same(pageSizes, [3, 3, 1])

  const everyVersion = await lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }))
  const greet = everyVersion.Functions?.filter((fn: FunctionConfiguration) => fn.FunctionName === 'greet').map((fn) => fn.Version)
  t.same(greet, ['$LATEST', '2'])

  t.same((await invoke('page-3', {})).body, 3)
  await rejectsWith(t, lambda.send(new ListFunctionsCommand({ MaxItems: 0 })), InvalidParameterValueException, 400, /MaxItems/)
})

t.test('GetAccountSettings reports the limits and the usage', async (t) => {
  const settings = await lambda.send(new GetAccountSettingsCommand({}))
  t.match(settings.AccountLimit, { CodeSizeZipped: 52_428_800, CodeSizeUnzipped: 262_144_000, ConcurrentExecutions: 1000 })
  t.equal(settings.AccountUsage?.FunctionCount, host.listFunctions().length)
  t.ok((settings.AccountUsage?.TotalCodeSize ?? 0) > greetV1.byteLength)
})

t.test('DeleteFunction removes the function and all its versions', async (t) => {
  const deleted = await lambda.send(new DeleteFunctionCommand({ FunctionName: 'greet' }))
  t.equal(deleted.$metadata.httpStatusCode, 204)
  await rejectsWith(t, lambda.send(new GetFunctionCommand({ FunctionName: 'greet' })), ResourceNotFoundException, 404)
  await rejectsWith(t, invoke('greet', {}, '2'), ResourceNotFoundException, 404)
  await rejectsWith(t, lambda.send(new DeleteFunctionCommand({ FunctionName: 'greet' })), ResourceNotFoundException, 404)
  // The name is free again: a new function under it starts over, with nothing of the old one.
  const recreated = await lambda.send(new CreateFunctionCommand(createInput({ Publish: true })))
  t.match(recreated, { Version: '1', Architectures: ['x86_64'], MemorySize: 128, Timeout: 3 })
  t.equal(recreated.Environment, undefined)
})

t.test('SnapStart on published versions', async (t) => {
  const created = await lambda.send(
    new CreateFunctionCommand(createInput({ FunctionName: 'snappy', SnapStart: { ApplyOn: 'PublishedVersions' }, Environment: { Variables: { GREETING: 'Snap' } } })),
  )
  t.same(created.SnapStart, { ApplyOn: 'PublishedVersions', OptimizationStatus: 'Off' }, '$LATEST is not snapshotted')
  const version = await lambda.send(new PublishVersionCommand({ FunctionName: 'snappy' }))
  t.same(version.SnapStart, { ApplyOn: 'PublishedVersions', OptimizationStatus: 'On' })
  t.same((await invoke('snappy', { name: 'restored' }, '1')).body, { greeting: 'Snap, restored', version: '1', memory: '128' })
})

t.test('the SDK waiters see an Active, Successful function at once', async (t) => {
  const active = await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: 'snappy' })
  t.equal(active.state, 'SUCCESS')
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'snappy', Timeout: 5 }))
  const updated = await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: 'snappy' })
  t.equal(updated.state, 'SUCCESS')
})

t.test('a change while another change to the function runs is a ResourceConflictException', async (t) => {
  // The version's SnapStart INIT fetches this server, which holds the reply: publishing is then
  // in progress for as long as the test wants, without any timing.
  const held: ServerResponse[] = []
  let initStarted!: () => void
  const started = new Promise<void>((resolve) => (initStarted = resolve))
  const gate = createServer((req, res) => {
    req.resume()
    held.push(res)
    initStarted()
  })
  await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve))
  t.teardown(() => gate.close())
  const gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/`
  await host.deploy({
    name: 'slow-init',
    runtime: 'quickjs',
    handler: 'index.handler',
    egress: { allow: ['127.0.0.1:*'] },
    snapStart: { applyOn: 'PublishedVersions' },
    code: { files: { 'index.mjs': `await (await fetch(${JSON.stringify(gateUrl)})).text()\nexport const handler = async () => 'ready'` } },
  })

  const publishing = lambda.send(new PublishVersionCommand({ FunctionName: 'slow-init' }))
  await started
  await rejectsWith(
    t,
    lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'slow-init', MemorySize: 256 })),
    ResourceConflictException,
    409,
    /An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:slow-init/,
  )
  for (const res of held) res.end('go')
  const published = await publishing
  t.equal(published.Version, '1')
  t.equal((await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'slow-init', MemorySize: 256 }))).MemorySize, 256, 'once it is done, changes go through')
})

t.test('unknown management paths answer a Lambda-style 404', async (t) => {
  const raw = await request(`${server.url}/2015-03-31/functions/greet/nonsense`, { method: 'GET' })
  t.equal(raw.statusCode, 404)
  t.equal(raw.headers['x-amzn-errortype'], 'UnknownOperationException')
  await raw.body.dump()
  const broken = await request(`${server.url}/2015-03-31/functions/greet/configuration`, { method: 'PUT', body: 'nope' })
  t.equal(broken.statusCode, 400)
  t.equal(broken.headers['x-amzn-errortype'], 'InvalidRequestContentException')
  await broken.body.dump()
})
