/**
 * The bundling path: `bundleFunction` (src/bundler/) and the `thaw build` command.
 *
 * Library tests bundle small function folders (with packages of their own in node_modules, written
 * by the test) and run the bundle in QuickJS: the handler string stays valid, packages resolve to
 * their Node builds, Node builtins are the guest's own modules (also from `require()`), names
 * survive minification, `thaw:snapstart` works in a snapshot. Errors are ThawErrors with a code.
 *
 * CLI tests run `node bin/thaw.js build` as a real child process (build dist/ first, as for
 * test/cli.test.ts): exit 0 with the bundle's path and size, 1 when esbuild fails, 2 on bad usage.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { bundleFunction, isThawError, type BundleOptions, type BundleResult } from '../src/index.js'
import { deployFolder, guestPayload } from './compat/harness.js'
import { hostFor } from './conformance/fixture.js'
import { coldQuickJs, snapshotQuickJs } from './conformance/mode.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin', 'thaw.js')

/** A package.json as text. */
const manifest = (fields: Record<string, unknown>) => JSON.stringify(fields)

/** A function folder with two packages of its own: one with export conditions, one CommonJS. */
const functionFolder = {
  'package.json': manifest({ type: 'module' }),
  'index.js': `import { flavour } from 'conditional'
import { describe } from 'legacy'
import { readFileSync } from 'node:fs'
export const handler = async (event) => ({ flavour, described: describe(event.word), task: readFileSync('/var/task/index.mjs', 'utf8').length > 0 })
export const other = async () => 'other export'
`,
  node_modules: {
    conditional: {
      'package.json': manifest({
        name: 'conditional',
        exports: { '.': { browser: './browser.js', node: { import: './node.mjs', require: './node.cjs' }, default: './browser.js' } },
      }),
      'node.mjs': "export const flavour = 'node, import'",
      'node.cjs': "exports.flavour = 'node, require'",
      'browser.js': "export const flavour = 'browser'",
    },
    legacy: {
      // `main` before `module`, as Node reads package.json.
      'package.json': manifest({ name: 'legacy', main: './main.js', module: './module.mjs' }),
      'main.js': `const { Buffer } = require('buffer')
const fs = require('node:fs')
let optional
try { require('http'); optional = 'found' } catch (error) { optional = error.code + ': ' + error.message }
exports.describe = (word) => ({
  hex: Buffer.from(word).toString('hex'),
  sameBuffer: Buffer === globalThis.Buffer,
  fsIsGuest: typeof fs.readFileSync === 'function' && fs === require('fs'),
  optional,
  dirname: __dirname,
})`,
      'module.mjs': "export const describe = () => 'the module field was used'",
    },
  },
}

async function bundle(t: Test, files: NonNullable<Parameters<Test['testdir']>[0]>, options: Partial<BundleOptions> = {}): Promise<BundleResult & { outDir: string }> {
  const dir = t.testdir({ src: files, out: {} })
  const outDir = path.join(dir, 'out')
  return { ...(await bundleFunction({ dir: path.join(dir, 'src'), outDir, ...options })), outDir }
}

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  return undefined
}

t.test('bundleFunction: one ES module that keeps the handler string valid', async (t) => {
  const result = await bundle(t, functionFolder)
  t.equal(result.handler, 'index.handler')
  t.equal(result.outFile, path.join(result.outDir, 'index.mjs'), 'the bundle is <out>/index.mjs')
  t.same(await readdir(result.outDir), ['index.mjs'], 'and nothing else')
  t.equal(result.outBytes, (await stat(result.outFile)).size, 'outBytes is the file size')
  t.equal(result.inputFiles, 3, 'index.js, conditional/node.mjs, legacy/main.js')
  t.ok(result.inputBytes > 0)
  t.same(result.warnings, [])

  const code = await readFile(result.outFile, 'utf8')
  t.match(code, /^import .* from "node:buffer";$/m, "require('buffer') became an ES import of the guest's node:buffer")
  t.notMatch(code, /Dynamic require of/, "no require shim (it throws in an ES module)")
  t.notMatch(code, /the module field was used|'browser'/, 'neither the browser build nor the module field')

  const host = await hostFor(t, coldQuickJs)
  for (const handler of ['index.handler', 'index.other']) {
    const fn = await deployFolder(host, coldQuickJs, result.outDir, handler)
    const payload = guestPayload(t, await fn.invoke({ word: 'hi' }), handler)?.payload
    if (handler === 'index.other') t.equal(payload, 'other export', 'every export of an ES module entry is kept')
    else
      t.same(payload, {
        flavour: 'node, import',
        described: {
          hex: '6869',
          sameBuffer: true,
          fsIsGuest: true,
          optional: "MODULE_NOT_FOUND: Cannot find module 'http': Thaw's QuickJS platform does not provide this Node.js builtin (see docs/compatibility.md)",
          dirname: '/var/task',
        },
        task: true,
      })
  }
})

t.test('a CommonJS handler in a subfolder; minified; names kept; thaw:snapstart in a snapshot', async (t) => {
  const result = await bundle(
    t,
    {
      lib: {
        'api.js': `const { registerAfterRestore } = require('thaw:snapstart')
let restored = 0
registerAfterRestore(() => { restored++ })
class OrderRejected extends Error { constructor(message) { super(message); this.name = this.constructor.name } }
function computeTotal(items) { return items.reduce((sum, item) => sum + item.price, 0) }
module.exports.handler = async (event) => {
  if (event.reject) throw new OrderRejected('no stock')
  return { total: computeTotal(event.items), names: [OrderRejected.name, computeTotal.name], restored }
}`,
      },
    },
    { handler: 'lib/api.handler', minify: true },
  )
  t.equal(result.outFile, path.join(result.outDir, 'lib', 'api.mjs'), 'the bundle keeps the module path of the handler')
  const code = await readFile(result.outFile, 'utf8')
  t.match(code, /from"thaw:snapstart"/, 'thaw:snapstart stays external')
  t.ok(code.split('\n').length <= 3, 'minified')

  for (const mode of [coldQuickJs, snapshotQuickJs]) {
    await t.test(mode.name, async (t) => {
      const host = await hostFor(t, mode)
      const fn = await deployFolder(host, mode, result.outDir, 'lib/api.handler')
      t.same(guestPayload(t, await fn.invoke({ items: [{ price: 2 }, { price: 40 }] }), 'total')?.payload, {
        total: 42,
        names: ['OrderRejected', 'computeTotal'],
        restored: mode.startPhase === 'restore' ? 1 : 0,
      })
      const failed = await fn.invoke({ reject: true })
      t.equal(failed.ok, false)
      if (!failed.ok) t.same([failed.error.errorType, failed.error.errorMessage], ['OrderRejected', 'no stock'], "the error's class name survives minification")
    })
  }
})

t.test('an ES import of a builtin the guest lacks fails INIT with an ImportModuleError naming it', async (t) => {
  const result = await bundle(t, { 'index.mjs': "import http from 'node:http'\nexport const handler = async () => typeof http" })
  t.match(await readFile(result.outFile, 'utf8'), /from "node:http"/)
  const host = await hostFor(t, coldQuickJs)
  const outcome = await (await deployFolder(host, coldQuickJs, result.outDir, 'index.handler')).invoke({})
  t.equal(outcome.ok, false)
  if (!outcome.ok) {
    t.equal(outcome.error.errorType, 'Runtime.ImportModuleError')
    t.match(outcome.error.errorMessage, /Cannot find module 'node:http'/)
  }
})

t.test('errors are ThawErrors with a code and the field at fault', async (t) => {
  const dir = t.testdir({
    fn: { 'index.js': 'exports.handler = async () => 1', 'broken.js': 'export const handler = (', 'unresolved.mjs': "import x from 'not-installed'\nexport const handler = x" },
    stale: { 'index.js': '// a leftover of an earlier build' },
  })
  const fn = path.join(dir, 'fn')
  const cases: [string, BundleOptions, string, string, RegExp][] = [
    ['a missing folder', { dir: path.join(dir, 'nope'), outDir: path.join(dir, 'o1') }, 'THAW_INVALID_CODE_PACKAGE', 'dir', /does not exist/],
    ['a file as the folder', { dir: path.join(fn, 'index.js'), outDir: path.join(dir, 'o2') }, 'THAW_INVALID_CODE_PACKAGE', 'dir', /is not a folder/],
    ['a missing handler module', { dir: fn, handler: 'main.handler', outDir: path.join(dir, 'o3') }, 'THAW_INVALID_CODE_PACKAGE', 'handler', /Cannot find the handler's module main/],
    ['a malformed handler', { dir: fn, handler: 'index', outDir: path.join(dir, 'o4') }, 'THAW_INVALID_CONFIG', 'handler', /MalformedHandlerName/],
    ['the function folder as output', { dir: fn, outDir: fn }, 'THAW_INVALID_CONFIG', 'outDir', /must not be the function folder/],
    ['an output folder with a file that shadows the bundle', { dir: fn, outDir: path.join(dir, 'stale') }, 'THAW_INVALID_CONFIG', 'outDir', /already holds index\.js/],
    ['a syntax error', { dir: fn, handler: 'broken.handler', outDir: path.join(dir, 'o5') }, 'THAW_BUILD_FAILED', 'dir', /broken\.js:1:\d+/],
    ['an import that does not resolve', { dir: fn, handler: 'unresolved.handler', outDir: path.join(dir, 'o6') }, 'THAW_BUILD_FAILED', 'dir', /Could not resolve "not-installed"/],
  ]
  for (const [label, options, code, field, message] of cases) {
    const error = await thrown(bundleFunction(options))
    t.ok(isThawError(error), `${label}: a ThawError`)
    if (isThawError(error)) t.match({ code: error.code, field: error.field, message: error.message }, { code, field, message }, label)
  }
})

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

function thaw(cwd: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

t.test('thaw build (the CLI)', async (t) => {
  if (!existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` before this test')
  const dir = t.testdir({ 'my-fn': functionFolder, broken: { 'index.js': 'exports.handler = (' } })

  const [top, help, built, explicit, missing, noModule, malformed, broken] = await Promise.all([
    thaw(dir, '--help'),
    thaw(dir, 'build', '--help'),
    thaw(dir, 'build', 'my-fn'),
    thaw(dir, 'build', 'my-fn', '--out', 'dist/fn', '--handler', 'index.other', '--minify'),
    thaw(dir, 'build', 'nope'),
    thaw(dir, 'build', 'my-fn', '--handler', 'main.handler'),
    thaw(dir, 'build', 'my-fn', '--handler', 'index'),
    thaw(dir, 'build', 'broken'),
  ])

  t.match(top.stdout, /^ {2}build \[options\] <dir> +Bundle a handler/m, 'thaw --help lists build')
  t.equal(help.code, 0)
  t.match(help.stdout, /Usage: thaw build \[options\] <dir>/)
  for (const option of ['--handler <handler>', '--out <dir>', '--minify']) t.ok(help.stdout.includes(option), `--help describes ${option}`)
  t.match(help.stdout, /Exit codes: 0 bundled, 1 .*\n2 bad usage/)

  t.equal(built.code, 0, `exit 0 (stderr: ${built.stderr})`)
  t.match(built.stdout, /^\.thaw\/build\/my-fn\/index\.mjs: [\d.]+ KiB \(from 3 files, [\d.]+ KiB\)\nrun it with: thaw invoke \.thaw\/build\/my-fn --handler index\.handler\n$/, 'by default into .thaw/build/<folder name>')
  t.ok(existsSync(path.join(dir, '.thaw', 'build', 'my-fn', 'index.mjs')))

  t.equal(explicit.code, 0, `--out (stderr: ${explicit.stderr})`)
  t.match(explicit.stdout, /^dist\/fn\/index\.mjs: .*\nrun it with: thaw invoke dist\/fn --handler index\.other\n$/)

  const invoked = await thaw(dir, 'invoke', '.thaw/build/my-fn', '--handler', 'index.handler', '--no-snapshot', '--event', '{"word":"ok"}')
  t.equal(invoked.code, 0, `the bundle runs with thaw invoke (stderr: ${invoked.stderr})`)
  t.match(JSON.parse(invoked.stdout), { flavour: 'node, import', described: { hex: '6f6b' } })

  for (const [run, label, reason] of [
    [missing, 'a missing folder', /^thaw: Function folder nope does not exist$/],
    [noModule, 'a missing handler module', /^thaw: Cannot find the handler's module main/],
    [malformed, 'a malformed handler', /^thaw: Invalid bundle options: handler: is malformed/],
  ] as const) {
    t.equal(run.code, 2, `${label}: exit 2`)
    t.equal(run.stdout, '', `${label}: nothing on stdout`)
    t.match(run.stderr.trim(), reason, `${label}: one line with the reason`)
    t.equal(run.stderr.trim().split('\n').length, 1, `${label}: one line`)
  }

  t.equal(broken.code, 1, 'code that cannot be bundled: exit 1')
  t.equal(broken.stdout, '')
  t.match(broken.stderr, /^thaw: Cannot bundle index\.handler:\n.*ERROR.*\n[\s\S]*index\.js:1:\d+/, "esbuild's error with the file and line")
})
