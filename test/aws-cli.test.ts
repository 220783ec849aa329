/**
 * The AWS CLI against `startHttpServer`: `aws lambda … --endpoint-url`, unmodified, as a real
 * child process (scripts/setup-aws-cli.sh makes sure it is installed; `npm test` runs it first).
 * Management calls, Invoke with its payload file, a function URL config and the CLI's error
 * reporting. Works with CLI v1 and v2: payloads go as `fileb://`, which both read as raw bytes.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { strToU8, zipSync } from 'fflate'
import t, { type Test } from 'tap'
import { request } from 'undici'
import { createHost, startHttpServer } from '../src/index.js'

const ACCOUNT = '123456789012'
const host = await createHost()
t.teardown(() => host.close())
// No default function URLs: the CLI creates the one this test uses.
const server = await startHttpServer({ host, port: 0, functionUrls: () => false })
t.teardown(() => server.destroy())
const work = await mkdtemp(path.join(os.tmpdir(), 'thaw-aws-cli-'))
t.teardown(() => rm(work, { recursive: true, force: true }))

interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** `aws lambda <args>` against the server; an isolated config so the machine's profile plays no part. */
function awsLambda(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'aws',
      ['lambda', ...args, '--endpoint-url', server.url, '--output', 'json'],
      {
        env: {
          PATH: process.env.PATH,
          HOME: work,
          AWS_ACCESS_KEY_ID: ACCOUNT,
          AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_DEFAULT_REGION: 'us-east-1',
          AWS_CONFIG_FILE: path.join(work, 'no-config'),
          AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-credentials'),
          AWS_PAGER: '',
          AWS_MAX_ATTEMPTS: '1',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    )
  })
}

async function ok(t: Test, ...args: string[]): Promise<Record<string, unknown>> {
  const result = await awsLambda(...args)
  t.equal(result.code, 0, `aws lambda ${args[0]} succeeds${result.code === 0 ? '' : `: ${result.stderr}`}`)
  return result.stdout.trim() === '' ? {} : (JSON.parse(result.stdout) as Record<string, unknown>)
}

const SOURCE = `export const handler = async (event, context) => ({ hello: event.name, fn: context.functionName, version: context.functionVersion })`

t.test('create, list, get, invoke, publish and alias a function with the AWS CLI', async (t) => {
  const zip = path.join(work, 'code.zip')
  await writeFile(zip, zipSync({ 'index.mjs': strToU8(SOURCE) }))
  const created = await ok(t, 'create-function', '--function-name', 'cli', '--runtime', 'nodejs20.x', '--handler', 'index.handler',
    '--role', `arn:aws:iam::${ACCOUNT}:role/cli`, '--zip-file', `fileb://${zip}`)
  t.match(created, { FunctionName: 'cli', FunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:cli`, Runtime: 'nodejs20.x', Handler: 'index.handler' })

  const listed = await ok(t, 'list-functions')
  t.same((listed.Functions as { FunctionName: string }[]).map((fn) => fn.FunctionName), ['cli'])
  t.match(await ok(t, 'get-function-configuration', '--function-name', 'cli'), { FunctionName: 'cli', State: 'Active' })

  const event = path.join(work, 'event.json')
  const out = path.join(work, 'out.json')
  await writeFile(event, JSON.stringify({ name: 'cli' }))
  const invoked = await ok(t, 'invoke', '--function-name', 'cli', '--payload', `fileb://${event}`, out)
  t.match(invoked, { StatusCode: 200, ExecutedVersion: '$LATEST' })
  t.same(JSON.parse(await readFile(out, 'utf8')), { hello: 'cli', fn: 'cli', version: '$LATEST' }, 'the response lands in the outfile')

  t.match(await ok(t, 'publish-version', '--function-name', 'cli'), { Version: '1' })
  t.match(await ok(t, 'create-alias', '--function-name', 'cli', '--name', 'live', '--function-version', '1'), { Name: 'live', FunctionVersion: '1' })
  t.match(await ok(t, 'invoke', '--function-name', 'cli', '--qualifier', 'live', '--payload', `fileb://${event}`, out), { ExecutedVersion: '1' })
  t.same(JSON.parse(await readFile(out, 'utf8')), { hello: 'cli', fn: 'cli', version: '1' })
})

t.test('a function URL config made with the CLI answers over HTTP', async (t) => {
  const config = await ok(t, 'create-function-url-config', '--function-name', 'cli', '--auth-type', 'NONE')
  t.equal(config.FunctionUrl, `${server.url}/url/cli/`)
  const response = await request(`${config.FunctionUrl as string}`, { method: 'POST', body: '{}' })
  t.equal(response.statusCode, 200)
  t.match(await response.body.json(), { fn: 'cli' })
  t.match(await ok(t, 'get-function-url-config', '--function-name', 'cli'), { AuthType: 'NONE', FunctionUrl: config.FunctionUrl })
})

t.test("errors come out as the CLI reports Lambda's: the exception name, a non-zero exit", async (t) => {
  const missing = await awsLambda('get-function', '--function-name', 'nowhere')
  t.not(missing.code, 0)
  t.match(missing.stderr, /ResourceNotFoundException/)
  t.match(missing.stderr.replace(/\s+/g, ' '), /Function not found: arn:aws:lambda:us-east-1:123456789012:function:nowhere/)

  const bad = await awsLambda('create-function', '--function-name', 'bad', '--runtime', 'python3.12', '--handler', 'x.y', '--role',
    `arn:aws:iam::${ACCOUNT}:role/x`, '--zip-file', `fileb://${path.join(work, 'code.zip')}`)
  t.not(bad.code, 0)
  t.match(bad.stderr, /InvalidParameterValueException/)
})
