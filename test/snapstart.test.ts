import { execFile } from 'node:child_process'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { pino } from 'pino'
import t, { type Test } from 'tap'
import { createHost, isThawError, type Host, type InvokeResult } from '../src/index.js'

/** SnapStart: INIT once per version, new environments restored from the snapshot (issue #3). */

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '..')

// INIT records an id and builds state; each invocation reports them plus fresh randomness.
const probe = `
import { registerBeforeSnapshot, registerAfterRestore } from 'thaw:snapstart'
const initId = crypto.randomUUID()
const table = new Map()
for (let i = 0; i < 10000; i++) table.set('k' + i, i * 2)
let restoreId
registerAfterRestore(() => { restoreId = crypto.randomUUID() })
let invocations = 0
export const handler = async () => ({
  initId, restoreId, invocations: ++invocations, size: table.size, last: table.get('k9999'),
  random: Math.random(), uuid: crypto.randomUUID(), type: process.env.AWS_LAMBDA_INITIALIZATION_TYPE,
})`

interface Probe {
  initId: string
  restoreId: string | undefined
  invocations: number
  size: number
  last: number
  random: number
  uuid: string
  type: string
}

function probeOf(t: Test, result: InvokeResult): Probe {
  if (!result.ok) t.fail(`${result.error.errorType}: ${result.error.errorMessage}`)
  return (result.ok ? result.payload : {}) as Probe
}

async function deployProbe(host: Host, name: string, files: Record<string, string> = { 'index.mjs': probe }, applyOn = 'PublishedVersions') {
  await host.deploy({ name, runtime: 'quickjs', handler: 'index.handler', snapStart: { applyOn } as never, code: { files } })
}

function captureLog() {
  const lines: Record<string, unknown>[] = []
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) })
  return { logger, lines }
}

t.test('publishVersion runs INIT once; every new environment is restored with its state', async (t) => {
  await using host = await createHost()
  await deployProbe(host, 'probe')
  const version = await host.publishVersion('probe')
  t.equal(version.version, '1')
  t.match(version.functionArn, /:function:probe:1$/)
  t.same(version.snapStart, { applyOn: 'PublishedVersions', optimizationStatus: 'On' })

  const results = await Promise.all([host.invoke('probe:1'), host.invoke('probe:1'), host.invoke('probe', {}, { qualifier: '1' })])
  const probes = results.map((result) => probeOf(t, result))
  t.equal(new Set(probes.map((p) => p.initId)).size, 1, 'one INIT: every environment carries its id')
  t.equal(new Set(probes.map((p) => p.restoreId)).size, 3, 'each restore ran the after-restore hook itself')
  t.equal(new Set(probes.map((p) => p.random)).size, 3, 'Math.random is reseeded on every restore')
  t.equal(new Set(probes.map((p) => p.uuid)).size, 3, 'crypto.randomUUID differs between restored environments')
  for (const p of probes) t.match(p, { invocations: 1, size: 10000, last: 19998, type: 'snap-start' })
  for (const result of results) {
    t.type(result.report.restoreDurationMs, 'number')
    t.equal(result.report.initDurationMs, undefined)
    t.match(result.logs, /^RESTORE_START .*\nRESTORE_REPORT Restore Duration: [\d.]+ ms\nSTART /)
    t.match(result.logs, /Restore Duration: [\d.]+ ms\tBilled Restore Duration: \d+ ms\t\n$/)
    t.equal(result.executedVersion, '1')
  }

  const warm = probeOf(t, await host.invoke('probe:1'))
  t.equal(warm.invocations, 2, 'restored environments stay warm like any other')

  const latest = await host.invoke('probe')
  t.type(latest.report.initDurationMs, 'number', "with PublishedVersions, $LATEST still runs INIT")
  t.equal(probeOf(t, latest).type, 'on-demand')
})

t.test('versions: unchanged code publishes nothing new; a change publishes the next number', async (t) => {
  await using host = await createHost()
  await deployProbe(host, 'versions')
  t.equal((await host.publishVersion('versions')).version, '1')
  t.equal((await host.publishVersion('versions')).version, '1', 'nothing changed since version 1')
  await deployProbe(host, 'versions', { 'index.mjs': probe.replace('i * 2', 'i * 3') })
  t.equal((await host.publishVersion('versions')).version, '2')
  t.same(host.listVersions('versions').map((info) => info.version), ['$LATEST', '1', '2'])
  t.equal(probeOf(t, await host.invoke('versions:1')).last, 19998)
  t.equal(probeOf(t, await host.invoke('versions:2')).last, 29997)
  await t.rejects(host.invoke('versions:3'), { code: 'THAW_FUNCTION_NOT_FOUND' })
  await t.rejects(host.invoke('versions:1', {}, { qualifier: '2' }), { code: 'THAW_INVALID_CONFIG' })
})

t.test('hooks: before-snapshot in reverse order, after-restore in order; through import, require and the global', async (t) => {
  await using host = await createHost()
  await deployProbe(host, 'hooks', {
    'index.js': `const order = []
      const { registerBeforeSnapshot, registerAfterRestore } = require('thaw:snapstart')
      registerBeforeSnapshot(() => order.push('before 1'))
      registerBeforeSnapshot(async () => { await new Promise((r) => setTimeout(r, 5)); order.push('before 2') })
      thaw.snapstart.registerBeforeSnapshot(() => order.push('before 3'))
      registerAfterRestore(() => order.push('after 1'))
      thaw.snapstart.registerAfterRestore(async () => { await null; order.push('after 2') })
      exports.handler = async () => order`,
  })
  await host.publishVersion('hooks')
  const result = await host.invoke('hooks:1')
  t.same(result.ok ? result.payload : result.error, ['before 3', 'before 2', 'before 1', 'after 1', 'after 2'])
  const bad = await host.deploy({
    name: 'bad-hook', runtime: 'quickjs', handler: 'index.handler',
    code: { files: { 'index.js': 'require("thaw:snapstart").registerAfterRestore(42)\nexports.handler = async () => 1' } },
  }).then(() => host.invoke('bad-hook'))
  t.equal(bad.ok ? undefined : bad.error.errorType, 'TypeError', 'a hook must be a function')
})

t.test('a failing after-restore hook fails that restore; the next invocation tries a new one', async (t) => {
  await using host = await createHost()
  await deployProbe(host, 'restore-fails', {
    'index.mjs': `import { registerAfterRestore } from 'thaw:snapstart'
      let restores = 0
      registerAfterRestore(() => { throw new RangeError('cannot reconnect') })
      export const handler = async () => 'never'`,
  })
  await host.publishVersion('restore-fails')
  for (let attempt = 0; attempt < 2; attempt++) {
    const result = await host.invoke('restore-fails:1')
    t.equal(result.ok ? undefined : result.error.errorType, 'RangeError')
    t.equal(result.ok ? undefined : result.error.errorMessage, 'cannot reconnect')
    t.equal(result.report.status, 'error')
    t.match(result.logs, /RESTORE_START/)
  }
})

t.test('an INIT failure while publishing creates no version', async (t) => {
  await using host = await createHost()
  await deployProbe(host, 'init-fails', { 'index.mjs': 'throw new Error("no config")' })
  const error = await host.publishVersion('init-fails').catch((e: unknown) => e)
  t.ok(isThawError(error, 'THAW_SNAPSHOT_FAILED'))
  if (isThawError(error)) {
    t.equal(error.errorType, 'SnapStartException')
    t.match(error.message, /Error: no config/)
  }
  t.same(host.listVersions('init-fails').map((info) => info.version), ['$LATEST'])
})

t.test("applyOn 'All' snapshots $LATEST on its first INIT and again when the code changes", async (t) => {
  await using host = await createHost()
  await deployProbe(host, 'latest', undefined, 'All')
  const [a, b] = await Promise.all([host.invoke('latest'), host.invoke('latest')])
  t.equal(probeOf(t, a).initId, probeOf(t, b).initId, 'both environments restored from the one snapshot')
  t.type(a.report.restoreDurationMs, 'number')
  await deployProbe(host, 'latest', { 'index.mjs': `${probe}\n// changed` }, 'All')
  const changed = probeOf(t, await host.invoke('latest'))
  t.not(changed.initId, probeOf(t, a).initId, 'new code, new INIT, new snapshot')
})

t.test('snapshots on disk: a new host restores without INIT; a damaged file is refused and replaced', async (t) => {
  const dataDir = t.testdir()
  const first = await createHost({ dataDir })
  await deployProbe(first, 'stored')
  await first.publishVersion('stored')
  const original = probeOf(t, await first.invoke('stored:1')).initId
  await first.close()
  const files = (await readdir(path.join(dataDir, 'snapshots'))).filter((file) => file.endsWith('.snap'))
  t.equal(files.length, 1, 'one content-addressed snapshot file')
  const file = path.join(dataDir, 'snapshots', files[0] ?? '')

  // Another process: only the files are shared.
  const script = `
    import { createHost } from './dist/src/index.js'
    const host = await createHost({ dataDir: ${JSON.stringify(dataDir)} })
    await host.deploy({ name: 'stored', runtime: 'quickjs', handler: 'index.handler', snapStart: { applyOn: 'PublishedVersions' }, code: { files: { 'index.mjs': ${JSON.stringify(probe)} } } })
    await host.publishVersion('stored')
    const result = await host.invoke('stored:1')
    console.log(JSON.stringify(result.payload))
    await host.close()`
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: root })
  t.equal((JSON.parse(stdout) as Probe).initId, original, 'a fresh process restored the stored snapshot: INIT did not run')

  const damages: [string, (bytes: Buffer) => Buffer][] = [
    ['a flipped byte', (bytes) => Buffer.concat([bytes.subarray(0, -100), Buffer.from([bytes[bytes.length - 100]! ^ 0xff]), bytes.subarray(-99)])],
    ['a truncated file', (bytes) => bytes.subarray(0, bytes.length - 5000)],
    ['another engine build', (bytes) => Buffer.from(bytes.toString('latin1').replace(/"engineBuildHash":"[0-9a-f]/, '"engineBuildHash":"x'), 'latin1')],
    ['not a snapshot at all', () => Buffer.from('hello')],
  ]
  for (const [damage, apply] of damages) {
    await writeFile(file, apply(await readFile(file)))
    const { logger, lines } = captureLog()
    const host = await createHost({ dataDir, logger })
    await deployProbe(host, 'stored')
    await host.publishVersion('stored')
    const restarted = probeOf(t, await host.invoke('stored:1'))
    await host.close()
    const refusal = lines.find((line) => line.msg === 'snapshot refused; starting cold instead')
    t.ok(refusal, `${damage}: one log line says the snapshot was refused (${String(refusal?.reason)})`)
    t.not(restarted.initId, original, `${damage}: INIT ran again`)
    t.equal(restarted.size, 10000, `${damage}: and the function works`)
    const again = await createHost({ dataDir })
    await deployProbe(again, 'stored')
    await again.publishVersion('stored')
    t.equal(probeOf(t, await again.invoke('stored:1')).initId, restarted.initId, `${damage}: the file was replaced by a good one`)
    await again.close()
  }
})

t.test('an after-restore hook that runs past 10 s fails the restore with SnapStartTimeoutException', async (t) => {
  await using host = await createHost()
  await deployProbe(host, 'slow-hook', {
    'index.mjs': `import { registerAfterRestore } from 'thaw:snapstart'
      registerAfterRestore(() => new Promise((resolve) => setTimeout(resolve, 60_000)))
      export const handler = async () => 'never'`,
  })
  await host.publishVersion('slow-hook')
  const result = await host.invoke('slow-hook:1')
  t.equal(result.ok ? undefined : result.error.errorType, 'SnapStartTimeoutException')
  t.match(result.ok ? '' : result.error.errorMessage, /longer than 10\.00 seconds/)
})

t.test('a changed layer folder means a new version and a new snapshot, never a stale one', async (t) => {
  const root = t.testdir({ layer: { 'config.json': JSON.stringify({ colour: 'red' }) }, data: {} })
  const layer = path.join(root, 'layer')
  await using host = await createHost({ dataDir: path.join(root, 'data') })
  const deploy = () =>
    host.deploy({
      name: 'layered', runtime: 'quickjs', handler: 'index.handler', snapStart: { applyOn: 'All' },
      layers: [{ dir: layer }],
      code: { files: { 'index.mjs': `import fs from 'node:fs'\nconst { colour } = JSON.parse(fs.readFileSync('/opt/config.json', 'utf8'))\nexport const handler = async () => colour` } },
    })
  await deploy()
  t.equal((await host.publishVersion('layered')).version, '1')
  const latest = await host.invoke('layered')
  t.equal(latest.ok ? latest.payload : latest.error.errorMessage, 'red')
  await writeFile(path.join(layer, 'config.json'), JSON.stringify({ colour: 'blue' }))
  await deploy()
  t.equal((await host.publishVersion('layered')).version, '2', 'the layer changed: a new version')
  for (const [name, colour] of [['layered:1', 'red'], ['layered:2', 'blue'], ['layered', 'blue']] as const) {
    host.evictIdle()
    const result = await host.invoke(name)
    t.equal(result.ok ? result.payload : result.error.errorMessage, colour, `${name} restored its own snapshot`)
  }
})
