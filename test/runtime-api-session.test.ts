/**
 * RuntimeApiSession (runtime-api/session.ts): the one Runtime API state machine behind every
 * transport. These tests drive both of its sides directly — the runtime side (next, respond,
 * error, initError) and the platform side (invoke, abort, close) — and check each rule.
 */
import t, { type Test } from 'tap'
import { isThawError, type FunctionError } from '../src/index.js'
import {
  MAX_RESPONSE_BYTES,
  RuntimeApiSession,
  type Invocation,
  type InvocationOutcome,
} from '../runtime-api/session.js'


const PENDING = Symbol('pending')

/** The promise's value if it has settled once every queued job has run, else PENDING. */
async function peek<T>(promise: Promise<T>): Promise<T | typeof PENDING> {
  let value: T | typeof PENDING = PENDING
  promise.then((settled) => {
    value = settled
  })
  await new Promise((resolve) => setImmediate(resolve))
  return value
}

let counter = 0
function invocation(overrides: Partial<Invocation> = {}): Invocation {
  counter += 1
  return {
    requestId: `req-${counter}`,
    deadlineMs: 1_700_000_000_000 + counter,
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    payload: JSON.stringify({ n: counter }),
    ...overrides,
  }
}

const someError: FunctionError = { errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom', '    at handler (/var/task/index.mjs:1:1)'] }

function expectThrows(
  t: Test,
  label: string,
  action: () => unknown,
  expected: { code: string; errorType: string; httpStatus: number },
): void {
  let thrown: unknown
  try {
    action()
  } catch (error) {
    thrown = error
  }
  if (!isThawError(thrown)) {
    t.fail(`${label}: expected ${expected.code}, got ${thrown === undefined ? 'no error' : String(thrown)}`)
    return
  }
  t.equal(thrown.code, expected.code, `${label}: code (${thrown.message})`)
  t.equal(thrown.errorType, expected.errorType, `${label}: errorType`)
  t.equal(thrown.httpStatus, expected.httpStatus, `${label}: HTTP status`)
}

const INVALID_STATE = { code: 'THAW_INVALID_STATE_TRANSITION', errorType: 'InvalidStateTransition', httpStatus: 403 } as const
const INVALID_ID = { code: 'THAW_INVALID_REQUEST_ID', errorType: 'InvalidRequestID', httpStatus: 400 } as const
const TOO_LARGE = { code: 'THAW_RESPONSE_TOO_LARGE', errorType: 'RequestEntityTooLarge', httpStatus: 413 } as const

/** A session past INIT with `inv` delivered; returns the caller's outcome promise. */
function inFlight(inv: Invocation = invocation()): { session: RuntimeApiSession; outcome: Promise<InvocationOutcome>; inv: Invocation } {
  const session = new RuntimeApiSession()
  session.next(() => {})
  const outcome = session.invoke(inv)
  return { session, outcome, inv }
}

t.test('INIT: the first next() settles initialized as ok', async (t) => {
  const session = new RuntimeApiSession()
  t.equal(session.state, 'initializing')
  t.equal(session.currentRequestId, undefined)
  t.equal(await peek(session.initialized), PENDING, 'initialized is pending until the runtime asks for work')
  let delivered = 0
  session.next(() => {
    delivered += 1
  })
  t.equal(session.state, 'ready')
  t.same(await session.initialized, { ok: true })
  t.equal(delivered, 0, 'nothing is delivered before an invoke')
  expectThrows(t, 'initError after INIT ended', () => session.initError(someError), INVALID_STATE)
  t.equal(session.state, 'ready', 'a refused call changes nothing')
})

t.test('INIT: initError settles initialized as failed, with the error', async (t) => {
  const session = new RuntimeApiSession()
  const error: FunctionError = { errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'index'", trace: [] }
  session.initError(error, 'Runtime.ImportModuleError')
  t.equal(session.state, 'init-failed')
  t.same(await session.initialized, { ok: false, error, errorTypeHeader: 'Runtime.ImportModuleError' })
  expectThrows(t, 'next after init-failed', () => session.next(() => {}), INVALID_STATE)
  expectThrows(t, 'initError twice', () => session.initError(error), INVALID_STATE)
  expectThrows(t, 'invoke after init-failed', () => session.invoke(invocation()), INVALID_STATE)
  expectThrows(t, 'respond after init-failed', () => session.respond('req', '{}'), INVALID_STATE)
  t.same(await session.initialized, { ok: false, error, errorTypeHeader: 'Runtime.ImportModuleError' }, 'settled once')
})

t.test('INIT: an invocation queued during INIT gets the INIT error when INIT fails', async (t) => {
  // "Lambda returns that error to the first invoke" (lambda-interfaces §1.6); a queued invoke must not hang.
  const session = new RuntimeApiSession()
  const outcome = session.invoke(invocation())
  const error: FunctionError = { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: 'SyntaxError: bad', trace: [] }
  session.initError(error)
  const settled = await peek(outcome)
  t.not(settled, PENDING, 'the queued invoke settles')
  if (settled !== PENDING) t.match(settled, { kind: 'error', error }, 'with the INIT error')
})

t.test('an invoke before next() is queued and delivered on next()', async (t) => {
  const session = new RuntimeApiSession()
  const inv = invocation({ traceId: 'Root=1-abc', clientContext: '{"custom":{}}', cognitoIdentity: '{}', tenantId: 'tenant-1' })
  const outcome = session.invoke(inv)
  t.equal(session.state, 'initializing', 'queued: INIT is not over')
  t.equal(session.currentRequestId, undefined, 'nothing in flight yet')
  const delivered: Invocation[] = []
  session.next((next) => delivered.push(next))
  t.same(delivered, [inv], 'delivered at once, exactly as queued (all headers)')
  t.equal(session.state, 'invoking')
  t.equal(session.currentRequestId, inv.requestId)
  t.same(await session.initialized, { ok: true })
  t.equal(await peek(outcome), PENDING, 'the outcome waits for the runtime')
  session.respond(inv.requestId, '{"done":true}')
  t.same(await outcome, { kind: 'response', body: '{"done":true}' })
  t.equal(session.state, 'responded')
  t.equal(session.currentRequestId, undefined)
})

t.test('next() then invoke(): delivered at once; the session cycles', async (t) => {
  const session = new RuntimeApiSession()
  const delivered: string[] = []
  const runtime = (next: Invocation) => delivered.push(next.requestId)
  session.next(runtime)
  const first = invocation()
  const firstOutcome = session.invoke(first)
  t.same(delivered, [first.requestId])
  session.respond(first.requestId, '1')
  t.same(await firstOutcome, { kind: 'response', body: '1' })

  // Responded: the next invoke waits for the runtime's next().
  const second = invocation()
  const secondOutcome = session.invoke(second)
  t.equal(session.state, 'responded')
  t.same(delivered, [first.requestId], 'not delivered before next()')
  session.next(runtime)
  t.same(delivered, [first.requestId, second.requestId])
  session.error(second.requestId, someError, JSON.stringify(someError), 'Unhandled')
  t.same(await secondOutcome, { kind: 'error', error: someError, body: JSON.stringify(someError), errorTypeHeader: 'Unhandled' })

  // An invoke after next() is already waiting.
  session.next(runtime)
  t.equal(session.state, 'ready')
  const third = invocation()
  const thirdOutcome = session.invoke(third)
  t.equal(session.state, 'invoking')
  session.respond(third.requestId, '')
  t.same(await thirdOutcome, { kind: 'response', body: '' }, 'an empty body is a response')
  t.same(delivered, [first.requestId, second.requestId, third.requestId], 'each runtime callback ran once per delivery')
})

t.test('error() settles the outcome as a function error', async (t) => {
  const { session, outcome, inv } = inFlight()
  session.error(inv.requestId, someError, '{"errorType":"Error","errorMessage":"boom","trace":[]}')
  const settled = await outcome
  t.same(settled, { kind: 'error', error: someError, body: '{"errorType":"Error","errorMessage":"boom","trace":[]}', errorTypeHeader: undefined })
  t.equal(session.state, 'responded')
  expectThrows(t, 'error after error', () => session.error(inv.requestId, someError, ''), INVALID_STATE)
  expectThrows(t, 'respond after error', () => session.respond(inv.requestId, '{}'), INVALID_STATE)
})

t.test('a wrong request id is InvalidRequestID (400) and changes nothing', async (t) => {
  const { session, outcome, inv } = inFlight()
  expectThrows(t, 'respond with a wrong id', () => session.respond('not-the-id', '{}'), INVALID_ID)
  expectThrows(t, 'error with a wrong id', () => session.error('not-the-id', someError, ''), INVALID_ID)
  expectThrows(t, 'respond with an empty id', () => session.respond('', '{}'), INVALID_ID)
  t.equal(session.state, 'invoking', 'still invoking')
  t.equal(session.currentRequestId, inv.requestId)
  t.equal(await peek(outcome), PENDING, 'the outcome is not settled by a wrong id')
  session.respond(inv.requestId, '"right"')
  t.same(await outcome, { kind: 'response', body: '"right"' }, 'the right id still answers')
  // A stale id from the previous invocation, once the next one is in flight.
  session.next(() => {})
  const next = invocation()
  const nextOutcome = session.invoke(next)
  expectThrows(t, 'respond with the previous id', () => session.respond(inv.requestId, '{}'), INVALID_ID)
  session.respond(next.requestId, '2')
  t.same(await nextOutcome, { kind: 'response', body: '2' })
})

t.test('calls in the wrong state are InvalidStateTransition (403)', async (t) => {
  const fresh = new RuntimeApiSession()
  expectThrows(t, 'respond during INIT', () => fresh.respond('req', '{}'), INVALID_STATE)
  expectThrows(t, 'error during INIT', () => fresh.error('req', someError, ''), INVALID_STATE)
  t.equal(fresh.state, 'initializing')

  const ready = new RuntimeApiSession()
  ready.next(() => {})
  expectThrows(t, 'respond with no invocation', () => ready.respond('req', '{}'), INVALID_STATE)
  expectThrows(t, 'error with no invocation', () => ready.error('req', someError, ''), INVALID_STATE)
  expectThrows(t, 'next twice', () => ready.next(() => {}), INVALID_STATE)
  t.equal(ready.state, 'ready')

  const { session, outcome, inv } = inFlight()
  expectThrows(t, 'next while invoking', () => session.next(() => {}), INVALID_STATE)
  t.equal(session.state, 'invoking')
  session.respond(inv.requestId, 'first')
  expectThrows(t, 'respond twice', () => session.respond(inv.requestId, 'second'), INVALID_STATE)
  expectThrows(t, 'error after respond', () => session.error(inv.requestId, someError, ''), INVALID_STATE)
  t.same(await outcome, { kind: 'response', body: 'first' }, 'the first response stands')
})

t.test('a response over 6 MiB + 100 bytes is RequestEntityTooLarge; the caller gets Function.ResponseSizeTooLarge', async (t) => {
  t.equal(MAX_RESPONSE_BYTES, 6 * 1024 * 1024 + 100)
  t.equal(MAX_RESPONSE_BYTES, 6_291_556, "RIE's limit")

  const atLimit = inFlight()
  atLimit.session.respond(atLimit.inv.requestId, 'x'.repeat(MAX_RESPONSE_BYTES))
  const ok = await atLimit.outcome
  t.equal(ok.kind, 'response', 'exactly the limit is accepted')
  t.equal(ok.kind === 'response' ? ok.body.length : -1, MAX_RESPONSE_BYTES)

  const over = inFlight()
  expectThrows(t, 'one byte over', () => over.session.respond(over.inv.requestId, 'x'.repeat(MAX_RESPONSE_BYTES + 1)), TOO_LARGE)
  const outcome = await over.outcome
  t.equal(outcome.kind, 'error')
  if (outcome.kind === 'error') {
    t.equal(outcome.error.errorType, 'Function.ResponseSizeTooLarge')
    t.match(outcome.error.errorMessage, String(MAX_RESPONSE_BYTES + 1), 'the message gives the size')
    t.same(outcome.error.trace, [], 'a platform error has an empty trace')
  }
  t.equal(over.session.state, 'responded', 'the invocation is over')
  expectThrows(t, 'respond again after the 413', () => over.session.respond(over.inv.requestId, '{}'), INVALID_STATE)

  // The limit is in UTF-8 bytes, not characters.
  const multiByte = inFlight()
  const euros = '€'.repeat(Math.floor(MAX_RESPONSE_BYTES / 3) + 1) // fewer characters than the limit, more bytes
  t.ok(euros.length < MAX_RESPONSE_BYTES)
  expectThrows(t, 'multi-byte response over the limit', () => multiByte.session.respond(multiByte.inv.requestId, euros), TOO_LARGE)
  t.match(await multiByte.outcome, { kind: 'error', error: { errorType: 'Function.ResponseSizeTooLarge' } })
})

t.test('abort() settles the invocation in flight and closes the session', async (t) => {
  const timeout: FunctionError = { errorType: 'Sandbox.Timedout', errorMessage: 'RequestId: r Error: Task timed out after 3.00 seconds', trace: [] }
  const { session, outcome, inv } = inFlight()
  session.abort(timeout)
  t.same(await outcome, { kind: 'error', error: timeout, body: JSON.stringify(timeout) }, 'the caller gets the platform error')
  t.equal(session.state, 'closed')
  t.equal(session.currentRequestId, undefined)
  expectThrows(t, 'respond after abort', () => session.respond(inv.requestId, '{}'), INVALID_STATE)
  expectThrows(t, 'next after abort', () => session.next(() => {}), INVALID_STATE)
  expectThrows(t, 'invoke after abort', () => session.invoke(invocation()), INVALID_STATE)
  t.same(await session.initialized, { ok: true }, 'INIT had already succeeded')

  // A queued invocation (runtime not yet asking) is settled too, and never delivered.
  const queuedSession = new RuntimeApiSession()
  queuedSession.next(() => {})
  const first = invocation()
  const firstOutcome = queuedSession.invoke(first)
  queuedSession.respond(first.requestId, '1')
  await firstOutcome
  let deliveredAfterAbort = 0
  const queued = queuedSession.invoke(invocation())
  queuedSession.abort(timeout)
  t.match(await queued, { kind: 'error', error: timeout }, 'a queued invoke gets the abort error')
  t.equal(deliveredAfterAbort, 0)
  expectThrows(
    t,
    'next after abort of a queued invoke',
    () =>
      queuedSession.next(() => {
        deliveredAfterAbort += 1
      }),
    INVALID_STATE,
  )
  t.equal(deliveredAfterAbort, 0, 'nothing is delivered once closed')

  // abort() with nothing in flight just closes.
  const idle = new RuntimeApiSession()
  idle.next(() => {})
  idle.abort(timeout)
  t.equal(idle.state, 'closed')
})

t.test('abort() during INIT settles initialized as failed', async (t) => {
  const session = new RuntimeApiSession()
  const oom: FunctionError = { errorType: 'Runtime.OutOfMemory', errorMessage: 'Runtime exited with error: signal: killed', trace: [] }
  session.abort(oom)
  t.same(await session.initialized, { ok: false, error: oom })
  t.equal(session.state, 'closed')
  expectThrows(t, 'next after abort during INIT', () => session.next(() => {}), INVALID_STATE)

  // With an invocation queued during INIT: both INIT and the invocation fail with the error.
  const queuedSession = new RuntimeApiSession()
  const outcome = queuedSession.invoke(invocation())
  queuedSession.abort(oom)
  t.same(await queuedSession.initialized, { ok: false, error: oom })
  t.match(await outcome, { kind: 'error', error: oom })
})

t.test('one invocation at a time: a second concurrent invoke() throws', async (t) => {
  const queuedSession = new RuntimeApiSession()
  const first = invocation()
  const firstOutcome = queuedSession.invoke(first)
  expectThrows(t, 'second invoke while one is queued', () => queuedSession.invoke(invocation()), INVALID_STATE)
  let delivered: Invocation | undefined
  queuedSession.next((next) => {
    delivered = next
  })
  t.equal(delivered, first, 'the first invocation, not the refused one, is delivered')
  expectThrows(t, 'second invoke while one is in flight', () => queuedSession.invoke(invocation()), INVALID_STATE)
  queuedSession.respond(first.requestId, 'ok')
  t.same(await firstOutcome, { kind: 'response', body: 'ok' })
  // Once settled, the next invoke is accepted.
  const second = queuedSession.invoke(invocation())
  t.equal(await peek(second), PENDING, 'accepted and queued for the next next()')

  const closed = new RuntimeApiSession()
  closed.close()
  t.equal(closed.state, 'closed')
  expectThrows(t, 'invoke on a closed session', () => closed.invoke(invocation()), INVALID_STATE)
})
