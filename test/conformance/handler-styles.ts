import type { Test } from 'tap'
import { deployFiles, hostFor, payloadOf } from './fixture.js'
import type { ConformanceMode } from './mode.js'

/** Async, promise-returning, callback and sync handlers, with Lambda's Node completion rules. */
export async function handlerStyles(t: Test, mode: ConformanceMode): Promise<void> {
  const host = await hostFor(t, mode)

  t.test('an async handler resolves to the payload', async (t) => {
    const fn = await deployFiles(host, mode, { 'index.mjs': 'export const handler = async (event) => ({ got: event.value * 2 })' })
    t.same(payloadOf(t, await fn.invoke({ value: 21 })), { got: 42 })
  })

  t.test('a plain function returning a promise counts as async', async (t) => {
    const fn = await deployFiles(host, mode, {
      'index.js': 'exports.handler = (event) => new Promise((resolve) => setTimeout(() => resolve(event.n + 1), 5))',
    })
    t.equal(payloadOf(t, await fn.invoke({ n: 1 })), 2)
  })

  t.test('undefined becomes null; strings and arrays pass through as JSON', async (t) => {
    const fn = await deployFiles(host, mode, {
      'index.mjs': 'export const handler = async (event) => event.kind === "none" ? undefined : event.kind === "text" ? "hi" : [1, "a"]',
    })
    const none = await fn.invoke({ kind: 'none' })
    t.equal(none.rawPayload, 'null')
    t.equal(payloadOf(t, await fn.invoke({ kind: 'text' })), 'hi')
    t.same(payloadOf(t, await fn.invoke({ kind: 'list' })), [1, 'a'])
  })

  t.test('a rejected promise is the function error', async (t) => {
    const fn = await deployFiles(host, mode, { 'index.mjs': 'export const handler = async () => { throw new TypeError("bad input") }' })
    const result = await fn.invoke()
    t.equal(result.ok, false)
    if (!result.ok) {
      t.equal(result.error.errorType, 'TypeError')
      t.equal(result.error.errorMessage, 'bad input')
      t.equal(result.error.trace[0], 'TypeError: bad input')
      t.match(result.error.trace.join('\n'), /index\.mjs/)
    }
  })

  t.test('throwing a non-Error reports its type, as Lambda does', async (t) => {
    const fn = await deployFiles(host, mode, { 'index.mjs': 'export const handler = async () => { throw "plain text" }' })
    const result = await fn.invoke()
    t.same(result.ok ? undefined : result.error, { errorType: 'string', errorMessage: 'plain text', trace: [] })
  })

  t.test('callback(null, value) waits for the event loop to be empty', async (t) => {
    const fn = await deployFiles(host, mode, {
      'index.js': `exports.handler = (event, context, callback) => {
        const state = { timerFired: false }
        setTimeout(() => { state.timerFired = true }, 20)
        callback(null, state)
      }`,
    })
    t.same(payloadOf(t, await fn.invoke()), { timerFired: true }, 'serialised after the pending timer ran')
  })

  t.test('with callbackWaitsForEmptyEventLoop = false the response goes at once; timers stay frozen for the next invoke', async (t) => {
    const fn = await deployFiles(host, mode, {
      'index.js': `let fired = 0
      exports.handler = (event, context, callback) => {
        if (event.check) { setTimeout(() => callback(null, { fired }), 0); return }
        context.callbackWaitsForEmptyEventLoop = false
        setTimeout(() => { fired += 1 }, 1)
        callback(null, { fired })
      }`,
    })
    t.same(payloadOf(t, await fn.invoke({})), { fired: 0 })
    await new Promise((resolve) => setTimeout(resolve, 20))
    t.same(payloadOf(t, await fn.invoke({ check: true })), { fired: 1 }, 'the frozen timer ran when the environment thawed')
  })

  t.test('the first completion wins', async (t) => {
    const fn = await deployFiles(host, mode, {
      'index.js': `exports.handler = (event, context, callback) => {
        context.callbackWaitsForEmptyEventLoop = false
        callback(null, 'first')
        callback(null, 'second')
        callback(new Error('third'))
      }`,
    })
    t.equal(payloadOf(t, await fn.invoke()), 'first')
  })

  t.test('callback(error) fails at once', async (t) => {
    const fn = await deployFiles(host, mode, {
      'index.js': `exports.handler = (event, context, callback) => { setTimeout(() => {}, 5000); callback(new RangeError('nope')) }`,
    })
    const result = await fn.invoke()
    t.equal(result.ok ? undefined : result.error.errorType, 'RangeError')
  })

  t.test('context.succeed / fail / done', async (t) => {
    const fn = await deployFiles(host, mode, {
      'index.js': `exports.handler = (event, context) => {
        if (event.use === 'succeed') context.succeed({ via: 'succeed' })
        else if (event.use === 'fail') context.fail(new Error('via fail'))
        else if (event.use === 'failEmpty') context.fail()
        else context.done(null, { via: 'done' })
      }`,
    })
    t.same(payloadOf(t, await fn.invoke({ use: 'succeed' })), { via: 'succeed' })
    t.same(payloadOf(t, await fn.invoke({ use: 'done' })), { via: 'done' })
    const failed = await fn.invoke({ use: 'fail' })
    t.equal(failed.ok ? undefined : failed.error.errorMessage, 'via fail')
    const empty = await fn.invoke({ use: 'failEmpty' })
    t.equal(empty.ok ? undefined : empty.error.errorType, 'string')
    t.equal(empty.ok ? undefined : empty.error.errorMessage, 'handled')
  })

  t.test('a sync handler that never calls back succeeds with null once the loop drains', async (t) => {
    const fn = await deployFiles(host, mode, {
      'index.js': 'let ran = false\nexports.handler = (event, context) => { setTimeout(() => { ran = true }, 5); return "ignored" }',
    })
    const result = await fn.invoke()
    t.equal(result.ok, true)
    t.equal(result.rawPayload, 'null', "a sync handler's return value is ignored, as in Lambda's Node runtime")
  })

  t.test('an async handler whose promise never settles ends in Runtime.NodeJsExit', async (t) => {
    const fn = await deployFiles(host, mode, { 'index.mjs': 'export const handler = () => new Promise(() => {})' })
    const result = await fn.invoke()
    t.equal(result.ok ? undefined : result.error.errorType, 'Runtime.NodeJsExit')
  })

  t.test('a response that cannot be serialised is the function error', async (t) => {
    const fn = await deployFiles(host, mode, {
      'index.mjs': 'export const handler = async () => { const a = {}; a.self = a; return a }',
    })
    const result = await fn.invoke()
    t.equal(result.ok ? undefined : result.error.errorType, 'TypeError')
  })
}
