/**
 * Thaw's Lambda runtime for QuickJS: the guest side of the Runtime API loop.
 *
 * Evaluated once per execution environment as a plain script. It takes the host bindings from
 * `globalThis.__thaw_host`, installs the globals a Node handler expects, and publishes its entry
 * points as `globalThis.__thaw_guest` (the host takes and deletes both). Then, like any custom
 * runtime: INIT loads the handler and asks for the next invocation; each invocation runs the
 * handler and posts its response or error, then asks for the next one.
 */
import type { GuestBootConfig, GuestEntryPoints, HostBindings } from '../../runtime-api/in-process-protocol.js'
import { createConsole, LEVELS, type Level } from './console.js'
import { toRapidError } from './errors.js'
import { installBase64 } from './globals/base64.js'
import { installStructuredClone } from './globals/structured-clone.js'
import { installTextEncoding } from './globals/text-encoding.js'
import { installUrl } from './globals/url.js'
import { loadHandler, type Handler } from './handler-loader.js'
import { createProcess, installCrypto, installPerformance } from './host-globals.js'
import { createLambdaContext, type InvocationHeaders } from './lambda-context.js'
import { ModuleSystem, REQUIRE_BY_PATH } from './modules.js'
import { Outbox } from './outbox.js'
import { TimerQueue } from './timers.js'

const global = globalThis as unknown as Record<string | symbol, unknown>
const host = global.__thaw_host as HostBindings
delete global.__thaw_host

const outbox = new Outbox()
const env: Record<string, string | undefined> = {}
const modules = new ModuleSystem(host)
const consoleSettings = { format: 'text' as 'text' | 'json', minimumLevel: 'TRACE' as Level, requestId: () => current?.requestId }

/** The invocation in flight: its request id, and whether it has been answered. */
let current: { requestId: string; done: boolean; handlerPromise: boolean } | undefined
let handler: Handler | undefined
let initializing = true
/** Runs once the event loop is empty (Node's `beforeExit`), for the invocation in flight. */
let beforeExit: (() => void) | undefined

const timers = new TimerQueue(() => outbox.touch(), (error) => uncaught(error))

// ── globals ──────────────────────────────────────────────────────────────────────────────────
global.global = globalThis
timers.install(global)
global.queueMicrotask = (callback: unknown) => {
  if (typeof callback !== 'function') throw new TypeError('The "callback" argument must be of type function')
  void Promise.resolve().then(() => {
    try {
      ;(callback as () => void)()
    } catch (error) {
      uncaught(error)
    }
  })
}
global.console = createConsole(outbox, consoleSettings)
installTextEncoding(global)
installBase64(global)
installStructuredClone(global)
installUrl(global)
installCrypto(global, host)
installPerformance(global, host)
global.process = createProcess(env, (code) => {
  outbox.post(['exit', code])
  throw new Error(`process.exit(${code}) called`)
})
global[REQUIRE_BY_PATH] = (path: string, format: string) => modules.requireFile(path, format)

// ── the runtime loop ─────────────────────────────────────────────────────────────────────────
function next(): void {
  current = undefined
  beforeExit = undefined
  outbox.post(['next'])
}

function respond(requestId: string, result: unknown): void {
  let body: string
  try {
    body = JSON.stringify(result === undefined ? null : result)
  } catch (error) {
    postError(requestId, error)
    return
  }
  outbox.post(['response', requestId, body])
  next()
}

function postError(requestId: string, error: unknown): void {
  const rapid = toRapidError(error)
  outbox.post(['error', requestId, JSON.stringify(rapid), rapid.errorType])
  next()
}

/** A completion family bound to one invocation: only the first call counts. */
function completionFor(requestId: string) {
  const live = () => current !== undefined && current.requestId === requestId && !current.done
  const finish = () => {
    if (current !== undefined) current.done = true
    beforeExit = undefined
  }
  return {
    succeed(result: unknown) {
      if (!live()) return
      finish()
      respond(requestId, result)
    },
    fail(error: unknown) {
      if (!live()) return
      finish()
      postError(requestId, error)
    },
    succeedWhenIdle(result: unknown) {
      if (!live()) return
      beforeExit = () => this.succeed(result)
    },
  }
}

/** An error nobody caught (a timer callback, a microtask): Lambda's runtime reports it and exits. */
function uncaught(error: unknown): void {
  ;(global.console as { error: (...args: unknown[]) => void }).error('Uncaught Exception', JSON.stringify(toRapidError(error)))
  if (initializing) {
    const rapid = toRapidError(error)
    outbox.post(['initError', JSON.stringify(rapid), rapid.errorType])
  } else if (current !== undefined && !current.done) {
    current.done = true
    const rapid = toRapidError(error)
    outbox.post(['error', current.requestId, JSON.stringify(rapid), rapid.errorType])
  }
  outbox.post(['exit', 129])
}

const entryPoints: GuestEntryPoints = {
  start(bootConfigJson) {
    const boot = JSON.parse(bootConfigJson) as GuestBootConfig
    Object.assign(env, boot.env)
    consoleSettings.format = boot.logFormat
    consoleSettings.minimumLevel = LEVELS.includes(boot.logLevel) ? boot.logLevel : 'INFO'
    loadHandler(boot.handler, host, modules).then(
      (loaded) => {
        handler = loaded
        initializing = false
        next()
      },
      (error: unknown) => {
        const rapid = toRapidError(error)
        outbox.post(['initError', JSON.stringify(rapid), rapid.errorType])
      },
    )
  },

  deliver(requestId, deadlineMs, invokedFunctionArn, traceId, clientContext, cognitoIdentity, tenantId, payload) {
    current = { requestId, done: false, handlerPromise: false }
    if (traceId === undefined) delete env._X_AMZN_TRACE_ID
    else env._X_AMZN_TRACE_ID = traceId
    const headers: InvocationHeaders = { requestId, deadlineMs, invokedFunctionArn, clientContext, cognitoIdentity, tenantId }
    const completion = completionFor(requestId)
    // If the loop empties with no answer: a sync handler succeeds with null; a promise that
    // never settled is Lambda's Runtime.NodeJsExit.
    beforeExit = () => {
      if (current?.handlerPromise === true) {
        const error = new Error('Runtime exited without providing a reason: the handler returned a Promise that was never settled')
        error.name = 'Runtime.NodeJsExit'
        completion.fail(error)
      } else completion.succeed(null)
    }
    const { callback, context } = createLambdaContext(headers, env, completion)
    try {
      const event = JSON.parse(payload) as unknown
      const result = (handler as Handler)(event, context, callback)
      if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
        current.handlerPromise = true
        ;(result as PromiseLike<unknown>).then(
          (value) => completion.succeed(value),
          (error: unknown) => completion.fail(error),
        )
      }
    } catch (error) {
      completion.fail(error)
    }
  },

  flush() {
    return outbox.flush(timers.nextWake(), beforeExit !== undefined && timers.size === 0)
  },

  fireTimers(nowMs) {
    timers.fire(nowMs)
  },

  idle() {
    if (timers.size > 0) return
    const listener = beforeExit
    beforeExit = undefined
    listener?.()
  },
}

global.__thaw_guest = entryPoints
