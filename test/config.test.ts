/**
 * host.deploy() / host.invoke() / createHost() input validation and the function registry, seen
 * through the public API only: every bad input is a ThawError with the right code, Lambda
 * errorType and field; good inputs (folders, file maps, zips) deploy and run in real QuickJS.
 */
import { createHash } from 'node:crypto'
import path from 'node:path'
import t, { type Test } from 'tap'
import { strToU8, zipSync } from 'fflate'
import {
  createHost,
  isThawError,
  LIMITS,
  MAX_SYNC_PAYLOAD_BYTES,
  ThawError,
  type DeployOptions,
  type Host,
  type InvokeResult,
} from '../src/index.js'


interface Expected {
  readonly code: string
  readonly errorType: string
  /** `undefined` asserts that the error names no field. */
  readonly field: string | undefined
  readonly httpStatus?: number
}

/** Runs `action` and returns what it threw (sync or async), or a marker when it did not throw. */
async function caught(action: () => unknown): Promise<unknown> {
  try {
    await action()
  } catch (error) {
    return error
  }
  return NOT_THROWN
}
const NOT_THROWN = Symbol('did not throw')

async function expectThawError(t: Test, label: string, action: () => unknown, expected: Expected): Promise<void> {
  const error = await caught(action)
  if (!isThawError(error)) {
    t.fail(`${label}: expected a ThawError ${expected.code}, got ${error === NOT_THROWN ? 'no error' : String(error)}`)
    return
  }
  t.type(error, ThawError, `${label}: is a ThawError`)
  t.equal(error.code, expected.code, `${label}: code (${error.message})`)
  t.equal(error.errorType, expected.errorType, `${label}: errorType`)
  t.equal(error.field, expected.field, `${label}: field`)
  if (expected.httpStatus !== undefined) t.equal(error.httpStatus, expected.httpStatus, `${label}: httpStatus`)
  t.equal(error.name, 'ThawError', `${label}: name`)
  t.match(error.message, /\S/, `${label}: has a message`)
}

const bytes = (text: string) => new TextEncoder().encode(text)

const ECHO_ESM = 'export const handler = async (event) => ({ event, stage: process.env.STAGE ?? null })'

function echoFunction(name: string, extra: Partial<DeployOptions> = {}): DeployOptions {
  return { name, runtime: 'quickjs', handler: 'index.handler', code: { files: { 'index.mjs': ECHO_ESM } }, ...extra } as DeployOptions
}

function okPayload(t: Test, result: InvokeResult, label: string): unknown {
  if (!result.ok) {
    t.fail(`${label}: invocation failed: ${result.error.errorType}: ${result.error.errorMessage}`)
    return undefined
  }
  return result.payload
}

const CONFIG = { code: 'THAW_INVALID_CONFIG', errorType: 'InvalidParameterValueException', httpStatus: 400 } as const
const PACKAGE = { code: 'THAW_INVALID_CODE_PACKAGE', errorType: 'InvalidParameterValueException', httpStatus: 400 } as const

let host: Host
t.before(async () => {
  host = await createHost()
})
t.teardown(() => host.close())

t.test('deploy rejects invalid configuration, naming the field', async (t) => {
  const base = echoFunction('valid-name')
  const cases: Array<[string, Record<string, unknown>, string | undefined]> = [
    ['unknown runtime', { runtime: 'nodejs20.x' }, 'runtime'],
    ['missing runtime', { runtime: undefined }, 'runtime'],
    ['handler without a dot', { handler: 'index' }, 'handler'],
    ['handler with ..', { handler: 'index..handler' }, 'handler'],
    ['handler climbing with ../', { handler: '../index.handler' }, 'handler'],
    ['handler ending with a dot', { handler: 'index.handler.' }, 'handler'],
    ['handler with white space', { handler: 'index. handler' }, 'handler'],
    ['handler with a tab', { handler: 'index.\thandler' }, 'handler'],
    ['empty handler', { handler: '' }, 'handler'],
    ['handler that is not a string', { handler: 42 }, 'handler'],
    ['handler over 128 characters', { handler: `index.${'h'.repeat(LIMITS.handlerLength)}` }, 'handler'],
    ['memoryMb below 128', { memoryMb: 64 }, 'memoryMb'],
    ['memoryMb of 127', { memoryMb: 127 }, 'memoryMb'],
    ['memoryMb above 10240', { memoryMb: 10_241 }, 'memoryMb'],
    ['memoryMb not an integer', { memoryMb: 128.5 }, 'memoryMb'],
    ['memoryMb as a string', { memoryMb: '256' }, 'memoryMb'],
    ['memoryMb NaN', { memoryMb: Number.NaN }, 'memoryMb'],
    ['timeoutMs below 1000', { timeoutMs: 999 }, 'timeoutMs'],
    ['timeoutMs of 0', { timeoutMs: 0 }, 'timeoutMs'],
    ['timeoutMs above 900000', { timeoutMs: 900_001 }, 'timeoutMs'],
    ['timeoutMs not an integer', { timeoutMs: 1500.5 }, 'timeoutMs'],
    ['env over 4 KB in total', { env: { BIG: 'x'.repeat(4_000), MORE: 'y'.repeat(200) } }, 'env'],
    ['env key with a dash', { env: { 'bad-key': 'x' } }, 'env.bad-key'],
    ['env key starting with a digit', { env: { '1ABC': 'x' } }, 'env.1ABC'],
    ['env value that is not a string', { env: { COUNT: 1 } }, 'env.COUNT'],
    ['reserved env key AWS_REGION', { env: { AWS_REGION: 'eu-west-1' } }, 'env.AWS_REGION'],
    ['reserved env key _HANDLER', { env: { OK_KEY: 'x', _HANDLER: 'x' } }, 'env._HANDLER'],
    ['reserved env key AWS_LAMBDA_FUNCTION_NAME', { env: { AWS_LAMBDA_FUNCTION_NAME: 'x' } }, 'env.AWS_LAMBDA_FUNCTION_NAME'],
    ['env that is not an object', { env: 'STAGE=prod' }, 'env'],
    ['function name with a space', { name: 'bad name' }, 'name'],
    ['function name with a slash', { name: 'a/b' }, 'name'],
    ['function name with a dot', { name: 'a.b' }, 'name'],
    ['function name of 65 characters', { name: 'a'.repeat(65) }, 'name'],
    ['empty function name', { name: '' }, 'name'],
    ['missing function name', { name: undefined }, 'name'],
    ['unknown logFormat', { logFormat: 'xml' }, 'logFormat'],
    ['unknown applicationLogLevel', { applicationLogLevel: 'VERBOSE' }, 'applicationLogLevel'],
    ['code that is none of dir/files/zip', { code: { url: 'https://example.com/code.zip' } }, 'code'],
    ['empty code object', { code: {} }, 'code'],
    ['code with both dir and zip', { code: { dir: '.', zip: new Uint8Array(4) } }, 'code'],
    ['code.zip that is not bytes', { code: { zip: 'UEsDBA==' } }, 'code'],
    ['code.dir that is empty', { code: { dir: '' } }, 'code.dir'],
    ['missing code', { code: undefined }, 'code'],
  ]
  for (const [label, override, field] of cases) {
    await expectThawError(t, label, () => host.deploy({ ...base, ...override } as DeployOptions), { ...CONFIG, field })
  }
  await expectThawError(t, 'options that are not an object', () => host.deploy(42 as unknown as DeployOptions), {
    ...CONFIG,
    field: undefined,
  })
  // None of the rejected deploys registered anything.
  t.same(host.listFunctions(), [], 'a rejected deploy registers no function')
})

t.test('deploy rejects an unknown option key, naming the key', async (t) => {
  // ThawErrorOptions.field is "the option or field at fault, as the caller spelled it".
  const options = { ...echoFunction('unknown-key'), colour: 'blue' } as DeployOptions
  await expectThawError(t, 'unknown option key', () => host.deploy(options), { ...CONFIG, field: 'colour' })
})

t.test('deploy rejects unreadable code packages', async (t) => {
  const dir = t.testdir({ 'not-a-folder.txt': 'hello' })
  const base = echoFunction('bad-package')
  await expectThawError(t, 'missing code dir', () => host.deploy({ ...base, code: { dir: path.join(dir, 'missing') } }), {
    ...PACKAGE,
    field: 'code.dir',
  })
  await expectThawError(
    t,
    'a file instead of a dir',
    () => host.deploy({ ...base, code: { dir: path.join(dir, 'not-a-folder.txt') } }),
    { ...PACKAGE, field: 'code.dir' },
  )
  const random = new Uint8Array(512)
  for (let i = 0; i < random.length; i++) random[i] = (i * 7919 + 13) % 251
  await expectThawError(t, 'a zip of random bytes', () => host.deploy({ ...base, code: { zip: random } }), {
    ...PACKAGE,
    field: 'code.zip',
  })
  await expectThawError(t, 'an empty zip buffer', () => host.deploy({ ...base, code: { zip: new Uint8Array(0) } }), {
    ...PACKAGE,
    field: 'code.zip',
  })
  const truncated = zipSync({ 'index.mjs': strToU8(ECHO_ESM) }).subarray(0, 40)
  await expectThawError(t, 'a truncated zip', () => host.deploy({ ...base, code: { zip: truncated } }), {
    ...PACKAGE,
    field: 'code.zip',
  })
  const escaping = zipSync({ 'index.mjs': strToU8(ECHO_ESM), '../escape.js': strToU8('module.exports = 1') })
  await expectThawError(t, 'a zip with a ../escape.js entry', () => host.deploy({ ...base, code: { zip: escaping } }), {
    ...PACKAGE,
    field: 'code.zip',
  })
  const nestedEscape = zipSync({ 'index.mjs': strToU8(ECHO_ESM), 'lib/../../escape.js': strToU8('1') })
  await expectThawError(t, 'a zip with lib/../../escape.js', () => host.deploy({ ...base, code: { zip: nestedEscape } }), {
    ...PACKAGE,
    field: 'code.zip',
  })
  const absolute = zipSync({ '/etc/passwd': strToU8('root') })
  await expectThawError(t, 'a zip with an absolute path', () => host.deploy({ ...base, code: { zip: absolute } }), {
    ...PACKAGE,
    field: 'code.zip',
  })
  await expectThawError(
    t,
    'code.files with a ../ path',
    () => host.deploy({ ...base, code: { files: { 'index.mjs': ECHO_ESM, '../up.js': 'x' } } }),
    { ...PACKAGE, field: 'code.files' },
  )
  await expectThawError(t, 'code.files with a Windows ..\\ path', () => host.deploy({ ...base, code: { files: { '..\\up.js': 'x' } } }), {
    ...PACKAGE,
    field: 'code.files',
  })
  await expectThawError(
    t,
    'a code.files value that is neither string nor bytes',
    () => host.deploy({ ...base, code: { files: { 'index.mjs': 42 } } } as unknown as DeployOptions),
    { ...CONFIG, field: 'code' },
  )
  t.throws(() => host.getFunction('bad-package'), { code: 'THAW_FUNCTION_NOT_FOUND' }, 'nothing was registered')
})

t.test('a failed redeploy keeps the function that was there', async (t) => {
  await host.deploy(echoFunction('keeper', { env: { STAGE: 'first' } }))
  const before = host.getFunction('keeper')
  await expectThawError(t, 'bad zip over an existing name', () => host.deploy({ ...echoFunction('keeper'), code: { zip: bytes('nope') } }), {
    ...PACKAGE,
    field: 'code.zip',
  })
  await expectThawError(t, 'bad memory over an existing name', () => host.deploy(echoFunction('keeper', { memoryMb: 1 })), {
    ...CONFIG,
    field: 'memoryMb',
  })
  t.same(host.getFunction('keeper'), before, 'the deployed function is unchanged')
  const payload = okPayload(t, await host.invoke('keeper', { n: 1 }), 'keeper')
  t.same(payload, { event: { n: 1 }, stage: 'first' }, 'the old code and configuration still answer')
  host.removeFunction('keeper')
})

t.test('defaults, limits at their edges and getFunction()', async (t) => {
  const info = await host.deploy(echoFunction('defaults'))
  t.equal(info.memoryMb, 128, 'deploy() reports memoryMb 128 by default')
  t.equal(info.timeoutMs, 3000, 'deploy() reports timeoutMs 3000 by default')
  const got = host.getFunction('defaults')
  t.equal(got.memoryMb, 128, 'getFunction(): memoryMb defaults to 128')
  t.equal(got.timeoutMs, 3000, 'getFunction(): timeoutMs defaults to 3000')
  t.equal(got.name, 'defaults')
  t.equal(got.runtime, 'quickjs')
  t.equal(got.handler, 'index.handler')
  t.equal(got.version, '$LATEST')
  t.equal(got.functionArn, 'arn:aws:lambda:us-east-1:000000000000:function:defaults')
  t.equal(got.codeSize, Buffer.byteLength(ECHO_ESM), 'codeSize is the size of the code')
  t.match(got.codeSha256, /^[A-Za-z0-9+/]{43}=$/, 'codeSha256 is a base64 SHA-256')
  t.match(got.lastModified, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/, "lastModified is in Lambda's format")
  t.same(got, info, 'getFunction() returns what deploy() returned')

  const edges: Array<[string, Partial<DeployOptions>, Partial<Record<'memoryMb' | 'timeoutMs', number>>]> = [
    ['memory-min', { memoryMb: 128 }, { memoryMb: 128 }],
    ['memory-max', { memoryMb: 10_240 }, { memoryMb: 10_240 }],
    ['memory-odd', { memoryMb: 1_769 }, { memoryMb: 1_769 }],
    ['timeout-min', { timeoutMs: 1_000 }, { timeoutMs: 1_000 }],
    ['timeout-max', { timeoutMs: 900_000 }, { timeoutMs: 900_000 }],
  ]
  for (const [name, options, expected] of edges) {
    await host.deploy(echoFunction(name, options))
    t.match(host.getFunction(name), expected, `${name} is accepted and kept`)
    host.removeFunction(name)
  }

  const longName = 'n'.repeat(64)
  await host.deploy(echoFunction(longName))
  t.equal(host.getFunction(longName).name, longName, 'a 64-character name is accepted')
  host.removeFunction(longName)

  // 4 KB of env vars in total (keys and values) is allowed and reaches the handler.
  const value = 'v'.repeat(LIMITS.envBytes - 'STAGE'.length)
  await host.deploy(echoFunction('env-edge', { env: { STAGE: value } }))
  const payload = okPayload(t, await host.invoke('env-edge', {}), 'env-edge') as { stage: string }
  t.equal(payload.stage, value, 'a 4096-byte environment reaches the handler intact')
  await expectThawError(t, 'one byte over 4 KB', () => host.deploy(echoFunction('env-edge', { env: { STAGE: `${value}v` } })), {
    ...CONFIG,
    field: 'env',
  })
  host.removeFunction('env-edge')
  host.removeFunction('defaults')
})

t.test('a zip package deploys and invokes', async (t) => {
  const zip = zipSync({
    'index.js': strToU8(
      "const { twice } = require('./lib/math')\nexports.handler = async (event) => ({ value: twice(event.n), source: require('./data.json').source })\n",
    ),
    lib: { 'math.js': strToU8('exports.twice = (n) => n * 2\n') },
    'data.json': strToU8('{ "source": "zip" }'),
    empty: {},
  })
  const info = await host.deploy({ name: 'zipped', runtime: 'quickjs', handler: 'index.handler', code: { zip } })
  t.equal(info.codeSha256, createHash('sha256').update(zip).digest('base64'), "codeSha256 is the zip's SHA-256, like Lambda")
  const result = await host.invoke('zipped', { n: 21 })
  t.same(okPayload(t, result, 'zipped'), { value: 42, source: 'zip' }, 'the handler from the zip ran')
  t.equal(result.executedVersion, '$LATEST')
  t.match(result.requestId, /^[0-9a-f-]{36}$/, 'a request id is assigned')

  // A nested handler path inside a zip.
  const nested = zipSync({ src: { handlers: { 'api.mjs': strToU8('export const main = async () => "nested"') } } })
  await host.deploy({ name: 'zipped', runtime: 'quickjs', handler: 'src/handlers/api.main', code: { zip: nested } })
  t.same(okPayload(t, await host.invoke('zipped'), 'nested'), 'nested', 'a dir/file.export handler resolves inside the zip')
  host.removeFunction('zipped')
})

t.test('code.files with Uint8Array contents works, and so does code.dir', async (t) => {
  await host.deploy({
    name: 'bytes',
    runtime: 'quickjs',
    handler: 'app.handler',
    code: {
      files: {
        'app.mjs': bytes("import { greet } from './greet.mjs'\nexport const handler = async (event) => greet(event.who)\n"),
        'greet.mjs': bytes('export const greet = (who) => `héllo ${who} ✓`\n'),
      },
    },
  })
  t.same(okPayload(t, await host.invoke('bytes', { who: 'bytes' }), 'bytes'), 'héllo bytes ✓', 'byte contents are decoded as UTF-8')

  const dir = t.testdir({
    'package.json': JSON.stringify({ type: 'module' }),
    'handler.js': 'export const run = async (event, context) => ({ name: context.functionName, sum: event.a + event.b })\n',
  })
  await host.deploy({ name: 'from-dir', runtime: 'quickjs', handler: 'handler.run', code: { dir } })
  t.same(okPayload(t, await host.invoke('from-dir', { a: 2, b: 3 }), 'from-dir'), { name: 'from-dir', sum: 5 }, 'a folder package runs')
  host.removeFunction('bytes')
  host.removeFunction('from-dir')
})

t.test('invoke errors', async (t) => {
  await host.deploy(echoFunction('echo'))
  await expectThawError(t, 'unknown function', () => host.invoke('no-such-function', {}), {
    code: 'THAW_FUNCTION_NOT_FOUND',
    errorType: 'ResourceNotFoundException',
    httpStatus: 404,
    field: 'name',
  })
  const notFound = await caught(() => host.invoke('no-such-function'))
  t.match((notFound as Error).message, 'arn:aws:lambda:us-east-1:000000000000:function:no-such-function', 'the message names the ARN')

  const content = { code: 'THAW_INVALID_REQUEST_CONTENT', errorType: 'InvalidRequestContentException', httpStatus: 400 } as const
  await expectThawError(t, 'payload that is not JSON', () => host.invoke('echo', undefined, { payload: '{not json' }), {
    ...content,
    field: 'payload',
  })
  await expectThawError(t, 'payload with trailing garbage', () => host.invoke('echo', undefined, { payload: '{"a":1} x' }), {
    ...content,
    field: 'payload',
  })
  await expectThawError(t, 'an event with a BigInt', () => host.invoke('echo', { n: 10n }), { ...content, field: 'event' })
  const cycle: Record<string, unknown> = { name: 'loop' }
  cycle.self = cycle
  await expectThawError(t, 'an event with a cycle', () => host.invoke('echo', cycle), { ...content, field: 'event' })

  const tooLarge = { code: 'THAW_REQUEST_TOO_LARGE', errorType: 'RequestTooLargeException', httpStatus: 413 } as const
  await expectThawError(t, 'an event over 6 MB', () => host.invoke('echo', { data: 'x'.repeat(MAX_SYNC_PAYLOAD_BYTES) }), {
    ...tooLarge,
    field: 'event',
  })
  const overByOne = JSON.stringify('x'.repeat(MAX_SYNC_PAYLOAD_BYTES - 1)) // 6 MB + 1 byte of JSON
  await expectThawError(t, 'a raw payload of 6 MB + 1 byte', () => host.invoke('echo', undefined, { payload: overByOne }), {
    ...tooLarge,
    field: 'payload',
  })
  const multiByte = { s: '€'.repeat(MAX_SYNC_PAYLOAD_BYTES / 3) } // 2 M characters, 6 MB + 8 bytes of UTF-8 JSON
  await expectThawError(t, 'an event over 6 MB in UTF-8 bytes, not characters', () => host.invoke('echo', multiByte), {
    ...tooLarge,
    field: 'event',
  })

  t.equal(MAX_SYNC_PAYLOAD_BYTES, 6 * 1024 * 1024)
  const exactly = JSON.stringify('x'.repeat(MAX_SYNC_PAYLOAD_BYTES - 2))
  t.equal(Buffer.byteLength(exactly), MAX_SYNC_PAYLOAD_BYTES)
  await host.deploy({
    name: 'length',
    runtime: 'quickjs',
    handler: 'index.handler',
    code: { files: { 'index.mjs': 'export const handler = async (event) => event.length' } },
  })
  t.equal(okPayload(t, await host.invoke('length', undefined, { payload: exactly }), 'exactly 6 MB'), MAX_SYNC_PAYLOAD_BYTES - 2, 'exactly 6 MB is accepted')
  host.removeFunction('length')

  // options.payload wins over the event; an empty payload is the empty object, as in Lambda.
  t.same(okPayload(t, await host.invoke('echo', { ignored: true }, { payload: '{"raw":true}' }), 'raw'), { event: { raw: true }, stage: null })
  t.same(okPayload(t, await host.invoke('echo', undefined, { payload: '' }), 'empty'), { event: {}, stage: null })
  t.same(okPayload(t, await host.invoke('echo'), 'no event'), { event: {}, stage: null }, 'no event is {}')
  t.same(okPayload(t, await host.invoke('echo', [1, 'two', null]), 'array'), { event: [1, 'two', null], stage: null })
  t.same(okPayload(t, await host.invoke('echo', 'text'), 'string'), { event: 'text', stage: null })
  await expectThawError(t, 'options.payload that is not a string', () => host.invoke('echo', undefined, { payload: 42 as unknown as string }), {
    ...CONFIG,
    field: 'payload',
  })
  host.removeFunction('echo')
})

t.test('host options are validated', async (t) => {
  await expectThawError(t, 'bad region', () => createHost({ region: 'mars' }), { ...CONFIG, field: 'region' })
  await expectThawError(t, 'upper-case region', () => createHost({ region: 'US-EAST-1' }), { ...CONFIG, field: 'region' })
  await expectThawError(t, 'accountId too short', () => createHost({ accountId: '123' }), { ...CONFIG, field: 'accountId' })
  await expectThawError(t, 'accountId not digits', () => createHost({ accountId: '12345678901x' }), { ...CONFIG, field: 'accountId' })
  await expectThawError(t, 'logger that is a plain object', () => createHost({ logger: {} as never }), { ...CONFIG, field: 'logger' })
  await expectThawError(t, 'logger that is a string', () => createHost({ logger: 'debug' as never }), { ...CONFIG, field: 'logger' })
  await expectThawError(t, 'empty dataDir', () => createHost({ dataDir: '' }), { ...CONFIG, field: 'dataDir' })

  await using custom = await createHost({ region: 'eu-west-2', accountId: '123456789012' })
  t.equal(custom.region, 'eu-west-2')
  const info = await custom.deploy(echoFunction('arn-check'))
  t.equal(info.functionArn, 'arn:aws:lambda:eu-west-2:123456789012:function:arn-check', 'region and account id appear in the ARN')
  const notFound = await caught(() => custom.invoke('missing'))
  t.match((notFound as Error).message, 'arn:aws:lambda:eu-west-2:123456789012:function:missing')
})

t.test('a closed host refuses work', async (t) => {
  const closing = await createHost()
  await closing.deploy(echoFunction('before-close'))
  t.ok(okPayload(t, await closing.invoke('before-close', {}), 'before close'), 'works before close()')
  await closing.close()
  const closed = { code: 'THAW_HOST_CLOSED', errorType: 'ServiceException', httpStatus: 500, field: undefined } as const
  await expectThawError(t, 'deploy after close', () => closing.deploy(echoFunction('after-close')), closed)
  await expectThawError(t, 'invoke after close', () => closing.invoke('before-close', {}), closed)
  await expectThawError(t, 'invoke of an unknown function after close', () => closing.invoke('never', {}), closed)
  await closing.close() // idempotent
  t.pass('close() twice does not throw')

  // close() waits for an invocation in flight, which completes normally.
  const busy = await createHost()
  await busy.deploy({
    name: 'slow',
    runtime: 'quickjs',
    handler: 'index.handler',
    code: { files: { 'index.mjs': 'export const handler = () => new Promise((resolve) => setTimeout(() => resolve("done"), 50))' } },
  })
  const inFlight = busy.invoke('slow')
  await new Promise((resolve) => setImmediate(resolve))
  const closedWhileBusy = busy.close()
  await expectThawError(t, 'deploy while closing', () => busy.deploy(echoFunction('late')), closed)
  t.same(okPayload(t, await inFlight, 'in flight'), 'done', 'the invocation in flight finishes')
  await closedWhileBusy
})

t.test('await using closes the host (Symbol.asyncDispose)', async (t) => {
  let outer: Host | undefined
  {
    await using scoped = await createHost()
    outer = scoped
    await scoped.deploy(echoFunction('scoped'))
    t.ok(okPayload(t, await scoped.invoke('scoped'), 'scoped'), 'usable inside the block')
  }
  await expectThawError(t, 'invoke after the block', () => (outer as Host).invoke('scoped'), {
    code: 'THAW_HOST_CLOSED',
    errorType: 'ServiceException',
    field: undefined,
  })
  const disposable = await createHost()
  t.equal(typeof disposable[Symbol.asyncDispose], 'function')
  await disposable[Symbol.asyncDispose]()
  await expectThawError(t, 'deploy after asyncDispose', () => disposable.deploy(echoFunction('x')), {
    code: 'THAW_HOST_CLOSED',
    errorType: 'ServiceException',
    field: undefined,
  })
})

t.test('redeploy replaces code; listFunctions() and removeFunction()', async (t) => {
  const version = (n: number) => ({ 'index.mjs': `export const handler = async () => ({ version: ${n} })` })
  const first = await host.deploy({ name: 'versioned', runtime: 'quickjs', handler: 'index.handler', code: { files: version(1) } })
  t.same(okPayload(t, await host.invoke('versioned'), 'v1'), { version: 1 })
  const second = await host.deploy({
    name: 'versioned',
    runtime: 'quickjs',
    handler: 'index.handler',
    code: { files: version(2) },
    memoryMb: 256,
  })
  t.not(second.codeSha256, first.codeSha256, 'new code, new codeSha256')
  t.same(okPayload(t, await host.invoke('versioned'), 'v2'), { version: 2 }, 'the redeployed code answers (no stale warm environment)')
  t.equal(host.getFunction('versioned').memoryMb, 256, 'the new configuration replaces the old')
  const sameAgain = await host.deploy({ name: 'versioned', runtime: 'quickjs', handler: 'index.handler', code: { files: version(2) } })
  t.equal(sameAgain.codeSha256, second.codeSha256, 'the same code has the same codeSha256')
  t.equal(host.getFunction('versioned').memoryMb, 128, 'a redeploy without memoryMb goes back to the default')

  await host.deploy(echoFunction('other'))
  t.same(host.listFunctions().map((f) => f.name).sort(), ['other', 'versioned'], 'listFunctions() lists each name once')

  host.removeFunction('versioned')
  t.same(host.listFunctions().map((f) => f.name), ['other'], 'removed functions are not listed')
  await expectThawError(t, 'invoke a removed function', () => host.invoke('versioned'), {
    code: 'THAW_FUNCTION_NOT_FOUND',
    errorType: 'ResourceNotFoundException',
    field: 'name',
  })
  await expectThawError(t, 'getFunction of a removed function', () => host.getFunction('versioned'), {
    code: 'THAW_FUNCTION_NOT_FOUND',
    errorType: 'ResourceNotFoundException',
    field: 'name',
  })
  await expectThawError(t, 'remove a function twice', () => host.removeFunction('versioned'), {
    code: 'THAW_FUNCTION_NOT_FOUND',
    errorType: 'ResourceNotFoundException',
    field: 'name',
  })
  // The name can be used again after removal.
  await host.deploy({ name: 'versioned', runtime: 'quickjs', handler: 'index.handler', code: { files: version(3) } })
  t.same(okPayload(t, await host.invoke('versioned'), 'v3'), { version: 3 })
  host.removeFunction('versioned')
  host.removeFunction('other')
  t.same(host.listFunctions(), [])
})
