/**
 * `thaw serve --watch` (src/cli/serve-watch.ts): a real `thaw serve` child process (`node
 * bin/thaw.js`, which loads the build in dist/: build first) redeploys `$LATEST` when a function's
 * file or the template changes; and, through the library, an invocation in flight finishes on the
 * code it started with while the next one gets the new code.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda'
import t, { type Test } from 'tap'
import { isIgnoredPath, watchServe } from '../src/cli/serve-watch.js'
import { createHost } from '../src/index.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin', 'thaw.js')

/** Collects lines and resolves waiters when the n-th line matching a pattern arrives. */
class Lines {
  readonly lines: string[] = []
  readonly #waiters: Array<{ pattern: RegExp; count: number; resolve: (line: string) => void }> = []
  #partial = ''

  push(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n')
    this.#partial = parts.pop() ?? ''
    for (const line of parts) this.add(line)
  }

  add(line: string): void {
    this.lines.push(line)
    for (const waiter of [...this.#waiters]) this.#check(waiter)
  }

  /** The `count`-th line (1-based, counting all lines so far) matching `pattern`. */
  waitFor(pattern: RegExp, count = 1): Promise<string> {
    return new Promise((resolve) => {
      const waiter = { pattern, count, resolve }
      this.#waiters.push(waiter)
      this.#check(waiter)
    })
  }

  count(pattern: RegExp): number {
    return this.lines.filter((line) => pattern.test(line)).length
  }

  #check(waiter: { pattern: RegExp; count: number; resolve: (line: string) => void }): void {
    const matches = this.lines.filter((line) => waiter.pattern.test(line))
    if (matches.length < waiter.count) return
    this.#waiters.splice(this.#waiters.indexOf(waiter), 1)
    waiter.resolve(matches[waiter.count - 1] ?? '')
  }
}

interface Served {
  readonly child: ChildProcessWithoutNullStreams
  readonly url: string
  readonly stderr: Lines
  readonly lambda: LambdaClient
  invoke(name: string, event?: unknown): Promise<{ payload: unknown; functionError?: string }>
}

async function serveWatch(t: Test, target: string, dataDir: string): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', target, '--watch', '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  })
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  })
  const stderr = new Lines()
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk))
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const first = /^Thaw is serving on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout)
      if (first?.[1] !== undefined) resolve(first[1])
    })
    child.on('exit', (code) => reject(new Error(`thaw serve exited (${code}) before listing: ${stderr.lines.join('\n')}`)))
  })
  const lambda = new LambdaClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 })
  t.teardown(() => lambda.destroy())
  return {
    child,
    url,
    stderr,
    lambda,
    async invoke(name, event = {}) {
      const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }))
      const payload = JSON.parse(Buffer.from(out.Payload ?? new Uint8Array()).toString()) as unknown
      return out.FunctionError === undefined ? { payload } : { payload, functionError: out.FunctionError }
    },
  }
}

t.test('editor temp files, .thaw/ and node_modules/.cache are not code changes', async (t) => {
  for (const file of ['/p/fn/.index.mjs.swp', '/p/fn/index.mjs~', '/p/fn/.#index.mjs', '/p/fn/4913', '/p/.thaw/snap/x', '/p/fn/node_modules/.cache/a']) {
    t.ok(isIgnoredPath(file), file)
  }
  for (const file of ['/p/fn/index.mjs', '/p/fn/lib/util.js', '/p/fn/node_modules/dep/index.js', '/p/template.yaml']) {
    t.notOk(isIgnoredPath(file), file)
  }
})

t.test('directory mode: an edit reloads the function; a syntax error is reported at invoke; a new folder is added', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'thaw-watch-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await mkdir(path.join(dir, 'greet'))
  const greet = path.join(dir, 'greet', 'index.mjs')
  await writeFile(greet, `export const handler = async () => ({ version: 1 })`)
  await mkdir(path.join(dir, 'other'))
  await writeFile(path.join(dir, 'other', 'index.mjs'), `export const handler = async () => 'other'`)
  const served = await serveWatch(t, dir, path.join(dir, '.thaw'))

  t.same((await served.invoke('greet')).payload, { version: 1 })
  await writeFile(greet, `export const handler = async () => ({ version: 2 })`)
  t.equal(await served.stderr.waitFor(/reloaded greet/), 'thaw serve: reloaded greet')
  t.same((await served.invoke('greet')).payload, { version: 2 }, 'the next invocation runs the new code')
  t.equal(served.stderr.count(/reloaded other/), 0, 'a function whose files did not change is not reloaded')

  // Lambda deploys code with a syntax error and reports it when an environment starts: so does Thaw.
  await writeFile(greet, `export const handler = async () => ({ version: `)
  await served.stderr.waitFor(/reloaded greet/, 2)
  const broken = await served.invoke('greet')
  t.equal(broken.functionError, 'Unhandled')
  t.match(broken.payload, { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: /^SyntaxError: / })
  await writeFile(greet, `export const handler = async () => ({ version: 3 })`)
  await served.stderr.waitFor(/reloaded greet/, 3)
  t.same((await served.invoke('greet')).payload, { version: 3 }, 'fixing the file fixes the function')

  await mkdir(path.join(dir, 'fresh'))
  await writeFile(path.join(dir, 'fresh', 'index.mjs'), `export const handler = async () => 'fresh'`)
  await served.stderr.waitFor(/added fresh/)
  t.same((await served.invoke('fresh')).payload, 'fresh', 'a new function folder is served')

  served.child.kill('SIGTERM')
  await served.stderr.waitFor(/stopping/)
})

t.test('template mode: a template change redeploys what changed; an invalid template keeps the old code', async (t) => {
  const project = mkdtempSync(path.join(os.tmpdir(), 'thaw-watch-sam-'))
  t.teardown(() => rm(project, { recursive: true, force: true }))
  await mkdir(path.join(project, 'src'))
  await writeFile(path.join(project, 'src', 'app.mjs'), 'export const greet = async () => process.env.GREETING')
  const template = path.join(project, 'template.yaml')
  const templateText = (greeting: string) =>
    [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Greet:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      CodeUri: src/',
      '      Handler: app.greet',
      '      Runtime: nodejs20.x',
      '      Environment:',
      '        Variables:',
      `          GREETING: ${greeting}`,
      '  Same:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      CodeUri: other/',
      '      Handler: app.greet',
      '      Runtime: nodejs20.x',
      '',
    ].join('\n')
  await mkdir(path.join(project, 'other'))
  await writeFile(path.join(project, 'other', 'app.mjs'), `export const greet = async () => 'same'`)
  await writeFile(template, templateText('Howdy'))
  const served = await serveWatch(t, template, path.join(project, '.thaw'))

  t.equal((await served.invoke('Greet')).payload, 'Howdy')
  await writeFile(template, templateText('Hej'))
  await served.stderr.waitFor(/reloaded Greet/)
  t.equal((await served.invoke('Greet')).payload, 'Hej', 'the new environment variable is in effect')
  t.equal(served.stderr.count(/reloaded Same/), 0, 'an unchanged function is not redeployed')

  await writeFile(template, templateText('Hi').replace('Runtime: nodejs20.x', 'Runtime: nodejs20.x\n      MemorySize: 1'))
  const failed = await served.stderr.waitFor(/reload failed/)
  t.match(failed, /MemorySize/, 'the failure names the property')
  t.match(failed, /previous code keeps serving/)
  t.equal((await served.invoke('Greet')).payload, 'Hej', 'the old code keeps serving')

  // A code change under CodeUri (outside the template) reloads that function alone.
  await writeFile(template, templateText('Hej'))
  await writeFile(path.join(project, 'src', 'app.mjs'), 'export const greet = async () => "code " + process.env.GREETING')
  await served.stderr.waitFor(/reloaded Greet/, 2)
  t.equal((await served.invoke('Greet')).payload, 'code Hej')
})

t.test('an invocation in flight finishes on the old code; the next one runs the new code (library)', async (t) => {
  // The function fetches this server, which holds the first request until the test lets it go.
  const held: ServerResponse[] = []
  let arrived: (() => void) | undefined
  const upstream = createServer((_req, res) => {
    held.push(res)
    arrived?.()
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    // The guest's fetch keeps its connection alive: end it rather than wait for its timeout.
    upstream.closeAllConnections()
    return new Promise<void>((resolve) => upstream.close(() => resolve()))
  })
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`

  const dir = mkdtempSync(path.join(os.tmpdir(), 'thaw-watch-lib-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const code = path.join(dir, 'slow')
  await mkdir(code)
  const file = path.join(code, 'index.mjs')
  const source = (tag: string) => `export const handler = async (event) => {
    if (event.wait) await (await fetch(process.env.UPSTREAM)).text()
    return '${tag}'
  }`
  await writeFile(file, source('old'))
  const fn = {
    name: 'slow',
    runtime: 'quickjs' as const,
    handler: 'index.handler',
    code: { dir: code },
    env: { UPSTREAM: upstreamUrl },
    egress: { allow: ['127.0.0.1:*'] },
  }
  const host = await createHost()
  t.teardown(() => host.close())
  await host.deploy(fn)
  const reports = new Lines()
  const watcher = watchServe({
    host,
    initial: { source: { kind: 'directory' as const, path: dir }, functions: [fn] },
    load: async () => ({ source: { kind: 'directory' as const, path: dir }, functions: [fn] }),
    report: (line) => reports.add(line),
  })
  t.teardown(() => watcher.close())

  const upstreamReached = new Promise<void>((resolve) => (arrived = resolve))
  const inFlight = host.invoke('slow', { wait: true })
  await upstreamReached
  await writeFile(file, source('new'))
  t.equal(await reports.waitFor(/slow/), 'thaw serve: reloaded slow')
  const next = await host.invoke('slow', {})
  t.same(next.ok ? next.payload : next.error, 'new', 'a new invocation runs the new code')
  for (const res of held) res.end('go')
  const first = await inFlight
  t.same(first.ok ? first.payload : first.error, 'old', 'the invocation in flight finished on the old code')
})
