/**
 * The in-process transport of the Runtime API: the contract between a sandboxed guest runtime
 * (guest/quickjs/) and the host's binding (src/isolates/quickjs/). Types only, shared by both
 * builds.
 *
 * Why an outbox: a call from QuickJS into a host function costs ~5 µs in quickjs-emscripten,
 * while reading one string out costs ~1 µs. So the guest never calls the host to *post*
 * something (a response, a log line, a timer change); it appends to an outbox that the host
 * drains each time the guest yields (after running jobs). Host functions are kept for the few
 * things the guest must have an answer to right away: module resolution, randomness, clocks.
 */

/** Guest → host messages, in the order the guest produced them. */
export type OutboxMessage =
  /** GET /runtime/invocation/next */
  | readonly ['next']
  /** POST /runtime/invocation/{id}/response */
  | readonly ['response', requestId: string, body: string]
  /** POST /runtime/invocation/{id}/error; `error` is the JSON error body */
  | readonly ['error', requestId: string, error: string, errorType: string]
  /** POST /runtime/init/error */
  | readonly ['initError', error: string, errorType: string]
  /** One formatted log line of the function (already in the function's log format) */
  | readonly ['log', line: string]
  /** The runtime is exiting (an uncaught error): the environment must be reset after this invocation */
  | readonly ['exit', status: number]

/** What `flush()` returns, JSON-encoded; `""` when nothing changed since the last flush. */
export interface OutboxBatch {
  /** messages */
  readonly m: readonly OutboxMessage[]
  /** When the earliest timer is due (epoch ms, the guest's Date.now clock), or -1 with no timers. */
  readonly w: number
  /** 1 when the guest waits for its event loop to be empty (call `idle()` once it is). */
  readonly i: 0 | 1
}

/** Everything the runtime needs to boot, passed once to `start()` as JSON. */
export interface GuestBootConfig {
  /** The process environment the function sees (reserved Lambda vars included). */
  readonly env: Readonly<Record<string, string>>
  readonly handler: string
  readonly logFormat: 'text' | 'json'
  readonly logLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL'
}

/** Host functions, installed as `globalThis.__thaw_host` and taken (then deleted) by the runtime. */
export interface HostBindings {
  /** Resolves a module specifier; returns "<format>:<path>" or throws an Error with code MODULE_NOT_FOUND. */
  resolve(specifier: string, fromPath: string, mode: 'import' | 'require'): string
  /** Finds a handler's module the way Lambda's Node runtime does; "<format>:<path>" or undefined. */
  locateHandler(modulePath: string): string | undefined
  /** Compiles a CommonJS module into `function (exports, require, module, __filename, __dirname)`. */
  compileCommonJs(path: string): (...args: unknown[]) => unknown
  /** A package file as text, or undefined. */
  readText(path: string): string | undefined
  /** `length` bytes of host entropy. */
  randomBytes(length: number): ArrayBuffer
  /** A monotonic clock in milliseconds with sub-millisecond precision (performance.now). */
  monotonicNow(): number
}

/** Entry points the runtime exposes as `globalThis.__thaw_guest` (taken, then deleted, by the host). */
export interface GuestEntryPoints {
  start(bootConfigJson: string): void
  deliver(
    requestId: string,
    deadlineMs: number,
    invokedFunctionArn: string,
    traceId: string | undefined,
    clientContext: string | undefined,
    cognitoIdentity: string | undefined,
    tenantId: string | undefined,
    payload: string,
  ): void
  flush(): string
  /** Runs every timer due at `nowMs`. */
  fireTimers(nowMs: number): void
  /** The host's signal that no jobs and no timers are left. */
  idle(): void
}
