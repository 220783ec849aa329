/**
 * The guest's filesystem (issue #4, "Filesystem"): `/tmp` in memory with the ephemeral-storage
 * quota, `/var/task` and `/opt` (layers) read-only, nothing else; the `node:fs` subset through
 * every import name; Node's error shapes (compared case by case with Node's own fs on a real
 * folder); `/tmp` per environment, across warm invocations and inside snapshots.
 */
import * as nodeFs from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import t, { type Test } from 'tap'
import { createHost, type DeployOptions, type Host, type InvokeResult } from '../src/index.js'

type Files = Record<string, string>

async function deploy(host: Host, name: string, files: Files, options: Partial<DeployOptions> = {}): Promise<void> {
  await host.deploy({ name, runtime: 'quickjs', handler: 'index.handler', code: { files }, timeoutMs: 30_000, ...options })
}

function payloadOf(t: Test, result: InvokeResult): any {
  if (!result.ok) t.fail(`${result.error.errorType}: ${result.error.errorMessage}\n${result.error.trace.join('\n')}\n${result.logs}`)
  return result.ok ? result.payload : undefined
}

/** Runs `body` (an async function body with `fs`, `fsp` in scope) in a fresh function, returns its result. */
async function runGuest(t: Test, host: Host, name: string, body: string, options: Partial<DeployOptions> = {}, extra: Files = {}): Promise<any> {
  const source = `import fs from 'node:fs'\nimport fsp from 'node:fs/promises'\nexport const handler = async (event) => {\n${body}\n}`
  await deploy(host, name, { 'index.mjs': source, ...extra }, options)
  return payloadOf(t, await host.invoke(name, {}))
}

// ── the API, with real results ───────────────────────────────────────────────────────────────

t.test('node:fs sync API: every function does what Node does', async (t) => {
  await using host = await createHost()
  const out = await runGuest(t, host, 'sync', `
    const r = {}
    fs.writeFileSync('/tmp/a.txt', 'héllo')
    fs.appendFileSync('/tmp/a.txt', ' wörld')
    fs.appendFileSync('/tmp/new.txt', new Uint8Array([104, 105]))
    r.text = fs.readFileSync('/tmp/a.txt', 'utf8')
    r.options = fs.readFileSync('/tmp/a.txt', { encoding: 'utf-8' })
    const bytes = fs.readFileSync('/tmp/a.txt')
    r.bytes = { isUint8Array: bytes instanceof Uint8Array, isBuffer: Buffer.isBuffer(bytes), length: bytes.length, text: bytes.toString(), slice: bytes.toString('utf8', 0, 1), hex: bytes.toString('hex', 0, 3) }
    r.appendCreates = fs.readFileSync('/tmp/new.txt', 'latin1')
    fs.writeFileSync('/tmp/b64', 'aGVsbG8=', 'base64')
    r.base64 = [fs.readFileSync('/tmp/b64', 'utf8'), fs.readFileSync('/tmp/b64', 'base64'), fs.readFileSync('/tmp/b64', 'hex')]
    fs.writeFileSync('/tmp/view', new DataView(new Uint8Array([0, 1, 2, 3]).buffer, 1, 2))
    r.dataView = Array.from(fs.readFileSync('/tmp/view'))
    fs.writeFileSync('/tmp/r+', 'abcdef'); fs.writeFileSync('/tmp/r+', 'XY', { flag: 'r+' })
    r.overwrite = fs.readFileSync('/tmp/r+', 'utf8')
    fs.writeFileSync('/tmp/a+', 'one', { flag: 'a' }); fs.writeFileSync('/tmp/a+', 'two', { flag: 'a' })
    r.appendFlag = fs.readFileSync('/tmp/a+', 'utf8')
    r.exists = [fs.existsSync('/tmp/a.txt'), fs.existsSync('/tmp/none'), fs.existsSync('/tmp'), fs.existsSync('/var/task/index.mjs'), fs.existsSync(42)]
    r.mkdir = [fs.mkdirSync('/tmp/x/y/z', { recursive: true }), fs.mkdirSync('/tmp/x/y/z', { recursive: true }), fs.mkdirSync('/tmp/plain')]
    fs.writeFileSync('/tmp/x/y/file', '1')
    r.readdir = fs.readdirSync('/tmp/x/y').sort()
    r.recursive = fs.readdirSync('/tmp/x', { recursive: true }).sort()
    r.dirents = fs.readdirSync('/tmp/x/y', { withFileTypes: true }).map((d) => [d.name, d.parentPath, d.isFile(), d.isDirectory()]).sort()
    const before = fs.statSync('/tmp/a.txt')
    const dir = fs.statSync('/tmp/x')
    r.stat = { isFile: before.isFile(), isDirectory: before.isDirectory(), size: before.size, mode: before.mode.toString(8), mtimeIsDate: before.mtime instanceof Date,
      mtimeMatches: before.mtime.getTime() === before.mtimeMs, recent: Math.abs(Date.now() - before.mtimeMs) < 60000, dir: [dir.isFile(), dir.isDirectory(), dir.mode.toString(8)],
      keys: Object.keys(before), name: before.constructor.name, isStats: before instanceof fs.Stats }
    await new Promise((resolve) => setTimeout(resolve, 5))
    fs.appendFileSync('/tmp/a.txt', '!')
    r.mtimeMoves = fs.statSync('/tmp/a.txt').mtimeMs > before.mtimeMs
    r.lstat = fs.lstatSync('/tmp/a.txt').size
    r.noEntry = fs.statSync('/tmp/none', { throwIfNoEntry: false })
    fs.renameSync('/tmp/a.txt', '/tmp/x/moved.txt')
    fs.writeFileSync('/tmp/replaced', 'old'); fs.writeFileSync('/tmp/replacer', 'new'); fs.renameSync('/tmp/replacer', '/tmp/replaced')
    fs.renameSync('/tmp/x/y', '/tmp/yy')
    r.rename = [fs.existsSync('/tmp/a.txt'), fs.readFileSync('/tmp/x/moved.txt', 'utf8'), fs.readFileSync('/tmp/replaced', 'utf8'), fs.readdirSync('/tmp/yy').sort()]
    fs.copyFileSync('/var/task/data.json', '/tmp/copy.json')
    r.copy = JSON.parse(fs.readFileSync('/tmp/copy.json', 'utf8'))
    r.access = [fs.accessSync('/tmp/copy.json'), fs.accessSync('/tmp/copy.json', fs.constants.R_OK | fs.constants.W_OK)]
    const temp = fs.mkdtempSync('/tmp/job-')
    r.mkdtemp = [/^\\/tmp\\/job-[A-Za-z0-9]{6}$/.test(temp), fs.statSync(temp).isDirectory()]
    r.realpath = fs.realpathSync('/tmp/x/../yy/./file')
    fs.unlinkSync('/tmp/copy.json')
    fs.rmdirSync('/tmp/plain')
    fs.rmSync('/tmp/yy', { recursive: true })
    fs.rmSync('/tmp/never-there', { force: true })
    fs.rmSync('/tmp/replaced')
    r.removed = fs.readdirSync('/tmp').sort()
    return r`, {}, { 'data.json': '{"from":"task"}' })
  t.equal(out.text, 'héllo wörld')
  t.equal(out.options, 'héllo wörld')
  t.same(out.bytes, { isUint8Array: true, isBuffer: true, length: 13, text: 'héllo wörld', slice: 'h', hex: '68c3a9' })
  t.equal(out.appendCreates, 'hi', 'appendFileSync creates the file')
  t.same(out.base64, ['hello', 'aGVsbG8=', '68656c6c6f'])
  t.same(out.dataView, [1, 2], 'a DataView writes its own bytes only')
  t.equal(out.overwrite, 'XYcdef', "flag 'r+' writes over the start")
  t.equal(out.appendFlag, 'onetwo')
  t.same(out.exists, [true, false, true, true, false])
  t.same(out.mkdir, ['/tmp/x', null, null], 'recursive mkdir returns the first folder it made; nothing when none')
  t.same(out.readdir, ['file', 'z'])
  t.same(out.recursive, ['y', 'y/file', 'y/z'])
  t.same(out.dirents, [['file', '/tmp/x/y', true, false], ['z', '/tmp/x/y', false, true]])
  t.same(out.stat, {
    isFile: true, isDirectory: false, size: 13, mode: '100644', mtimeIsDate: true, mtimeMatches: true, recent: true,
    dir: [false, true, '40755'], name: 'Stats', isStats: true,
    keys: ['dev', 'mode', 'nlink', 'uid', 'gid', 'rdev', 'blksize', 'ino', 'size', 'blocks', 'atimeMs', 'mtimeMs', 'ctimeMs', 'birthtimeMs', 'atime', 'mtime', 'ctime', 'birthtime'],
  })
  t.equal(out.mtimeMoves, true, 'a write moves mtime')
  t.equal(out.lstat, 14)
  t.equal(out.noEntry, undefined)
  t.same(out.rename, [false, 'héllo wörld!', 'new', ['file', 'z']])
  t.same(out.copy, { from: 'task' })
  t.same(out.access, [null, null])
  t.same(out.mkdtemp, [true, true])
  t.equal(out.realpath, '/tmp/yy/file')
  t.same(out.removed, ['a+', 'b64', 'new.txt', 'r+', 'view', 'x', out.removed.find((name: string) => name.startsWith('job-'))].sort())
})

t.test('fs/promises, fs.promises and the callback API', async (t) => {
  await using host = await createHost()
  const out = await runGuest(t, host, 'promises', `
    const r = {}
    r.same = fs.promises === fsp
    await fsp.writeFile('/tmp/p.txt', 'one')
    await fsp.appendFile('/tmp/p.txt', '+two')
    r.readFile = await fsp.readFile('/tmp/p.txt', 'utf8')
    r.bytes = (await fsp.readFile('/tmp/p.txt')).length
    r.mkdir = await fsp.mkdir('/tmp/d/e', { recursive: true })
    await fsp.rename('/tmp/p.txt', '/tmp/d/p.txt')
    r.readdir = await fsp.readdir('/tmp/d')
    const stat = await fsp.stat('/tmp/d/p.txt')
    r.stat = [stat.isFile(), stat.size, (await fsp.lstat('/tmp/d')).isDirectory()]
    r.access = await fsp.access('/tmp/d/p.txt')
    r.accessError = await fsp.access('/tmp/nope').then(() => 'resolved', (e) => e.code)
    await fsp.copyFile('/tmp/d/p.txt', '/tmp/copy')
    r.copy = await fsp.readFile('/tmp/copy', 'utf8')
    r.mkdtemp = (await fsp.mkdtemp('/tmp/t-')).length
    r.realpath = await fsp.realpath('/tmp/d/../copy')
    await fsp.unlink('/tmp/copy')
    await fsp.rm('/tmp/d', { recursive: true })
    r.rejects = await fsp.readFile('/tmp/d/p.txt').then(() => 'resolved', (e) => [e.code, e.syscall, e.message])
    r.callbacks = await new Promise((resolve) => {
      let sync = true
      fs.writeFile('/tmp/cb', 'cb', (error) => {
        fs.readFile('/tmp/cb', 'utf8', (error2, text) => {
          fs.readFile('/tmp/none', (error3) => fs.exists('/tmp/cb', (exists) => resolve({ error, error2, text, code: error3.code, exists, async: !sync })))
        })
      })
      sync = false
    })
    try { fs.readFile('/tmp/cb') } catch (e) { r.noCallback = e.code }
    return r`)
  t.same(out, {
    same: true,
    readFile: 'one+two',
    bytes: 7,
    mkdir: '/tmp/d',
    readdir: ['e', 'p.txt'],
    stat: [true, 7, true],
    accessError: 'ENOENT',
    copy: 'one+two',
    mkdtemp: 13,
    realpath: '/tmp/copy',
    rejects: ['ENOENT', 'open', "ENOENT: no such file or directory, open '/tmp/d/p.txt'"],
    callbacks: { error: null, error2: null, text: 'cb', code: 'ENOENT', exists: true, async: true },
    noCallback: 'ERR_INVALID_ARG_TYPE',
  })
})

t.test("'fs', 'node:fs', 'fs/promises', 'node:fs/promises' through import and require, with named exports", async (t) => {
  await using host = await createHost()
  await deploy(host, 'names', {
    'index.mjs': `
      import fs, { readFileSync, writeFileSync, promises, constants, Stats } from 'fs'
      import * as nodeFs from 'node:fs'
      import fsp, { readFile } from 'fs/promises'
      import { writeFile } from 'node:fs/promises'
      import { fromCommonJs } from './common.cjs'
      writeFileSync('/tmp/init', 'written during INIT')
      export const handler = async () => {
        await writeFile('/tmp/esm', 'esm')
        return {
          named: readFileSync('/tmp/init', 'utf8'), esm: await readFile('/tmp/esm', 'utf8'),
          identities: [nodeFs.default === fs, promises === fsp, fs.readFileSync === readFileSync, nodeFs.readFileSync === readFileSync, typeof Stats, constants.O_CREAT],
          commonJs: fromCommonJs(),
        }
      }`,
    'common.cjs': `
      const fs = require('fs'), nodeFs = require('node:fs'), fsp = require('fs/promises'), nodeFsp = require('node:fs/promises')
      exports.fromCommonJs = () => [fs === nodeFs, fsp === nodeFsp, fs.promises === fsp, fs.readFileSync('/tmp/esm', 'utf8'), typeof fsp.readFile]`,
  })
  t.same(payloadOf(t, await host.invoke('names')), {
    named: 'written during INIT',
    esm: 'esm',
    identities: [true, true, true, true, 'function', 64],
    commonJs: [true, true, true, 'esm', 'function'],
  })
})

// ── Node's errors, case by case against Node's own fs ────────────────────────────────────────

/** Each case: an expression over `fs` and `R` (a folder holding a file `f` and a folder `d` with a file `x`). */
const ERROR_CASES: Record<string, string> = {
  'read missing': `fs.readFileSync(R + '/missing')`,
  'read a folder': `fs.readFileSync(R + '/d')`,
  'read through a file': `fs.readFileSync(R + '/f/x')`,
  'read with a trailing slash': `fs.readFileSync(R + '/f/')`,
  'write a folder': `fs.writeFileSync(R + '/d', 'x')`,
  'write with a trailing slash': `fs.writeFileSync(R + '/new/', 'x')`,
  'write in a missing folder': `fs.writeFileSync(R + '/no/such', 'x')`,
  'write exclusive over a file': `fs.writeFileSync(R + '/f', 'x', { flag: 'wx' })`,
  'append to a folder': `fs.appendFileSync(R + '/d', 'x')`,
  'r+ on a missing file': `fs.writeFileSync(R + '/missing', 'x', { flag: 'r+' })`,
  'write with flag r': `fs.writeFileSync(R + '/f', 'x', { flag: 'r' })`,
  "read as 'buffer'": `Array.from(fs.readFileSync(R + '/f', 'buffer'))`,
  'mkdir existing': `fs.mkdirSync(R + '/d')`,
  'mkdir over a file, recursive': `fs.mkdirSync(R + '/f', { recursive: true })`,
  'mkdir under a file, recursive': `fs.mkdirSync(R + '/f/sub', { recursive: true })`,
  'mkdir in a missing folder': `fs.mkdirSync(R + '/no/such')`,
  'mkdir recursive returns': `fs.mkdirSync(R + '/p/q/r', { recursive: true }).replace(R, '<R>')`,
  'readdir a file': `fs.readdirSync(R + '/f')`,
  'readdir missing': `fs.readdirSync(R + '/missing')`,
  'stat missing': `fs.statSync(R + '/missing')`,
  'stat through a file': `fs.statSync(R + '/f/x')`,
  'stat through a file, throwIfNoEntry false': `fs.statSync(R + '/f/x', { throwIfNoEntry: false })`,
  'lstat missing': `fs.lstatSync(R + '/missing')`,
  'unlink a folder': `fs.unlinkSync(R + '/d')`,
  'unlink missing': `fs.unlinkSync(R + '/missing')`,
  'unlink a file with a slash': `fs.unlinkSync(R + '/f/')`,
  'rmdir a file': `fs.rmdirSync(R + '/f')`,
  'rmdir not empty': `fs.rmdirSync(R + '/d')`,
  'rm a folder': `fs.rmSync(R + '/d')`,
  'rm missing': `fs.rmSync(R + '/missing')`,
  'rm through a file, force': `fs.rmSync(R + '/f/x', { force: true })`,
  'rm recursive with a number': `fs.rmSync(R + '/d', { recursive: 1 })`,
  'rename missing': `fs.renameSync(R + '/missing', R + '/other')`,
  'rename a file over a folder': `fs.renameSync(R + '/f', R + '/d')`,
  'rename a folder over a file': `fs.renameSync(R + '/d', R + '/f')`,
  'rename a folder into itself': `fs.renameSync(R + '/d', R + '/d/inside')`,
  'rename into a missing folder': `fs.renameSync(R + '/f', R + '/no/such')`,
  'copy missing': `fs.copyFileSync(R + '/missing', R + '/copy')`,
  'copy a folder': `fs.copyFileSync(R + '/d', R + '/copy')`,
  'copy onto a folder': `fs.copyFileSync(R + '/f', R + '/d')`,
  'copy exclusive onto a file': `fs.copyFileSync(R + '/d/x', R + '/f', fs.constants.COPYFILE_EXCL)`,
  'access missing': `fs.accessSync(R + '/missing')`,
  'access to execute': `fs.accessSync(R + '/f', fs.constants.X_OK)`,
  'mkdtemp in a missing folder': `fs.mkdtempSync(R + '/no/such-')`,
  'realpath missing': `fs.realpathSync(R + '/missing')`,
  'empty path': `fs.readFileSync('')`,
  'a number as path': `fs.readFileSync(123.5)`,
  'an object as path': `fs.readFileSync({})`,
  'undefined as path': `fs.statSync()`,
  'NUL in a path': `fs.readFileSync(R + '/f\\0x')`,
  'NUL in a path, exists': `fs.existsSync(R + '/f\\0x')`,
  'a non-file URL': `fs.readFileSync(new URL('https://example.com/x'))`,
  'an object as data': `fs.writeFileSync(R + '/data', {})`,
  'an unknown encoding': `fs.readFileSync(R + '/f', 'klingon')`,
  'an unknown flag': `fs.readFileSync(R + '/f', { flag: 'zz' })`,
  'a number as options': `fs.readFileSync(R + '/f', 5)`,
  'recursive must be boolean': `fs.mkdirSync(R + '/m', { recursive: 1 })`,
  'no callback': `fs.readFile(R + '/f')`,
  'a 256-byte name': `fs.readFileSync(R + '/' + 'n'.repeat(256))`,
  'a 255-byte name is fine': `fs.writeFileSync(R + '/' + 'n'.repeat(255), 'ok')`,
  'a 256-byte name in UTF-8 (128 × é)': `fs.writeFileSync(R + '/' + 'é'.repeat(128), 'x')`,
  'a path of 4096 bytes': `fs.readFileSync(R + '/' + 'a/'.repeat(2100))`,
}

/** The harness both sides run: each case's result or its error, with R shown as <R>. */
const ERROR_HARNESS = `(fs, R, cases) => {
  const hide = (value) => typeof value === 'string' ? value.split(R).join('<R>') : value
  const out = {}
  for (const [name, expression] of Object.entries(cases)) {
    try {
      const value = new Function('fs', 'R', 'return ' + expression)(fs, R)
      out[name] = { value: value === undefined ? 'undefined' : hide(value) }
    } catch (error) {
      const shown = { name: error.name, message: hide(error.message), keys: Object.keys(error), code: error.code, errno: error.errno, syscall: error.syscall, path: hide(error.path), dest: hide(error.dest) }
      out[name] = JSON.parse(JSON.stringify(shown))
    }
  }
  return out
}`

t.test("errors are Node's: the same code, errno, syscall, message and properties as Node's fs", async (t) => {
  await using host = await createHost()
  const setup = (R: string) => {
    const root = JSON.stringify(R)
    return `fs.mkdirSync(${root}, { recursive: true }); fs.writeFileSync(${root} + '/f', 'x'); fs.mkdirSync(${root} + '/d'); fs.writeFileSync(${root} + '/d/x', 'x')`
  }
  await deploy(host, 'errors', {
    'index.mjs': `import fs from 'node:fs'\n${setup('/tmp/cases')}\nexport const handler = async (event) => (${ERROR_HARNESS})(fs, '/tmp/cases', event.cases)`,
  })
  const fromGuest = payloadOf(t, await host.invoke('errors', { cases: ERROR_CASES }))
  const root = await mkdtemp(path.join(os.tmpdir(), 'thaw-fs-'))
  t.teardown(() => rm(root, { recursive: true, force: true }))
  const R = path.join(root, 'cases')
  new Function('fs', setup(R))(nodeFs)
  const harness = new Function(`return ${ERROR_HARNESS}`)() as (fs: unknown, R: string, cases: Record<string, string>) => Record<string, unknown>
  const fromNode = harness(nodeFs, R, ERROR_CASES)
  for (const name of Object.keys(ERROR_CASES)) t.same(fromGuest[name], fromNode[name], name)
})

// ── the read-only mounts, layers, and escapes ────────────────────────────────────────────────

t.test('/var/task and /opt are read-only (EROFS); later layers overwrite earlier ones', async (t) => {
  await using host = await createHost()
  const out = await runGuest(t, host, 'mounts', `
    const r = {}
    const attempt = (fn) => { try { fn(); return 'no error' } catch (e) { return [e.code, e.syscall, e.message] } }
    r.task = [fs.readFileSync('/var/task/conf/app.json', 'utf8'), fs.readFileSync('conf/app.json', 'utf8'), fs.readdirSync('/var/task').sort(), fs.statSync('/var/task/conf').isDirectory(), fs.statSync('/var/task/conf/app.json').size]
    r.opt = { listing: fs.readdirSync('/opt', { recursive: true }).sort(), shared: fs.readFileSync('/opt/shared.txt', 'utf8'), one: fs.readFileSync('/opt/only-1.txt', 'utf8'),
      three: fs.readFileSync('/opt/nodejs/node_modules/lib/index.js', 'utf8'), became: fs.statSync('/opt/became-file').isFile(), becameDir: fs.readdirSync('/opt/became-dir') }
    r.root = [fs.readdirSync('/'), fs.readdirSync('/var'), fs.statSync('/').isDirectory()]
    r.writes = {
      overwrite: attempt(() => fs.writeFileSync('/var/task/index.mjs', 'x')),
      create: attempt(() => fs.writeFileSync('/var/task/new.js', 'x')),
      append: attempt(() => fs.appendFileSync('/opt/shared.txt', 'x')),
      mkdir: attempt(() => fs.mkdirSync('/opt/dir')),
      mkdirp: attempt(() => fs.mkdirSync('/var/task/a/b', { recursive: true })),
      mkdirExisting: attempt(() => fs.mkdirSync('/var/task/conf', { recursive: true })),
      unlink: attempt(() => fs.unlinkSync('/var/task/index.mjs')),
      rm: attempt(() => fs.rmSync('/opt', { recursive: true })),
      rmFile: attempt(() => fs.rmSync('/opt/shared.txt')),
      rename: attempt(() => fs.renameSync('/var/task/index.mjs', '/var/task/moved.mjs')),
      renameOut: attempt(() => fs.renameSync('/var/task/index.mjs', '/tmp/stolen.mjs')),
      renameIn: attempt(() => { fs.writeFileSync('/tmp/planted', 'x'); fs.renameSync('/tmp/planted', '/opt/planted') }),
      copyIn: attempt(() => fs.copyFileSync('/var/task/index.mjs', '/opt/copy.mjs')),
      access: attempt(() => fs.accessSync('/var/task/index.mjs', fs.constants.W_OK)),
      readOk: attempt(() => fs.accessSync('/var/task/index.mjs', fs.constants.R_OK)),
      rootFile: attempt(() => fs.writeFileSync('/etc-file', 'x')),
      varFile: attempt(() => fs.mkdirSync('/var/log')),
      missingParent: attempt(() => fs.writeFileSync('/etc/passwd', 'x')),
      rmTmp: attempt(() => fs.rmSync('/tmp', { recursive: true, force: true })),
      renameTmp: attempt(() => fs.renameSync('/tmp', '/tmp2')),
    }
    r.stillThere = [fs.existsSync('/var/task/index.mjs'), fs.existsSync('/tmp/stolen.mjs'), fs.existsSync('/opt/planted'), fs.existsSync('/tmp/planted'), fs.existsSync('/tmp')]
    return r`, {
    layers: [
      { files: { 'shared.txt': 'layer 1', 'only-1.txt': 'one', 'became-file/inner.txt': 'a folder in layer 1', 'became-dir': 'a file in layer 1' } },
      { files: { 'shared.txt': 'layer 2', 'became-file': 'a file in layer 2', 'became-dir/inner.txt': 'a folder in layer 2' } },
      { files: { 'nodejs/node_modules/lib/index.js': 'module.exports = 3', 'shared.txt': 'layer 3' } },
    ],
  }, { 'conf/app.json': '{"stage":"dev"}' })
  t.same(out.task, ['{"stage":"dev"}', '{"stage":"dev"}', ['conf', 'index.mjs'], true, 15], 'the package at /var/task, the working directory')
  t.same(out.opt, {
    listing: ['became-dir', 'became-dir/inner.txt', 'became-file', 'nodejs', 'nodejs/node_modules', 'nodejs/node_modules/lib', 'nodejs/node_modules/lib/index.js', 'only-1.txt', 'shared.txt'],
    shared: 'layer 3',
    one: 'one',
    three: 'module.exports = 3',
    became: true,
    becameDir: ['inner.txt'],
  }, 'layers merged in order; the later one wins every conflict')
  t.same(out.root, [['opt', 'tmp', 'var'], ['task'], true])
  const erofs = (syscall: string, p: string, dest?: string) => ['EROFS', syscall, `EROFS: read-only file system, ${syscall} '${p}'${dest === undefined ? '' : ` -> '${dest}'`}`]
  t.same(out.writes, {
    overwrite: erofs('open', '/var/task/index.mjs'),
    create: erofs('open', '/var/task/new.js'),
    append: erofs('open', '/opt/shared.txt'),
    mkdir: erofs('mkdir', '/opt/dir'),
    mkdirp: erofs('mkdir', '/var/task/a/b'),
    mkdirExisting: 'no error',
    unlink: erofs('unlink', '/var/task/index.mjs'),
    rm: erofs('rmdir', '/opt'),
    rmFile: erofs('unlink', '/opt/shared.txt'),
    rename: erofs('rename', '/var/task/index.mjs', '/var/task/moved.mjs'),
    renameOut: ['EXDEV', 'rename', "EXDEV: cross-device link not permitted, rename '/var/task/index.mjs' -> '/tmp/stolen.mjs'"],
    renameIn: ['EXDEV', 'rename', "EXDEV: cross-device link not permitted, rename '/tmp/planted' -> '/opt/planted'"],
    copyIn: erofs('copyfile', '/var/task/index.mjs', '/opt/copy.mjs'),
    access: erofs('access', '/var/task/index.mjs'),
    readOk: 'no error',
    rootFile: erofs('open', '/etc-file'),
    varFile: erofs('mkdir', '/var/log'),
    missingParent: ['ENOENT', 'open', "ENOENT: no such file or directory, open '/etc/passwd'"],
    rmTmp: erofs('rmdir', '/tmp'),
    renameTmp: erofs('rename', '/tmp', '/tmp2'),
  })
  t.same(out.stillThere, [true, false, false, true, true])
})

t.test('no path leaves the sandbox: .., absolute tricks, URLs, NUL bytes, long names', async (t) => {
  await using host = await createHost()
  const out = await runGuest(t, host, 'escapes', `
    const attempt = (fn) => { try { const value = fn(); return ['ok', typeof value === 'string' ? value : String(value)] } catch (e) { return [e.code, e.message] } }
    fs.writeFileSync('/tmp/mine', 'mine')
    return {
      upAndOver: attempt(() => fs.writeFileSync('/tmp/../var/task/x', 'x')),
      relativeUp: attempt(() => fs.readFileSync('../../etc/passwd', 'utf8')),
      deepUp: attempt(() => fs.readFileSync('/tmp/../../../../../../etc/passwd', 'utf8')),
      fromTask: attempt(() => fs.readFileSync('/var/task/../../../proc/self/environ', 'utf8')),
      hostFile: attempt(() => fs.readFileSync(${JSON.stringify(path.resolve('package.json'))}, 'utf8')),
      hostFolder: attempt(() => fs.readdirSync(${JSON.stringify(path.resolve('.'))})),
      fileUrl: attempt(() => fs.readFileSync(new URL('file:///etc/passwd'), 'utf8')),
      encodedSlash: attempt(() => fs.readFileSync(new URL('file:///tmp/..%2F..%2Fetc%2Fpasswd'))),
      dotsStayInTmp: attempt(() => fs.readFileSync('/tmp/./a/../mine', 'utf8')),
      backslashes: attempt(() => fs.readFileSync('/tmp/..\\\\..\\\\etc\\\\passwd', 'utf8')),
      nul: attempt(() => fs.writeFileSync('/tmp/mine\\0/../../etc/passwd', 'x')),
      nulBytes: attempt(() => fs.readFileSync(new Uint8Array([47, 116, 109, 112, 0]))),
      longName: attempt(() => fs.writeFileSync('/tmp/' + 'x'.repeat(256), 'x')),
      longPath: attempt(() => fs.mkdirSync('/tmp/' + 'd/'.repeat(2048), { recursive: true })),
      longButFine: attempt(() => fs.mkdirSync('/tmp/' + 'd/'.repeat(100), { recursive: true })),
      symlink: typeof fs.symlinkSync,
      tmpListing: fs.readdirSync('/tmp').sort(),
    }`)
  const enoent = (p: string) => ['ENOENT', `ENOENT: no such file or directory, open '${p}'`]
  t.same(out.upAndOver, ['EROFS', "EROFS: read-only file system, open '/tmp/../var/task/x'"], '/tmp/.. leads to the read-only /var/task')
  t.same(out.relativeUp, enoent('../../etc/passwd'))
  t.same(out.deepUp, enoent('/tmp/../../../../../../etc/passwd'))
  t.same(out.fromTask, enoent('/var/task/../../../proc/self/environ'))
  t.equal(out.hostFile[0], 'ENOENT', 'a real host path is not there')
  t.equal(out.hostFolder[0], 'ENOENT')
  t.same(out.fileUrl, enoent('/etc/passwd'))
  t.same(out.encodedSlash, ['ERR_INVALID_FILE_URL_PATH', 'File URL path must not include encoded / characters'])
  t.same(out.dotsStayInTmp, ['ok', 'mine'])
  t.same(out.backslashes[0], 'ENOENT', 'a backslash is an ordinary character')
  t.equal(out.nul[0], 'ERR_INVALID_ARG_VALUE')
  t.equal(out.nulBytes[0], 'ERR_INVALID_ARG_VALUE')
  t.match(out.longName, ['ENAMETOOLONG', /^ENAMETOOLONG: name too long, open '\/tmp\/x{256}'$/])
  t.match(out.longPath, ['ENAMETOOLONG', /^ENAMETOOLONG: name too long, mkdir/])
  t.same(out.longButFine, ['ok', '/tmp/d'])
  t.equal(out.symlink, 'undefined', 'no symlinks: nothing can point outside')
  t.same(out.tmpListing, ['d', 'mine'])
})

// ── /tmp per environment: warm, concurrent, snapshots ────────────────────────────────────────

const COUNTER = `
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs'
const id = crypto.randomUUID()
if (existsSync('/tmp/init-marker')) throw new Error('INIT saw another environment\\'s /tmp')
writeFileSync('/tmp/init-marker', 'INIT ' + id)
export const handler = async (event) => {
  const count = existsSync('/tmp/count') ? Number(readFileSync('/tmp/count', 'utf8')) + 1 : 1
  writeFileSync('/tmp/count', String(count))
  writeFileSync('/tmp/invocation-' + count + '-' + id, 'x')
  if (event.waitMs) await new Promise((resolve) => setTimeout(resolve, event.waitMs))
  return { id, count, init: readFileSync('/tmp/init-marker', 'utf8'), listing: readdirSync('/tmp').sort() }
}`

t.test('/tmp survives warm invocations of one environment and is never shared between two', async (t) => {
  await using host = await createHost()
  await deploy(host, 'counter', { 'index.mjs': COUNTER })
  const first = payloadOf(t, await host.invoke('counter'))
  const second = payloadOf(t, await host.invoke('counter'))
  t.equal(second.id, first.id, 'the same warm environment')
  t.equal(second.count, 2, '/tmp kept what the first invocation wrote')
  t.same(second.listing, ['count', 'init-marker', `invocation-1-${first.id}`, `invocation-2-${first.id}`])

  const concurrent = (await Promise.all([host.invoke('counter', { waitMs: 50 }), host.invoke('counter', { waitMs: 50 })])).map((r) => payloadOf(t, r))
  const [a, b] = concurrent as [any, any]
  t.not(a.id, b.id, 'two environments')
  for (const run of [a, b]) {
    t.ok(run.listing.every((name: string) => !name.startsWith('invocation-') || name.endsWith(run.id)), 'each sees only its own files')
    t.equal(run.init, `INIT ${run.id}`, 'and its own INIT')
  }
})

t.test('/tmp written during INIT is in the snapshot; environments restored from it do not share later writes', async (t) => {
  await using host = await createHost()
  await deploy(host, 'snap', { 'index.mjs': COUNTER }, { snapStart: { applyOn: 'PublishedVersions' } })
  await host.publishVersion('snap')
  const [a, b] = (await Promise.all([host.invoke('snap:1', { waitMs: 50 }), host.invoke('snap:1', { waitMs: 50 })])).map((r) => payloadOf(t, r)) as [any, any]
  t.equal(a.id, b.id, 'both restored from one INIT (the same module state)')
  t.equal(a.init, `INIT ${a.id}`, 'the file INIT wrote is there after the restore')
  t.equal(b.init, a.init)
  t.same([a.count, b.count], [1, 1], 'neither saw the other restore\'s write')
  t.same(a.listing, ['count', 'init-marker', `invocation-1-${a.id}`])
  t.same(b.listing, a.listing, 'identical names, but separate files')
  const warm = payloadOf(t, await host.invoke('snap:1'))
  t.equal(warm.count, 2, 'a restored environment keeps its /tmp while warm')
})

// ── the quota ────────────────────────────────────────────────────────────────────────────────

t.test('ENOSPC at the quota: ephemeralStorageMb counts the bytes of file contents', async (t) => {
  await using host = await createHost()
  // 520 MB (not the default 512) so that the quota visibly follows the configuration. /tmp lives in
  // the guest heap, so the function needs memory for it: 1024 MB.
  const out = await runGuest(t, host, 'quota', `
    const MiB = 1024 * 1024
    const chunk = new Uint8Array(8 * MiB).fill(1)
    const started = performance.now()
    let files = 0, error
    try { for (;;) { fs.writeFileSync('/tmp/fill-' + files, chunk); files++ } } catch (e) { error = { code: e.code, errno: e.errno, syscall: e.syscall, message: e.message } }
    const fillMs = performance.now() - started
    const attempt = (fn) => { try { fn(); return 'ok' } catch (e) { return e.code } }
    const r = { files, error, fillMs }
    r.full = { oneByte: attempt(() => fs.writeFileSync('/tmp/one', 'x')), empty: attempt(() => fs.writeFileSync('/tmp/empty', '')),
      append: attempt(() => fs.appendFileSync('/tmp/fill-0', 'x')), sameSize: attempt(() => fs.writeFileSync('/tmp/fill-0', chunk)),
      emptyExists: fs.existsSync('/tmp/one'), mkdir: attempt(() => fs.mkdirSync('/tmp/folders/are/free', { recursive: true })) }
    fs.unlinkSync('/tmp/fill-1')
    r.afterUnlink = { almost: attempt(() => fs.writeFileSync('/tmp/almost', new Uint8Array(8 * MiB - 1))), two: attempt(() => fs.appendFileSync('/tmp/almost', 'xy')),
      one: attempt(() => fs.appendFileSync('/tmp/almost', 'x')), more: attempt(() => fs.appendFileSync('/tmp/almost', 'x')) }
    fs.writeFileSync('/tmp/fill-2', 'small')
    r.afterShrink = attempt(() => fs.writeFileSync('/tmp/big-again', new Uint8Array(8 * MiB - 5)))
    r.afterShrinkOver = attempt(() => fs.writeFileSync('/tmp/one-more', 'x'))
    return r`, { memoryMb: 1024, ephemeralStorageMb: 520 })
  t.equal(out.files, 65, '65 × 8 MiB = 520 MiB fit exactly')
  t.same(out.error, { code: 'ENOSPC', errno: -28, syscall: 'write', message: 'ENOSPC: no space left on device, write' })
  t.same(out.full, { oneByte: 'ENOSPC', empty: 'ok', append: 'ENOSPC', sameSize: 'ok', emptyExists: true, mkdir: 'ok' }, 'full: not one more byte; rewriting the same size is fine')
  t.same(out.afterUnlink, { almost: 'ok', two: 'ENOSPC', one: 'ok', more: 'ENOSPC' }, 'unlinking gives the space back, to the byte')
  t.equal(out.afterShrink, 'ok', 'shrinking a file gives back the difference')
  t.equal(out.afterShrinkOver, 'ENOSPC')
  t.comment(`filled 520 MiB of /tmp in ${Math.round(out.fillMs)} ms (${Math.round(520 / (out.fillMs / 1000))} MB/s)`)
})

t.test('on worker-thread shards too: layers, the quota and /tmp travel with the function', async (t) => {
  await using host = await createHost({ shards: 1 })
  const out = await runGuest(t, host, 'sharded', `
    const chunk = new Uint8Array(8 * 1024 * 1024)
    for (let i = 0; i < 63; i++) fs.appendFileSync('/tmp/a', chunk)
    fs.appendFileSync('/tmp/a', chunk.subarray(1))
    let code
    try { fs.appendFileSync('/tmp/a', 'xy') } catch (e) { code = e.code }
    fs.appendFileSync('/tmp/a', 'x')
    fs.unlinkSync('/tmp/a')
    return { layer: fs.readFileSync('/opt/l.txt', 'utf8'), task: fs.readdirSync('/var/task'), code }`, { memoryMb: 1024, layers: [{ files: { 'l.txt': 'one' } }, { files: { 'l.txt': 'two' } }] })
  t.same(out, { layer: 'two', task: ['index.mjs'], code: 'ENOSPC' })
})
