import type { Test } from 'tap'
import { deployFiles, functionLines, hostFor } from './fixture.js'
import { startedNewEnvironment, type ConformanceMode } from './mode.js'

const ISO = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z'

/** Lambda's log lines: console levels, text and JSON formats, START/END/REPORT, INIT output. */
export async function logs(t: Test, mode: ConformanceMode): Promise<void> {
  const host = await hostFor(t, mode)
  const consoleHandler = {
    'index.mjs': `console.log('during init')
      export const handler = async () => {
        console.log('log', 1)
        console.info('info')
        console.warn('warn')
        console.error('error')
        console.debug('debug')
        console.trace('trace')
        console.fatal('fatal')
        console.log('two\\nlines')
        console.log('%s is %d', 'answer', 42, { nested: { deep: true } })
        return 'ok'
      }`,
  }

  t.test('text format: every console level, tab-separated, newlines folded to \\r', async (t) => {
    const fn = await deployFiles(host, mode, consoleHandler)
    const result = await fn.invoke()
    const all = functionLines(result)
    // INIT's output belongs to the invocation that waited for it: the cold one, or under SnapStart
    // the one that made the snapshot (on $LATEST with applyOn 'All').
    t.match(all[0], new RegExp(`^${ISO}\tundefined\tINFO\tduring init$`), 'INIT output has no request id')
    const lines = all.slice(1)
    const levels = lines.map((line) => line.split('\t')[2])
    t.same(levels, ['INFO', 'INFO', 'WARN', 'ERROR', 'DEBUG', 'TRACE', 'FATAL', 'INFO', 'INFO'])
    t.match(lines[0], new RegExp(`^${ISO}\t${result.requestId}\tINFO\tlog 1$`))
    t.equal(lines[7]?.split('\t')[3], 'two\rlines')
    t.equal(lines[8]?.split('\t')[3], 'answer is 42 { nested: { deep: true } }')
  })

  t.test('START, END and REPORT; INIT output (or the restore) comes before START on a cold start only', async (t) => {
    const fn = await deployFiles(host, mode, consoleHandler, { memoryMb: 192 })
    const cold = await fn.invoke()
    const lines = cold.logs.replace(/\n$/, '').split('\n')
    const start = lines.indexOf(`START RequestId: ${cold.requestId} Version: $LATEST`)
    const opening = mode.startPhase === 'init'
      ? [/^INIT_START Runtime Version: thaw-quickjs:/, /during init/]
      : [/^INIT_START Runtime Version: thaw-quickjs:/, /during init/, /^INIT_REPORT Init Duration: \d+\.\d{2} ms\tPhase: init\tStatus: success$/, /^RESTORE_START Runtime Version: thaw-quickjs:/, /^RESTORE_REPORT Restore Duration: \d+\.\d{2} ms$/]
    t.equal(start, opening.length, 'START follows the lines that opened the environment')
    opening.forEach((pattern, index) => t.match(lines[index], pattern))
    t.equal(lines.at(-2), `END RequestId: ${cold.requestId}`)
    const report = lines.at(-1) ?? ''
    const started = mode.startPhase === 'init' ? 'Init Duration: \\d+\\.\\d{2} ms\t' : 'Restore Duration: \\d+\\.\\d{2} ms\tBilled Restore Duration: \\d+ ms\t'
    t.match(
      report,
      new RegExp(
        `^REPORT RequestId: ${cold.requestId}\tDuration: \\d+\\.\\d{2} ms\tBilled Duration: \\d+ ms\tMemory Size: 192 MB\tMax Memory Used: \\d+ MB\tFuel Used: \\d+\t${started}$`,
      ),
    )
    t.equal(cold.report.billedDurationMs, Math.max(1, Math.ceil(cold.report.durationMs)))
    t.ok(cold.report.maxMemoryUsedMb >= 16 && cold.report.maxMemoryUsedMb <= 192, `Max Memory Used ${cold.report.maxMemoryUsedMb} MB is the Wasm memory`)
    t.ok(startedNewEnvironment(mode, cold))

    const warm = await fn.invoke()
    t.notMatch(warm.logs, /INIT_START|RESTORE_START|during init|Init Duration|Restore Duration/)
    t.notOk(startedNewEnvironment(mode, warm))
  })

  t.test('JSON format: application records and platform records, filtered by level', async (t) => {
    const fn = await deployFiles(host, mode, {
      'index.mjs': `export const handler = async () => {
        console.info({ structured: true })
        console.debug('dropped below INFO')
        console.warn('several', 'args', 3)
        console.error('failed', new TypeError('bad'))
        return 1
      }`,
    }, { logFormat: 'json' })
    const result = await fn.invoke()
    const records = result.logs.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    const types = records.map((record) => record.type ?? record.level)
    const opening = mode.startPhase === 'init' ? ['platform.initStart'] : ['platform.initStart', 'platform.initReport', 'platform.restoreStart', 'platform.restoreReport']
    t.same(types, [...opening, 'platform.start', 'INFO', 'WARN', 'ERROR', 'platform.runtimeDone', 'platform.report'])
    const [info, warn, error] = records.filter((record) => record.level !== undefined)
    t.same(info?.message, { structured: true }, 'a single argument keeps its JSON type')
    t.equal(info?.requestId, result.requestId)
    t.equal(warn?.message, 'several args 3')
    t.equal(error?.errorType, 'TypeError')
    t.equal(error?.errorMessage, 'bad')
    const report = records.at(-1)?.record as { metrics: Record<string, number>; requestId: string }
    t.equal(report.requestId, result.requestId)
    t.equal(report.metrics.memorySizeMB, 128)
    t.type(mode.startPhase === 'init' ? report.metrics.initDurationMs : report.metrics.restoreDurationMs, 'number')

    const quiet = await deployFiles(host, mode, { 'index.mjs': 'export const handler = async () => { console.info("hidden"); console.error("shown") }' }, {
      logFormat: 'json',
      applicationLogLevel: 'ERROR',
    })
    const lines = functionLines(await quiet.invoke()).map((line) => (JSON.parse(line) as { message: string }).message)
    t.same(lines, ['shown'])
  })
}
