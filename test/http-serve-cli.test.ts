/**
 * `thaw serve <dir>` as a real child process (`node bin/thaw.js`, which loads the build in dist/:
 * build first). It prints its endpoints, answers the AWS SDK and function URLs, and stops
 * gracefully on SIGTERM.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { InvokeCommand, ResourceNotFoundException } from '@aws-sdk/client-lambda'
import t from 'tap'
import { request } from 'undici'
import { lambdaClientFor } from './helpers/lambda-sdk.js'
import { BIN, ROOT, servingUrl, spawnThawServe } from './helpers/thaw-serve.js'


const dir = mkdtempSync(path.join(os.tmpdir(), 'thaw-serve-'))
t.teardown(() => rm(dir, { recursive: true, force: true }))
await mkdir(path.join(dir, 'greet'))
await writeFile(path.join(dir, 'greet', 'index.mjs'), `export const handler = async (event) => ({ greeting: 'Hello, ' + (event.name ?? 'world') })`)
await mkdir(path.join(dir, 'page'))
await writeFile(path.join(dir, 'page', 'index.js'), `exports.handler = async (event) => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'path ' + event.rawPath })`)
await mkdir(path.join(dir, 'assets'))
await writeFile(path.join(dir, 'assets', 'logo.txt'), 'not a function')

t.test('thaw serve <dir> --port 0: endpoints printed, SDK and function URL answered, SIGTERM stops it', async (t) => {
  const serve = spawnThawServe(t, [dir, '--port', '0', '--data-dir', path.join(dir, '.thaw')])
  // The listing ends with the last function's lines; wait until both functions are listed.
  const listing = await serve.listing((stdout) => /\/url\/page\//.test(stdout) && /\/url\/greet\//.test(stdout))
  const base = /^Thaw is serving on (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(listing)
  t.ok(base, `the first line names the address: ${listing}`)
  const url = base?.[1] ?? ''
  t.not(base?.[2], '0', 'the real port, not 0')
  t.match(listing, `health        GET  ${url}/health`)
  t.match(listing, `invoke      POST ${url}/2015-03-31/functions/greet/invocations`)
  t.match(listing, `function URL     ${url}/url/greet/`)
  t.match(listing, `invoke      POST ${url}/2015-03-31/functions/page/invocations`)
  t.notMatch(listing, /assets/, 'a folder without index.* is not a function')

  const lambda = lambdaClientFor(t, url)
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'greet', Payload: Buffer.from('{"name":"Ada"}') }))
  t.equal(out.StatusCode, 200)
  t.same(JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString()), { greeting: 'Hello, Ada' })
  await t.rejects(lambda.send(new InvokeCommand({ FunctionName: 'assets' })), ResourceNotFoundException)

  const page = await request(`${url}/url/page/a/b`)
  t.equal(page.statusCode, 200)
  t.equal(await page.body.text(), 'path /a/b')

  serve.child.kill('SIGTERM')
  t.equal(await serve.exited, 0, 'a graceful stop exits 0')
  t.match(serve.output.stderr, /stopping/)
})

t.test('thaw serve refuses a missing folder, a folder without functions and a template without any', async (t) => {
  const run = (...args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      child.on('exit', (code) => resolve({ code, stderr }))
    })
  const missing = await run(path.join(dir, 'nope'))
  t.equal(missing.code, 2)
  t.match(missing.stderr, /no such file or folder/)
  const empty = await run(path.join(dir, 'assets'))
  t.equal(empty.code, 2)
  t.match(empty.stderr, /no functions to serve/)
  await writeFile(path.join(dir, 'template.yaml'), 'Resources: {}\n')
  const template = await run(path.join(dir, 'template.yaml'))
  t.equal(template.code, 2)
  t.match(template.stderr, /no functions to serve/)
  const badPort = await run(dir, '--port', '70000')
  t.equal(badPort.code, 2)
})

t.test('thaw serve <template.yaml>: SAM functions, a function URL only where FunctionUrlConfig says so', async (t) => {
  const project = mkdtempSync(path.join(os.tmpdir(), 'thaw-serve-sam-'))
  t.teardown(() => rm(project, { recursive: true, force: true }))
  await mkdir(path.join(project, 'src'))
  await writeFile(path.join(project, 'src', 'app.mjs'), 'export const greet = async (event) => ({ greeting: process.env.GREETING + ", " + event.name })')
  await writeFile(
    path.join(project, 'template.yaml'),
    [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Transform: AWS::Serverless-2016-10-31',
      'Globals:',
      '  Function:',
      '    Runtime: nodejs20.x',
      '    Environment:',
      '      Variables:',
      '        GREETING: Howdy',
      'Resources:',
      '  Greet:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      CodeUri: src/',
      '      Handler: app.greet',
      '      FunctionUrlConfig:',
      '        AuthType: NONE',
      '  Quiet:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      CodeUri: src/',
      '      Handler: app.greet',
      '      Policies: !Ref SomePolicy',
      '',
    ].join('\n'),
  )
  const serve = spawnThawServe(t, [path.join(project, 'template.yaml'), '--port', '0', '--data-dir', path.join(project, '.thaw')])
  const listing = await serve.listing((stdout) => /functions\/Quiet\/invocations/.test(stdout) && /functions\/Greet\/invocations/.test(stdout))
  const url = servingUrl(listing) ?? ''
  t.match(listing, `function URL     ${url}/url/Greet/`)
  t.notMatch(listing, '/url/Quiet/', 'no FunctionUrlConfig, no function URL')
  t.match(serve.output.stderr, /Policies/, 'properties Thaw does not apply are warned about')
  const lambda = lambdaClientFor(t, url)
  const out = await lambda.send(new InvokeCommand({ FunctionName: 'Quiet', Payload: Buffer.from('{"name":"Ada"}') }))
  t.same(JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString()), { greeting: 'Howdy, Ada' })
  const viaUrl = await request(`${url}/url/Greet/?x=1`, { method: 'POST', body: '{"name":"Bo"}', headers: { 'content-type': 'application/json' } })
  t.equal(viaUrl.statusCode, 200)
  const quiet = await request(`${url}/url/Quiet/`)
  t.equal(quiet.statusCode, 404)
  await quiet.body.dump()
  t.match(await viaUrl.body.text(), /Howdy/)
  serve.child.kill('SIGTERM')
})
