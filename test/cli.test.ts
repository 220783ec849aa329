/**
 * The `thaw` command, run as a real child process (`node bin/thaw.js`, no shell) from the repo
 * root. bin/thaw.js loads the build in dist/, so build first (`npm run build`, or
 * `npx tsc -p tsconfig.build.json` plus `npm run build:guest`).
 *
 * Exit codes: 0 ok, 1 function error (the error object on stdout), 2 bad usage (one line on stderr).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import os from 'node:os'
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { strToU8, zipSync } from 'fflate'


const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin', 'thaw.js')
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** The hint commander prints under its own usage errors (showHelpAfterError). */
const HELP_HINT = '(run with --help for usage)'

interface Run {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Snapshots the CLI keeps between runs go to a temp folder, not to .thaw/ in the repo. */
const DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'thaw-cli-'))

function thaw(...args: string[]): Promise<Run> {
  const withDataDir = args[0] === 'invoke' && !args.includes('--data-dir') ? [...args, '--data-dir', DATA_DIR] : args
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...withDataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

function parseStdout(t: Test, run: Run): Record<string, unknown> {
  try {
    return JSON.parse(run.stdout) as Record<string, unknown>
  } catch (error) {
    t.fail(`stdout is not JSON (${(error as Error).message}): ${run.stdout}\nstderr: ${run.stderr}`)
    return {}
  }
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '')
}

/** Exit 2, nothing on stdout, and the reason on one stderr line (plus, at most, commander's hint). */
function expectUsageError(t: Test, run: Run, reason: RegExp, label: string): void {
  t.equal(run.code, 2, `${label}: exit code 2 (stderr: ${run.stderr.trim()})`)
  t.equal(run.stdout, '', `${label}: nothing on stdout`)
  const [first, ...rest] = lines(run.stderr)
  t.match(first ?? '', reason, `${label}: the first stderr line gives the reason`)
  t.same(
    rest.filter((line) => line.trim() !== HELP_HINT),
    [],
    `${label}: the reason is one line (no stack trace, no log)`,
  )
}

t.before(() => {
  if (!existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error('dist/src/cli/main.js is missing: run `npx tsc -p tsconfig.build.json` (or `npm run build`) before this test')
  }
})

t.test('thaw --help and thaw invoke --help', async (t) => {
  const [top, invoke, helpCommand, version] = await Promise.all([
    thaw('--help'),
    thaw('invoke', '--help'),
    thaw('help', 'invoke'),
    thaw('--version'),
  ])
  t.equal(top.code, 0, 'thaw --help exits 0')
  t.match(top.stdout, /Usage: thaw/, 'shows usage')
  t.match(top.stdout, /invoke/, 'lists the invoke command')
  t.match(top.stdout, /--version/, 'lists --version')

  t.equal(invoke.code, 0, 'thaw invoke --help exits 0')
  t.match(invoke.stdout, /Usage: thaw invoke \[options\] <dir-or-zip>/)
  for (const option of ['--handler <handler>', '--name <name>', '--event <json>', '--event-file <file>', '--memory <mb>', '--timeout <seconds>', '--env <KEY=VALUE', '--log-format <format>', '--verbose']) {
    t.ok(invoke.stdout.includes(option), `invoke --help describes ${option}`)
  }
  t.match(invoke.stdout, /128-10240/, 'documents the memory range')
  t.match(invoke.stdout, /1-900/, 'documents the timeout range')

  t.equal(helpCommand.code, 0, 'thaw help invoke exits 0')
  t.equal(helpCommand.stdout, invoke.stdout, 'thaw help invoke prints the same help')

  t.equal(version.code, 0)
  t.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/, '--version prints a version')
})

t.test('thaw invoke examples/hello', async (t) => {
  const [run, defaults, named, callback] = await Promise.all([
    thaw('invoke', 'examples/hello', '--handler', 'index.handler', '--event', '{"name":"cli"}'),
    thaw('invoke', 'examples/hello', '--handler', 'index.handler'),
    thaw('invoke', 'examples/hello', '--handler', 'index.handler', '--name', 'greeter', '--memory', '256'),
    thaw('invoke', 'examples/callback', '--handler', 'index.handler', '--event', '{"value":21}'),
  ])
  t.equal(run.code, 0, `exit 0 (stderr: ${run.stderr})`)
  const payload = parseStdout(t, run)
  t.match(payload, { message: 'Hello, cli!', invocations: 1 }, 'stdout is the JSON payload')
  t.match(payload.requestId, UUID, 'with the request id the handler saw')
  const requestId = String(payload.requestId)
  const stderr = lines(run.stderr)
  t.ok(stderr.some((line) => /^(INIT_START|RESTORE_START) /.test(line)), 'a new environment opens the log (INIT, or a restore of a stored snapshot)')
  t.ok(stderr.includes(`START RequestId: ${requestId} Version: $LATEST`), 'START line')
  t.ok(stderr.includes(`END RequestId: ${requestId}`), 'END line')
  t.ok(stderr.some((line) => line.startsWith(`REPORT RequestId: ${requestId}\tDuration: `)), 'REPORT line')
  t.ok(
    stderr.some((line) => line.includes(requestId) && line.includes('INFO') && line.endsWith('hello from hello')),
    "the function's console.log, with the function name taken from the folder",
  )
  const order = ['START ', 'END ', 'REPORT '].map((prefix) => stderr.findIndex((line) => line.startsWith(prefix)))
  t.same([...order].sort((a, b) => a - b), order, 'START, END, REPORT in that order')
  t.notOk(run.stdout.includes('START RequestId'), 'no log lines on stdout')

  t.equal(defaults.code, 0)
  t.match(parseStdout(t, defaults), { message: 'Hello, world!' }, 'the event defaults to {}')
  t.match(defaults.stderr, /Memory Size: 128 MB/, 'memory defaults to 128 MB')

  t.equal(named.code, 0)
  t.match(named.stderr, /INFO\thello from greeter/, '--name sets the function name')
  t.match(named.stderr, /Memory Size: 256 MB/, '--memory sets the memory size')
  t.match(named.stderr, /function:greeter/, 'the ARN uses --name')

  t.equal(callback.code, 0, 'a CommonJS callback handler')
  t.match(parseStdout(t, callback), { doubled: 42, remainingMs: true })
})

t.test('a function error exits 1 with the error object on stdout', async (t) => {
  const [run, ok, missing, noModule] = await Promise.all([
    thaw('invoke', 'examples/fails', '--handler', 'index.handler'),
    thaw('invoke', 'examples/fails', '--handler', 'index.handler', '--event', '{"ok":true}'),
    thaw('invoke', 'examples/hello', '--handler', 'index.nothing'),
    thaw('invoke', 'examples/hello', '--handler', 'nowhere.handler'),
  ])
  t.equal(run.code, 1, 'exit 1')
  const error = parseStdout(t, run)
  t.equal(error.errorType, 'ValidationError', "errorType is the error's name")
  t.equal(error.errorMessage, 'event.ok must be true, got undefined')
  t.ok(Array.isArray(error.trace), 'trace is an array (Node runtime shape)')
  t.match(run.stderr, /^END RequestId: /m, 'the log still has END')
  t.match(run.stderr, /^REPORT RequestId: /m, 'and REPORT')

  t.equal(ok.code, 0, 'the same function succeeds with event.ok === true')
  t.same(parseStdout(t, ok), { ok: true })

  t.equal(missing.code, 1, 'a handler that is not exported is a function error')
  t.match(parseStdout(t, missing), { errorType: 'Runtime.HandlerNotFound' })

  t.equal(noModule.code, 1, 'a missing module is a function error')
  t.match(parseStdout(t, noModule), { errorType: 'Runtime.ImportModuleError' })
})

t.test('--event-file, --env, --log-format json and zip packages', async (t) => {
  const dir = t.testdir({ 'event.json': JSON.stringify({ value: 50 }) })
  const source = await readFile(path.join(ROOT, 'examples', 'hello', 'index.mjs'))
  const zipPath = path.join(dir, 'my app.zip')
  await writeFile(zipPath, zipSync({ 'index.mjs': new Uint8Array(source) }))
  const nestedZip = path.join(dir, 'cjs.zip')
  await writeFile(nestedZip, zipSync({ lib: { 'main.js': strToU8('exports.go = async (event) => ({ from: "zip", twice: event.n * 2 })') } }))

  const modules = ['invoke', 'examples/modules', '--handler', 'index.handler']
  const [fromFile, env, noEnv, equalsInValue, twoEnv, json, zipped, nestedRun] = await Promise.all([
    thaw('invoke', 'examples/callback', '--handler', 'index.handler', '--event-file', path.join(dir, 'event.json')),
    thaw(...modules, '--env', 'STAGE=prod', '--event', '{"name":"env"}'),
    thaw(...modules),
    thaw(...modules, '--env', 'STAGE=a=b'),
    thaw(...modules, '--env', 'OTHER=x', '--env', 'STAGE=second'),
    thaw('invoke', 'examples/hello', '--handler', 'index.handler', '--log-format', 'json', '--no-snapshot'),
    thaw('invoke', zipPath, '--handler', 'index.handler', '--event', '{"name":"zip"}'),
    thaw('invoke', nestedZip, '--handler', 'lib/main.go', '--event', '{"n":4}'),
  ])

  t.equal(fromFile.code, 0, '--event-file')
  t.match(parseStdout(t, fromFile), { doubled: 100 }, 'the event came from the file')

  t.equal(env.code, 0, `--env (stderr: ${env.stderr})`)
  t.same(parseStdout(t, env), { text: 'HELLO ENV!', stage: 'prod' }, '--env STAGE=prod reaches process.env')
  t.same(parseStdout(t, noEnv), { text: 'HELLO MODULES!', stage: 'local' }, 'without --env the handler falls back to its config')
  t.match(parseStdout(t, equalsInValue), { stage: 'a=b' }, 'only the first = splits KEY=VALUE')
  t.match(parseStdout(t, twoEnv), { stage: 'second' }, '--env can be repeated')

  t.equal(json.code, 0, '--log-format json')
  const requestId = String(parseStdout(t, json).requestId)
  const records = lines(json.stderr).map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>
    } catch {
      t.fail(`stderr line is not JSON: ${line}`)
      return {}
    }
  })
  const types = records.map((record) => record.type).filter((type) => type !== undefined)
  t.same(types, ['platform.initStart', 'platform.start', 'platform.runtimeDone', 'platform.report'], 'platform records in order')
  t.match(records.find((r) => r.type === 'platform.start'), { record: { requestId, version: '$LATEST' } })
  t.match(records.find((r) => r.type === 'platform.report'), { record: { requestId, status: 'success', metrics: { memorySizeMB: 128 } } })
  t.match(records.find((r) => r.message === 'hello from hello'), { level: 'INFO', requestId }, "the function's log line is JSON too")

  t.equal(zipped.code, 0, `a zip package (stderr: ${zipped.stderr})`)
  t.match(parseStdout(t, zipped), { message: 'Hello, zip!', invocations: 1 })
  t.match(zipped.stderr, /hello from my-app$/m, 'the function is named after the zip, made Lambda-valid')

  t.equal(nestedRun.code, 0, 'a dir/file.export handler inside a zip')
  t.same(parseStdout(t, nestedRun), { from: 'zip', twice: 8 })
})

t.test('bad usage exits 2 with a one-line reason', async (t) => {
  const dir = t.testdir({ 'garbage.zip': 'this is not a zip file at all', 'broken.json': '{"value":' })
  const hello = ['invoke', 'examples/hello']
  const cases: Array<[string, string[], RegExp]> = [
    ['missing --handler', [...hello], /--handler/],
    ['unknown option', [...hello, '--handler', 'index.handler', '--bogus'], /unknown option.*--bogus/],
    ['invalid --event JSON', [...hello, '--handler', 'index.handler', '--event', '{nope'], /not valid JSON/],
    ['invalid JSON in --event-file', [...hello, '--handler', 'index.handler', '--event-file', path.join(dir, 'broken.json')], /not valid JSON/],
    ['missing --event-file', [...hello, '--handler', 'index.handler', '--event-file', path.join(dir, 'nope.json')], /--event-file/],
    ['--memory 64 (host validation)', [...hello, '--handler', 'index.handler', '--memory', '64'], /memoryMb.*128/],
    ['--timeout abc', [...hello, '--handler', 'index.handler', '--timeout', 'abc'], /--timeout.*abc/],
    ['--timeout 0', [...hello, '--handler', 'index.handler', '--timeout', '0'], /timeoutMs/],
    ['nonexistent package path', ['invoke', 'examples/does-not-exist', '--handler', 'index.handler'], /examples\/does-not-exist.*no such file/],
    ['both --event and --event-file', [...hello, '--handler', 'index.handler', '--event', '{}', '--event-file', path.join(dir, 'broken.json')], /--event.*--event-file/],
    ['--env without =', [...hello, '--handler', 'index.handler', '--env', 'STAGE'], /KEY=VALUE/],
    ['--env with a reserved key', [...hello, '--handler', 'index.handler', '--env', 'AWS_REGION=eu-west-1'], /AWS_REGION/],
    ['--log-format xml', [...hello, '--handler', 'index.handler', '--log-format', 'xml'], /--log-format/],
    ['malformed --handler', [...hello, '--handler', 'index'], /handler/],
    ['a file that is not a zip', ['invoke', path.join(dir, 'garbage.zip'), '--handler', 'index.handler'], /unzip/i],
    ['unknown command', ['deploy', 'examples/hello'], /unknown command/],
  ]
  // Independent processes: run them side by side, check them in order.
  const runs = await Promise.all(cases.map(([, args]) => thaw(...args)))
  cases.forEach(([label, , reason], i) => expectUsageError(t, runs[i] as Run, reason, label))
})

t.test('snapshots between runs: the first run stores one after INIT, the next restores it', async (t) => {
  const dataDir = t.testdir()
  const args = ['invoke', 'examples/hello', '--handler', 'index.handler', '--event', '{"name":"snap"}', '--data-dir', dataDir]
  const first = await thaw(...args)
  t.equal(first.code, 0, first.stderr)
  t.match(first.stderr, /^INIT_START .*\nINIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: success\nRESTORE_START /m)
  const second = await thaw(...args)
  t.equal(second.code, 0, second.stderr)
  t.notMatch(second.stderr, /INIT_START|INIT_REPORT/, 'no INIT in a new process: the stored snapshot was restored')
  t.match(second.stderr, /Restore Duration: [\d.]+ ms\tBilled Restore Duration: \d+ ms/)
  t.same(parseStdout(t, second).message, 'Hello, snap!')
  const cold = await thaw(...args, '--no-snapshot')
  t.match(cold.stderr, /^INIT_START /m)
  t.notMatch(cold.stderr, /RESTORE_START/)
})

t.test('--allow-egress lets fetch reach a host; without it the request is refused', async (t) => {
  const { createServer } = await import('node:http')
  const server = createServer((_request, response) => response.end('upstream says hi'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const port = (server.address() as { port: number }).port
  const dir = t.testdir({ 'index.mjs': 'export const handler = async (event) => { try { return await (await fetch(event.url)).text() } catch (error) { return error.cause.code } }' })
  const event = JSON.stringify({ url: `http://127.0.0.1:${port}/` })
  const [allowed, denied] = await Promise.all([
    thaw('invoke', dir, '--handler', 'index.handler', '--event', event, '--allow-egress', `127.0.0.1:${port}`, '--no-snapshot'),
    thaw('invoke', dir, '--handler', 'index.handler', '--event', event, '--no-snapshot'),
  ])
  t.equal(JSON.parse(allowed.stdout), 'upstream says hi', `stderr: ${allowed.stderr}`)
  t.equal(JSON.parse(denied.stdout), 'ERR_EGRESS_DENIED')
  t.match(denied.stderr, /EGRESS_DENIED GET http:\/\/127\.0\.0\.1:\d+\//)
})
