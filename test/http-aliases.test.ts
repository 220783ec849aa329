/**
 * Aliases over the management API (src/http/management/alias-routes.ts) and the Invoke API, on a
 * real server on 127.0.0.1 driven by the AWS SDK v3 (maxAttempts 1): Create/Get/Update/Delete/
 * ListAliases with their shapes and errors, invocation through an alias, and weighted routing
 * checked by the versions that ran over many invocations (X-Amz-Executed-Version), not by timing.
 */
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  ListAliasesCommand,
  PreconditionFailedException,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda'
import { strToU8, zipSync } from 'fflate'
import t from 'tap'
import { createHost } from '../src/index.js'
import { startHttpServer } from '../src/http/server.js'
import { lambdaClientFor, rejectsWith } from './helpers/lambda-sdk.js'

const ACCOUNT = '123456789012'
const ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function`

// The host's account is the caller's, so the ARN the handler sees is the one the API reports.
const host = await createHost({ shards: 1, accountId: ACCOUNT })
t.teardown(() => host.close())
const server = await startHttpServer({ host, port: 0 })
t.teardown(() => server.close())
const lambda = lambdaClientFor(t, server.url, ACCOUNT)

/** Each version of `shop` says which code it is and how it was invoked. */
const codeOf = (mark: string) =>
  zipSync({
    'index.mjs': strToU8(
      `export const handler = async (event, context) => ({ code: '${mark}', version: context.functionVersion, invokedArn: context.invokedFunctionArn })`,
    ),
  })

async function invoke(name: string, qualifier?: string) {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}'), ...(qualifier === undefined ? {} : { Qualifier: qualifier }) }))
  const body = JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as { code: string; version: string; invokedArn: string }
  return { executed: out.ExecutedVersion, ...body }
}

/** The versions that ran over `count` invocations of an alias, with how often each did. */
async function executedVersions(qualifier: string, count: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>()
  for (let i = 0; i < count; i++) {
    const { executed, version, code } = await invoke(`shop:${qualifier}`)
    // The header, the context and the code that ran agree.
    if (executed !== version || code !== `v${version}`) throw new Error(`executed ${executed}, context says ${version}, code ${code}`)
    seen.set(executed, (seen.get(executed) ?? 0) + 1)
  }
  return seen
}

// shop: versions 1, 2, 3, each with its own code; $LATEST has the code of version 3.
await lambda.send(
  new CreateFunctionCommand({
    FunctionName: 'shop',
    Role: `arn:aws:iam::${ACCOUNT}:role/r`,
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Code: { ZipFile: codeOf('v1') },
    Publish: true,
  }),
)
await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'shop', ZipFile: codeOf('v2'), Publish: true }))
await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'shop', ZipFile: codeOf('v3'), Publish: true }))

t.test('CreateAlias answers 201 with the AliasConfiguration; GetAlias reads it; invoking the alias runs its version', async (t) => {
  const created = await lambda.send(new CreateAliasCommand({ FunctionName: 'shop', Name: 'live', FunctionVersion: '1', Description: 'production' }))
  t.equal(created.$metadata.httpStatusCode, 201)
  t.match(created, { AliasArn: `${ARN}:shop:live`, Name: 'live', FunctionVersion: '1', Description: 'production' })
  t.equal(created.RoutingConfig, undefined, 'no RoutingConfig without weights')
  t.match(created.RevisionId, /^[0-9a-f-]{36}$/)

  const got = await lambda.send(new GetAliasCommand({ FunctionName: 'shop', Name: 'live' }))
  t.match(got, { AliasArn: `${ARN}:shop:live`, Name: 'live', FunctionVersion: '1', Description: 'production', RevisionId: created.RevisionId })
  // The function ARN form names the function too.
  t.match(await lambda.send(new GetAliasCommand({ FunctionName: `${ARN}:shop`, Name: 'live' })), { FunctionVersion: '1' })

  const viaQualifier = await invoke('shop', 'live')
  t.same(viaQualifier, { executed: '1', code: 'v1', version: '1', invokedArn: `${ARN}:shop:live` }, 'the handler sees the alias ARN')
  t.same(await invoke('shop:live'), viaQualifier, 'name:alias works as ?Qualifier= does')
  t.same(await invoke(`${ARN}:shop:live`), viaQualifier, 'so does the alias ARN')
  t.equal((await invoke('shop')).executed, '$LATEST', 'no qualifier still runs $LATEST')

  // GetFunctionConfiguration through an alias reports the version it points to.
  t.equal((await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'shop', Qualifier: 'live' }))).Version, '1')

  const latest = await lambda.send(new CreateAliasCommand({ FunctionName: 'shop', Name: 'edge', FunctionVersion: '$LATEST' }))
  t.match(latest, { FunctionVersion: '$LATEST', Description: '' })
  t.equal((await invoke('shop', 'edge')).executed, '$LATEST', 'an alias may point to $LATEST')
})

t.test('CreateAlias and GetAlias errors', async (t) => {
  await rejectsWith(t, lambda.send(new CreateAliasCommand({ FunctionName: 'shop', Name: 'live', FunctionVersion: '2' })), ResourceConflictException, 409, /Alias already exists/)
  await rejectsWith(t, lambda.send(new CreateAliasCommand({ FunctionName: 'shop', Name: 'ghost', FunctionVersion: '9' })), ResourceNotFoundException, 404, /shop:9/)
  await rejectsWith(t, lambda.send(new CreateAliasCommand({ FunctionName: 'nope', Name: 'live', FunctionVersion: '1' })), ResourceNotFoundException, 404)
  await rejectsWith(t, lambda.send(new CreateAliasCommand({ FunctionName: 'shop', Name: 'bad', FunctionVersion: 'one' })), InvalidParameterValueException, 400, /FunctionVersion/)
  await rejectsWith(t, lambda.send(new CreateAliasCommand({ FunctionName: 'shop', Name: '42', FunctionVersion: '1' })), InvalidParameterValueException, 400, /not all digits/)
  const weighted = (weights: Record<string, number>, version = '1') =>
    lambda.send(new CreateAliasCommand({ FunctionName: 'shop', Name: 'w', FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: weights } }))
  await rejectsWith(t, weighted({ '2': 0.2, '3': 0.2 }), InvalidParameterValueException, 400, /only one additional version/)
  await rejectsWith(t, weighted({ '2': 1.5 }), InvalidParameterValueException, 400, /from 0.0 to 1.0/)
  await rejectsWith(t, weighted({ '2': -0.1 }), InvalidParameterValueException, 400, /from 0.0 to 1.0/)
  await rejectsWith(t, weighted({ '1': 0.5 }), InvalidParameterValueException, 400, /both/)
  await rejectsWith(t, weighted({ '2': 0.5 }, '$LATEST'), InvalidParameterValueException, 400, /\$LATEST/)
  await rejectsWith(t, weighted({ '9': 0.5 }), ResourceNotFoundException, 404, /shop:9/)
  await rejectsWith(t, lambda.send(new GetAliasCommand({ FunctionName: 'shop', Name: 'w' })), ResourceNotFoundException, 404, /Alias not found: .*shop:w/)
  // None of the failures created anything.
  t.same(((await lambda.send(new ListAliasesCommand({ FunctionName: 'shop' }))).Aliases ?? []).map((alias) => alias.Name), ['edge', 'live'])
  await rejectsWith(t, invoke('shop', 'w'), ResourceNotFoundException, 404, /Function not found: .*shop:w/)
})

t.test('weighted routing: weight 0 never, weight 1 always, weight 0.5 both versions', async (t) => {
  const created = await lambda.send(
    new CreateAliasCommand({ FunctionName: 'shop', Name: 'canary', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0 } } }),
  )
  t.same(created.RoutingConfig, { AdditionalVersionWeights: { '2': 0 } })
  t.same([...(await executedVersions('canary', 40))], [['1', 40]], 'weight 0: only the alias version runs')

  const all = await lambda.send(new UpdateAliasCommand({ FunctionName: 'shop', Name: 'canary', RoutingConfig: { AdditionalVersionWeights: { '2': 1 } } }))
  t.same(all.RoutingConfig, { AdditionalVersionWeights: { '2': 1 } })
  t.same([...(await executedVersions('canary', 40))], [['2', 40]], 'weight 1: only the additional version runs')

  await lambda.send(new UpdateAliasCommand({ FunctionName: 'shop', Name: 'canary', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } }))
  // Missing a version in 200 fair draws has probability 2^-199.
  const half = await executedVersions('canary', 200)
  t.same([...half.keys()].sort(), ['1', '2'], `weight 0.5: both versions run (${JSON.stringify([...half])})`)

  const cleared = await lambda.send(new UpdateAliasCommand({ FunctionName: 'shop', Name: 'canary', RoutingConfig: {} }))
  t.equal(cleared.RoutingConfig, undefined, 'an empty RoutingConfig removes the weights')
  t.same([...(await executedVersions('canary', 20))], [['1', 20]])
})

t.test('UpdateAlias changes only what it names, checks RevisionId and versions', async (t) => {
  const before = await lambda.send(new GetAliasCommand({ FunctionName: 'shop', Name: 'live' }))
  const updated = await lambda.send(new UpdateAliasCommand({ FunctionName: 'shop', Name: 'live', FunctionVersion: '3', RevisionId: before.RevisionId }))
  t.equal(updated.$metadata.httpStatusCode, 200)
  t.match(updated, { Name: 'live', FunctionVersion: '3', Description: 'production' })
  t.not(updated.RevisionId, before.RevisionId, 'a new revision')
  t.equal((await invoke('shop', 'live')).executed, '3')

  await rejectsWith(
    t,
    lambda.send(new UpdateAliasCommand({ FunctionName: 'shop', Name: 'live', FunctionVersion: '2', RevisionId: before.RevisionId })),
    PreconditionFailedException,
    412,
  )
  await rejectsWith(t, lambda.send(new UpdateAliasCommand({ FunctionName: 'shop', Name: 'live', FunctionVersion: '7' })), ResourceNotFoundException, 404)
  await rejectsWith(t, lambda.send(new UpdateAliasCommand({ FunctionName: 'shop', Name: 'gone', FunctionVersion: '1' })), ResourceNotFoundException, 404)
  await rejectsWith(
    t,
    lambda.send(new UpdateAliasCommand({ FunctionName: 'shop', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '3': 0.1 } } })),
    InvalidParameterValueException,
    400,
  )
  const description = await lambda.send(new UpdateAliasCommand({ FunctionName: 'shop', Name: 'live', Description: 'prod' }))
  t.match(description, { FunctionVersion: '3', Description: 'prod' }, 'the failed updates changed nothing')
})

t.test('ListAliases pages by name and filters by FunctionVersion', async (t) => {
  for (const name of ['a1', 'a2', 'a3']) await lambda.send(new CreateAliasCommand({ FunctionName: 'shop', Name: name, FunctionVersion: '2' }))
  const names: string[] = []
  let marker: string | undefined
  let pages = 0
  do {
    const page = await lambda.send(new ListAliasesCommand({ FunctionName: 'shop', MaxItems: 2, ...(marker === undefined ? {} : { Marker: marker }) }))
    t.ok((page.Aliases ?? []).length <= 2)
    names.push(...(page.Aliases ?? []).map((alias) => alias.Name ?? ''))
    marker = page.NextMarker
    pages += 1
  } while (marker !== undefined)
  t.same(names, ['a1', 'a2', 'a3', 'canary', 'edge', 'live'])
  t.equal(pages, 3)

  const onTwo = await lambda.send(new ListAliasesCommand({ FunctionName: 'shop', FunctionVersion: '2' }))
  t.same((onTwo.Aliases ?? []).map((alias) => alias.Name), ['a1', 'a2', 'a3'])
  t.match(onTwo.Aliases?.[0], { AliasArn: `${ARN}:shop:a1`, FunctionVersion: '2' })
  await rejectsWith(t, lambda.send(new ListAliasesCommand({ FunctionName: 'nope' })), ResourceNotFoundException, 404)
})

t.test('DeleteAlias answers 204; a version an alias points to cannot be deleted', async (t) => {
  await rejectsWith(t, lambda.send(new DeleteFunctionCommand({ FunctionName: 'shop', Qualifier: '2' })), ResourceConflictException, 409, /a1, a2, a3/)
  for (const name of ['a1', 'a2', 'a3']) {
    const deleted = await lambda.send(new DeleteAliasCommand({ FunctionName: 'shop', Name: name }))
    t.equal(deleted.$metadata.httpStatusCode, 204)
  }
  await rejectsWith(t, lambda.send(new GetAliasCommand({ FunctionName: 'shop', Name: 'a1' })), ResourceNotFoundException, 404)
  await rejectsWith(t, lambda.send(new DeleteAliasCommand({ FunctionName: 'shop', Name: 'a1' })), ResourceNotFoundException, 404)
  // canary still routes to version 1 only (its weights were cleared), so version 2 is free now.
  await lambda.send(new DeleteFunctionCommand({ FunctionName: 'shop', Qualifier: '2' }))

  // Deleting the function deletes its aliases: a new function of that name starts with none.
  await lambda.send(new DeleteFunctionCommand({ FunctionName: 'shop' }))
  await lambda.send(
    new CreateFunctionCommand({ FunctionName: 'shop', Role: `arn:aws:iam::${ACCOUNT}:role/r`, Runtime: 'nodejs20.x', Handler: 'index.handler', Code: { ZipFile: codeOf('v1') } }),
  )
  t.same((await lambda.send(new ListAliasesCommand({ FunctionName: 'shop' }))).Aliases, [])
})
