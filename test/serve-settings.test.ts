/**
 * `thaw serve` applies a SAM template's AutoPublishAlias, ReservedConcurrentExecutions and
 * ProvisionedConcurrencyConfig (src/cli/serve-settings.ts), at start and on a --watch reload.
 * A real child process (`node bin/thaw.js`, which loads dist/: build first) driven by the AWS SDK.
 *
 * The handler reports the AWS_LAMBDA_INITIALIZATION_TYPE its INIT saw: `provisioned-concurrency`
 * only in an environment started for the provisioned configuration, before any invocation.
 */
import { mkdtempSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  GetAliasCommand,
  GetFunctionConcurrencyCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda'
import t from 'tap'
import { lambdaClientFor } from './helpers/lambda-sdk.js'
import { servingUrl, spawnThawServe } from './helpers/thaw-serve.js'


const project = mkdtempSync(path.join(os.tmpdir(), 'thaw-serve-settings-'))
t.teardown(() => rm(project, { recursive: true, force: true }))
await mkdir(path.join(project, 'src'))
const code = (marker: string) =>
  `const initType = process.env.AWS_LAMBDA_INITIALIZATION_TYPE
export const handler = async (event, context) => ({ initType, marker: '${marker}', version: context.functionVersion })`
await writeFile(path.join(project, 'src', 'app.mjs'), code('first'))
/** With AutoPublishAlias, SAM puts the FunctionUrlConfig on the alias: so does `thaw serve`. */
const template = (reserved: number, provisioned: number) =>
  [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  Warm:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      FunctionName: warm',
    '      Runtime: nodejs20.x',
    '      CodeUri: src/',
    '      Handler: app.handler',
    '      AutoPublishAlias: live',
    `      ReservedConcurrentExecutions: ${reserved}`,
    '      ProvisionedConcurrencyConfig:',
    `        ProvisionedConcurrentExecutions: ${provisioned}`,
    '      FunctionUrlConfig:',
    '        AuthType: NONE',
    '',
  ].join('\n')
await writeFile(path.join(project, 'template.yaml'), template(5, 2))

/** Bounded wait for a condition the child process reaches on its own. */
async function until(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  for (let attempt = 0; !(await done()); attempt += 1) {
    if (attempt > 500) throw new Error(`never: ${what}`)
    await sleep(20)
  }
}

t.test('thaw serve --watch: alias published, concurrency reserved, provisioned environments READY; a reload moves them', async (t) => {
  const serve = spawnThawServe(t, [path.join(project, 'template.yaml'), '--port', '0', '--watch', '--data-dir', path.join(project, '.thaw')])
  const stdout = await serve.listing((out) => servingUrl(out) !== undefined && /warm/.test(out))
  const url = servingUrl(stdout) ?? ''
  const lambda = lambdaClientFor(t, url)
  const invokeAlias = async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'warm', Qualifier: 'live', LogType: 'Tail' }))
    return {
      body: JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString('utf8')) as { initType: string; marker: string; version: string },
      log: Buffer.from(out.LogResult ?? '', 'base64').toString('utf8'),
    }
  }

  t.equal((await lambda.send(new GetAliasCommand({ FunctionName: 'warm', Name: 'live' }))).FunctionVersion, '1', 'AutoPublishAlias: version 1 published, alias on it')
  t.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'warm' }))).ReservedConcurrentExecutions, 5)
  // serve lists its endpoints only once the provisioned environments are up.
  const config = await lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: 'live' }))
  t.same([config.Status, config.RequestedProvisionedConcurrentExecutions, config.AllocatedProvisionedConcurrentExecutions], ['READY', 2, 2])
  const first = await invokeAlias()
  t.same(first.body, { initType: 'provisioned-concurrency', marker: 'first', version: '1' })
  t.notMatch(first.log, /INIT_START/, 'INIT ran before the invocation')

  t.match(serve.output.stdout, `function URL     ${url}/url/warm:live/`, "the listing shows the alias's function URL")
  t.notMatch(serve.output.stdout, `${url}/url/warm/`, '$LATEST has none: SAM puts the URL on the alias')
  const viaUrl = await fetch(`${url}/url/warm:live/`)
  t.equal(viaUrl.status, 200)
  t.match(await viaUrl.json(), { marker: 'first', version: '1' }, 'the URL runs the alias')
  t.equal((await fetch(`${url}/url/warm/`)).status, 404)

  await writeFile(path.join(project, 'src', 'app.mjs'), code('second'))
  await until('the alias moved to version 2', () => /warm:live is version 2/.test(serve.output.stderr))
  t.same(
    (await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'warm' }))).Versions?.map((version) => version.Version),
    ['$LATEST', '1', '2'],
    'the reload published version 2',
  )
  const getConfig = () => lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'warm', Qualifier: 'live' }))
  await until('READY on version 2', async () => (await getConfig()).Status === 'READY')
  t.pass('the configuration followed the alias to version 2')
  const second = await invokeAlias()
  t.same(second.body, { initType: 'provisioned-concurrency', marker: 'second', version: '2' })
  t.notMatch(second.log, /INIT_START/)
  t.match(await (await fetch(`${url}/url/warm:live/`)).json(), { marker: 'second', version: '2' }, 'the URL follows the alias')

  // Only the settings change: below the provisioned count, reserved concurrency needs the config lowered first.
  await writeFile(path.join(project, 'template.yaml'), template(1, 1))
  await until('the new settings applied', () => /provisioned concurrency of warm:live is 1/.test(serve.output.stderr))
  t.equal((await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: 'warm' }))).ReservedConcurrentExecutions, 1)
  t.equal((await getConfig()).RequestedProvisionedConcurrentExecutions, 1)
  t.equal((await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'warm' }))).Versions?.length, 3, 'the code did not change: no new version')
  t.notMatch(serve.output.stderr, /not applied|failed/)

  serve.child.kill('SIGTERM')
  t.equal(await serve.exited, 0)
})

t.test('thaw serve refuses provisioned concurrency over what the account leaves unreserved', async (t) => {
  const other = mkdtempSync(path.join(os.tmpdir(), 'thaw-serve-settings-'))
  t.teardown(() => rm(other, { recursive: true, force: true }))
  await mkdir(path.join(other, 'src'))
  await writeFile(path.join(other, 'src', 'app.mjs'), code('x'))
  await writeFile(
    path.join(other, 'template.yaml'),
    [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Big:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Runtime: nodejs20.x',
      '      CodeUri: src/',
      '      Handler: app.handler',
      '      AutoPublishAlias: live',
      '      ProvisionedConcurrencyConfig:',
      '        ProvisionedConcurrentExecutions: 950',
      '',
    ].join('\n'),
  )
  const serve = spawnThawServe(t, [path.join(other, 'template.yaml'), '--port', '0', '--data-dir', path.join(other, '.thaw')])
  const code2 = await serve.exited
  t.equal(code2, 2, 'bad usage')
  t.match(serve.output.stderr, /UnreservedConcurrentExecution below its minimum value of \[100\]/)
})
