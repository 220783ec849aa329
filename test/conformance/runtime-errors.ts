import type { Test } from 'tap'
import { isThawError } from '../../src/index.js'
import { deployFiles, hostFor } from './fixture.js'
import { startLinePattern, type ConformanceMode } from './mode.js'

/** Every Runtime.* error of lambda-interfaces §4.3-4.4 that a QuickJS function can meet. */
export async function runtimeErrors(t: Test, mode: ConformanceMode): Promise<void> {
  const host = await hostFor(t, mode)
  const failure = async (files: Record<string, string>, handler = 'index.handler') => {
    const fn = await deployFiles(host, mode, files, { handler })
    const result = await fn.invoke()
    if (result.ok) throw new Error(`expected a failure, got ${result.rawPayload}`)
    return result
  }

  t.test('a malformed handler string is refused at deploy', async (t) => {
    for (const handler of ['index', 'index.', '.handler', 'a/../b.handler']) {
      const error = await deployFiles(host, mode, { 'index.js': '' }, { handler }).then(
        () => undefined,
        (error: unknown) => error,
      )
      t.ok(isThawError(error, 'THAW_INVALID_CONFIG'), `${handler}: refused with THAW_INVALID_CONFIG`)
      if (isThawError(error)) {
        t.equal(error.field, 'handler')
        t.match(error.message, /Runtime\.MalformedHandlerName/)
      }
    }
  })

  t.test('Runtime.ImportModuleError: the handler module does not exist', async (t) => {
    const { error } = await failure({ 'index.js': '' }, 'missing.handler')
    t.equal(error.errorType, 'Runtime.ImportModuleError')
    t.match(error.errorMessage, /Cannot find module 'missing'/)
  })

  t.test('Runtime.ImportModuleError: a dependency is missing (CommonJS and ESM)', async (t) => {
    const cjs = await failure({ 'index.js': 'require("not-installed")\nexports.handler = async () => 1' })
    t.equal(cjs.error.errorType, 'Runtime.ImportModuleError')
    t.match(cjs.error.errorMessage, /not-installed/)
    const esm = await failure({ 'index.mjs': 'import "./nope.mjs"\nexport const handler = async () => 1' })
    t.equal(esm.error.errorType, 'Runtime.ImportModuleError')
    t.match(esm.error.errorMessage, /nope\.mjs/)
  })

  t.test('Runtime.ImportModuleError: a Node builtin the guest platform lacks, named (import and require, node: and bare)', async (t) => {
    const cases: { files: Record<string, string>; name: string }[] = [
      { files: { 'index.mjs': 'import http from "node:http"\nexport const handler = async () => 1' }, name: 'node:http' },
      { files: { 'index.mjs': 'import { fork } from "child_process"\nexport const handler = async () => 1' }, name: 'child_process' },
      { files: { 'index.js': 'const net = require("net")\nexports.handler = async () => 1' }, name: 'net' },
      { files: { 'index.js': 'require("node:worker_threads")\nexports.handler = async () => 1' }, name: 'node:worker_threads' },
    ]
    for (const { files, name } of cases) {
      const { error } = await failure(files)
      t.equal(error.errorType, 'Runtime.ImportModuleError', name)
      t.match(error.errorMessage, `Cannot find module '${name}': Thaw's QuickJS platform does not provide this Node.js builtin`)
    }
  })

  t.test('Runtime.UserCodeSyntaxError (CommonJS and ESM)', async (t) => {
    const cjs = await failure({ 'index.js': 'exports.handler = async () => {' })
    t.equal(cjs.error.errorType, 'Runtime.UserCodeSyntaxError')
    t.match(cjs.error.errorMessage, /^SyntaxError: /)
    const esm = await failure({ 'index.mjs': 'export const handler = async () => { return 1 +* 2 }' })
    t.equal(esm.error.errorType, 'Runtime.UserCodeSyntaxError')
  })

  t.test('Runtime.HandlerNotFound: not exported, or not a function', async (t) => {
    const missing = await failure({ 'index.mjs': 'export const other = async () => 1' })
    t.equal(missing.error.errorType, 'Runtime.HandlerNotFound')
    t.equal(missing.error.errorMessage, 'index.handler is undefined or not exported')
    const notFunction = await failure({ 'index.js': 'exports.handler = 42' })
    t.equal(notFunction.error.errorType, 'Runtime.HandlerNotFound')
    t.equal(notFunction.error.errorMessage, 'index.handler is not a function')
  })

  t.test('an INIT error goes to the first invoke, and every new environment runs INIT again', async (t) => {
    const fn = await deployFiles(host, mode, { 'index.js': 'console.log("init ran")\nthrow new Error("config missing")' })
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await fn.invoke()
      t.equal(result.ok ? undefined : result.error.errorType, 'Error')
      t.equal(result.ok ? undefined : result.error.errorMessage, 'config missing')
      t.match(result.logs, /INIT_START/)
      t.match(result.logs, /init ran/)
      t.equal(result.report.status, 'error')
    }
  })

  t.test('an uncaught error in a timer fails the invocation and resets the environment', async (t) => {
    const fn = await deployFiles(host, mode, {
      'index.js': `let invocations = 0
      exports.handler = (event, context, callback) => {
        invocations++
        if (event.explode) setTimeout(() => { throw new Error('from a timer') }, 1)
        else callback(null, invocations)
      }`,
    })
    await fn.invoke()
    const exploded = await fn.invoke({ explode: true })
    t.equal(exploded.ok ? undefined : exploded.error.errorMessage, 'from a timer')
    t.match(exploded.logs, /Uncaught Exception/)
    const after = await fn.invoke()
    t.equal(after.ok ? after.payload : undefined, 1, 'a fresh environment: module state starts over')
    t.match(after.logs, startLinePattern(mode))
  })

  t.test('process.exit() ends the invocation with Runtime.ExitError', async (t) => {
    const fn = await deployFiles(host, mode, { 'index.js': 'exports.handler = async () => { process.exit(3) }' })
    const result = await fn.invoke()
    t.equal(result.ok ? undefined : result.error.errorType, 'Runtime.ExitError')
    t.match(result.ok ? '' : result.error.errorMessage, /exit status 3/)
  })

  t.test('Sandbox.Timedout: waiting past the deadline, and a busy loop', async (t) => {
    const waits = await deployFiles(host, mode, { 'index.mjs': 'export const handler = () => new Promise((r) => setTimeout(r, 60_000))' }, { timeoutMs: 1000 })
    const waited = await waits.invoke()
    t.equal(waited.ok ? undefined : waited.error.errorType, 'Sandbox.Timedout')
    t.match(waited.ok ? '' : waited.error.errorMessage, /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/)
    t.equal(waited.report.status, 'timeout')
    t.match(waited.logs, /Status: timeout/)

    const spins = await deployFiles(host, mode, { 'index.mjs': 'export const handler = async (e) => { if (e.spin) for (;;) {} ; return "alive" }' }, { timeoutMs: 1000 })
    const spun = await spins.invoke({ spin: true })
    t.equal(spun.ok ? undefined : spun.error.errorType, 'Sandbox.Timedout')
    const next = await spins.invoke({})
    t.equal(next.ok ? next.payload : undefined, 'alive', 'the next invocation gets a fresh environment')
  })

  t.test("deep recursion hits the engine's stack limit as a catchable error, not a crash", async (t) => {
    const fn = await deployFiles(host, mode, {
      'index.mjs': 'const f = (n) => f(n + 1) + 1\nexport const handler = async () => { try { f(0) } catch (e) { return [e instanceof RangeError ? e.name : "not a RangeError", e.message] } }',
    })
    const result = await fn.invoke()
    // QuickJS's message ("stack overflow") differs from V8's; the class is RangeError, as in Node.
    t.same(result.ok ? result.payload : result.error, ['RangeError', 'stack overflow'])
    const again = await fn.invoke()
    t.equal(again.ok, true, 'the environment stays usable')
  })
}
