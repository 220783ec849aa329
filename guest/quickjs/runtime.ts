/**
 * Thaw's Lambda runtime for QuickJS: the guest side of the Runtime API loop.
 *
 * Evaluated once per execution environment as a plain script. It takes the host bindings from
 * `globalThis.__thaw_host`, installs the globals a Node handler expects, and publishes its entry
 * points as `globalThis.__thaw_guest` (the host takes and deletes both). Then, like any custom
 * runtime: INIT loads the handler and asks for the next invocation; each invocation runs the
 * handler and posts its response or error, then asks for the next one.
 */
import { BUILTIN_LOADER_KEY } from '../../runtime-api/builtin-modules.js'
import {
  type DeliveryHeaders,
  type GuestBootConfig,
  type GuestEntryPoints,
  type HostBindings,
} from '../../runtime-api/in-process-protocol.js'
import { createConsole, LEVELS, type ConsoleSettings } from './console.js'
import { alignEngineErrors } from './engine-compat.js'
import { toRapidError } from './errors.js'
import { defineFsBuiltins } from './fs/builtins.js'
import { loadHandler, type Handler } from './handler-loader.js'
import { installCrypto, installPerformance, resetPerformanceOrigin } from './host-globals.js'
import { HOST_IO_KEY, HostIo } from './host-io.js'
import { installChunkGlobals, lazyFormatter, primeChunkGlobals, shareChunks } from './lazy-chunks.js'
import { LambdaContext, type Completion } from './lambda-context.js'
import { ModuleSystem, REQUIRE_BY_PATH } from './modules.js'
import { defineNodeBuiltins } from './node-builtins.js'
import { Outbox } from './outbox.js'
import { createProcess } from './process.js'
import { installRandom, runAfterRestoreHooks, runBeforeSnapshotHooks, seedRandom, snapstartModule } from './snapstart.js'
import { TimerQueue } from './timers.js'

const global = globalThis as unknown as Record<string | symbol, unknown>
const host = global.__thaw_host as HostBindings
delete global.__thaw_host
shareChunks(host)

const outbox = new Outbox()
const io = new HostIo(host)
const env: Record<string, string | undefined> = {}
const modules = new ModuleSystem(host)
const consoleSettings: ConsoleSettings = {
  format: lazyFormatter(host),
  logFormat: 'text',
  minimumLevel: 'TRACE',
  requestId: () => current?.requestId,
}

/** The invocation in flight. */
let current: Invocation | undefined
let handler: Handler | undefined
let initializing = true
/** Runs once the event loop is empty (Node's `beforeExit`), for the invocation in flight. */
let beforeExit: (() => void) | undefined

const timers = new TimerQueue(() => outbox.touch(), (error) => uncaught(error))

// ── globals ──────────────────────────────────────────────────────────────────────────────────
global.global = globalThis
alignEngineErrors(global)
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
installChunkGlobals(global, host)
installCrypto(global, host)
installPerformance(global, host)
global.process = createProcess({
  env,
  host,
  exit(code) {
    outbox.post(['exit', code])
    throw new Error(`process.exit(${code}) called`)
  },
  writeLog: (text) => outbox.post(['log', text]),
  builtin: (name) => modules.builtin(name),
})
global[REQUIRE_BY_PATH] = (path: string, format: string) => modules.requireFile(path, format)
global[Symbol.for(BUILTIN_LOADER_KEY)] = (name: string) => modules.builtin(name)
Object.defineProperty(global, Symbol.for(HOST_IO_KEY), { value: io })
modules.defineBuiltin('thaw:snapstart', snapstartModule)
defineFsBuiltins(modules, host)
defineNodeBuiltins(modules, global, host)
global.thaw = Object.freeze({ snapstart: snapstartModule })
installRandom(global as unknown as { Math: Math })

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

/** One invocation in flight and how it may end: only the first completion counts. */
class Invocation implements Completion {
  readonly requestId: string
  done = false
  /** The handler returned a promise (so an empty event loop without an answer is NodeJsExit). */
  handlerPromise = false

  constructor(requestId: string) {
    this.requestId = requestId
  }

  complete(error: unknown, result: unknown, waitForEmptyEventLoop: boolean): void {
    if (this.done || current !== this) return
    if (error !== undefined && error !== null) this.fail(error)
    else if (waitForEmptyEventLoop) beforeExit = () => this.succeed(result)
    else this.succeed(result)
  }

  succeed(result: unknown): void {
    if (this.done || current !== this) return
    this.done = true
    respond(this.requestId, result)
  }

  fail(error: unknown): void {
    if (this.done || current !== this) return
    this.done = true
    postError(this.requestId, error)
  }

  /** The event loop emptied with no answer: a sync handler succeeds with null (Lambda's Node rule). */
  loopEmptied(): void {
    if (!this.handlerPromise) return this.succeed(null)
    const error = new Error('Runtime exited without providing a reason: the handler returned a Promise that was never settled')
    error.name = 'Runtime.NodeJsExit'
    this.fail(error)
  }
}

/** An error nobody caught (a timer callback, a microtask): Lambda's runtime reports it and exits. */
function uncaught(error: unknown): void {
  ;(global.console as { error: (...args: unknown[]) => void }).error('Uncaught Exception', JSON.stringify(toRapidError(error)))
  const rapid = toRapidError(error)
  if (initializing) outbox.post(['initError', JSON.stringify(rapid), rapid.errorType])
  else if (current !== undefined && !current.done) {
    current.done = true
    outbox.post(['error', current.requestId, JSON.stringify(rapid), rapid.errorType])
  }
  outbox.post(['exit', 129])
}

let invokedFunctionArn = ''
const settle = (invocation: Invocation) => [
  (value: unknown) => invocation.succeed(value),
  (error: unknown) => invocation.fail(error),
] as const

const entryPoints: Omit<GuestEntryPoints, 'pendingOutbox'> = {
  start(bootConfigJson) {
    const boot = JSON.parse(bootConfigJson) as GuestBootConfig
    Object.assign(env, boot.env)
    consoleSettings.logFormat = boot.logFormat
    consoleSettings.minimumLevel = LEVELS.includes(boot.logLevel) ? boot.logLevel : 'INFO'
    seedRandom(hexBytes(boot.randomSeed))
    loadHandler(boot.handler, host, modules)
      .then(async (loaded) => {
        handler = loaded
        if (!boot.snapStart) {
          initializing = false
          return next()
        }
        await runBeforeSnapshotHooks()
        primeChunkGlobals(global, host)
        // Parked here, the guest is quiescent: the host takes the snapshot.
        outbox.post(['restoreNext'])
      })
      .catch((error: unknown) => {
        const rapid = toRapidError(error)
        outbox.post(['initError', JSON.stringify(rapid), rapid.errorType])
      })
  },

  restored(randomSeed) {
    seedRandom(hexBytes(randomSeed))
    resetPerformanceOrigin(global)
    io.abandonAll('The connection was open when the snapshot was taken; connections do not survive a restore')
    outbox.touch() // the host must learn about timers carried in the snapshot
    runAfterRestoreHooks().then(
      () => {
        initializing = false
        next()
      },
      (error: unknown) => {
        const rapid = toRapidError(error)
        outbox.post(['restoreError', JSON.stringify(rapid), rapid.errorType])
      },
    )
  },

  deliver(requestId, deadlineMs, payload, headersJson) {
    const headers = headersJson === undefined ? undefined : (JSON.parse(headersJson) as DeliveryHeaders)
    if (headers?.invokedFunctionArn !== undefined) invokedFunctionArn = headers.invokedFunctionArn
    if (headers?.traceId !== undefined) env._X_AMZN_TRACE_ID = headers.traceId
    else if (env._X_AMZN_TRACE_ID !== undefined) delete env._X_AMZN_TRACE_ID
    const invocation = new Invocation(requestId)
    current = invocation
    beforeExit = () => invocation.loopEmptied()
    const context = new LambdaContext(
      {
        requestId,
        deadlineMs,
        invokedFunctionArn,
        clientContext: headers?.clientContext,
        cognitoIdentity: headers?.cognitoIdentity,
        tenantId: headers?.tenantId,
      },
      env,
      invocation,
    )
    try {
      const result = (handler as Handler)(JSON.parse(payload), context, context.callback())
      if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') {
        invocation.handlerPromise = true
        ;(result as PromiseLike<unknown>).then(...settle(invocation))
      }
    } catch (error) {
      invocation.fail(error)
    }
  },

  flush() {
    return outbox.flush(timers.nextWake(), beforeExit !== undefined && timers.size === 0 && io.size === 0)
  },

  fireTimers(nowMs) {
    timers.fire(nowMs)
  },

  ioEvent(id, kind, text, bytes) {
    io.dispatch(id, kind, text, bytes)
  },

  idle() {
    if (timers.size > 0 || io.size > 0) return
    const listener = beforeExit
    beforeExit = undefined
    listener?.()
  },
}

function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1)
  for (let index = 0; index < bytes.length; index++) bytes[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16)
  return bytes
}

global.__thaw_guest = { ...entryPoints, pendingOutbox: outbox.pending }
