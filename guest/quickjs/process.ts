import type { HostBindings } from '../../runtime-api/in-process-protocol.js'

declare function queueMicrotask(callback: () => void): void

/**
 * The global `process` (also the `process` / `node:process` module), with the values a function
 * sees on Lambda's Node 20 runtime. Part of the runtime's startup path, so only the cheap and the
 * hot parts live here: `stdout` / `stderr`, `emitWarning` and `memoryUsage` come from the
 * `node-process` chunk on first use (node/process-extras.ts), and the EventEmitter methods are
 * stubs that load the `events` builtin on first use and then hand over to the real
 * EventEmitter.prototype (so `process instanceof EventEmitter` holds from then on, as in Node).
 */

export interface ProcessBindings {
  readonly env: Record<string, string | undefined>
  readonly host: HostBindings
  /** Ends the environment with this exit status (never returns). */
  exit(code: number): never
  /** Writes raw text to the function's log (what Lambda shows for writes to stdout/stderr). */
  writeLog(text: string): void
  /** The guest's builtin modules (for `events`, loaded on the first listener). */
  builtin(name: string): unknown
}

/** What the `node-process` chunk adds to a process (see node/process-extras.ts). */
export interface ProcessExtras {
  stdio(fd: 1 | 2): Record<string, unknown>
  emitWarning(warning: unknown, type?: unknown, code?: unknown): void
  memoryUsage(): Record<string, number>
}

export type ProcessObject = Record<string, unknown> & {
  _events: Record<string, unknown> | undefined
  exitCode: unknown
  nextTick(callback: unknown, ...args: unknown[]): void
  emit?: (type: string, ...args: unknown[]) => boolean
}

const EMITTER_METHODS = [
  'on', 'addListener', 'prependListener', 'once', 'prependOnceListener', 'off', 'removeListener', 'removeAllListeners',
  'emit', 'listeners', 'rawListeners', 'listenerCount', 'eventNames', 'setMaxListeners', 'getMaxListeners',
] as const

/**
 * A prototype whose EventEmitter methods become EventEmitter.prototype's on the first call, or
 * as soon as node:events is made (it calls BECOME_EMITTER, so `process instanceof EventEmitter`).
 */
export function lazyEmitterPrototype(builtin: (name: string) => unknown): Record<string | symbol, unknown> {
  const proto: Record<string | symbol, unknown> = {}
  const become = (EventEmitter: { prototype: object }) => {
    for (const name of EMITTER_METHODS) delete proto[name]
    delete proto[BECOME_EMITTER]
    Object.setPrototypeOf(proto, EventEmitter.prototype)
  }
  for (const method of EMITTER_METHODS) {
    proto[method] = function (this: Record<string, (...args: unknown[]) => unknown>, ...args: unknown[]) {
      become(builtin('events') as { prototype: object })
      return this[method]!(...args)
    }
  }
  proto[BECOME_EMITTER] = become
  return proto
}

/** Key of the hook on a lazy emitter prototype that node:events calls with EventEmitter. */
export const BECOME_EMITTER = Symbol.for('thaw.becomeEmitter')

export function createProcess(bindings: ProcessBindings): ProcessObject {
  const { env, host, builtin } = bindings
  // The host's clock starts again in each process: a restored environment must not see time go back.
  let offset = 0
  let last = 0
  const monotonicNow = () => {
    let now = host.monotonicNow() + offset
    if (now < last) {
      offset += last - now
      now = last
    }
    return (last = now)
  }
  const startedAt = monotonicNow()
  let umask = 0o022
  let extras: ProcessExtras | undefined
  const extra = () =>
    (extras ??= (host.loadChunk('node-process') as { extras(process: ProcessObject, bindings: ProcessBindings): ProcessExtras }).extras(process, bindings))
  let stdout: unknown
  let stderr: unknown

  // process.nextTick: one microtask drains every queued tick (ticks queued by ticks included).
  // QuickJS exposes no hook to run them ahead of already queued promise jobs as Node does.
  const ticks: Array<() => void> = []
  const drainTicks = () => {
    try {
      for (let tick = ticks.shift(); tick !== undefined; tick = ticks.shift()) tick()
    } finally {
      if (ticks.length > 0) queueMicrotask(drainTicks)
    }
  }

  const nanoseconds = () => BigInt(Math.round(monotonicNow() * 1e6))
  const hrtime = (previous?: readonly number[]): number[] => {
    const now = nanoseconds()
    const since = previous === undefined ? 0n : BigInt(previous[0] ?? 0) * 1_000_000_000n + BigInt(previous[1] ?? 0)
    return [Number((now - since) / 1_000_000_000n), Number((now - since) % 1_000_000_000n)]
  }
  hrtime.bigint = nanoseconds

  const memoryUsage = () => extra().memoryUsage()
  memoryUsage.rss = () => host.memoryBytes()

  // A literal (not Object.assign), so that the stdout / stderr getters stay getters.
  const process: ProcessObject = {
    version: 'v20.20.2',
    versions: { node: '20.20.2', quickjs: '2024-01-13' },
    arch: 'x64',
    platform: 'linux',
    release: { name: 'node', lts: 'Iron' },
    _events: undefined,
    _eventsCount: 0,
    _maxListeners: undefined,
    exitCode: undefined,
    features: { inspector: false, ipv6: true, tls: false },
    uptime: () => (monotonicNow() - startedAt) / 1000,
    cpuUsage: () => ({ user: Math.round((monotonicNow() - startedAt) * 1000), system: 0 }),
    memoryUsage,
    hrtime,
    exit(code?: unknown) {
      const status = Number(code ?? process.exitCode ?? 0)
      if (process._events?.exit !== undefined) process.emit?.('exit', status)
      return bindings.exit(status)
    },
    getuid: () => 993,
    geteuid: () => 993,
    getgid: () => 990,
    getegid: () => 990,
    emitWarning: (warning: unknown, type?: unknown, code?: unknown) => extra().emitWarning(warning, type, code),
    nextTick(callback: unknown, ...args: unknown[]) {
      if (typeof callback !== 'function') {
        const received = callback === null || callback === undefined ? String(callback)
          : typeof callback === 'object' ? `an instance of ${(callback as object).constructor?.name ?? 'Object'}`
          : `type ${typeof callback} (${typeof callback === 'string' ? `'${callback}'` : String(callback)})`
        throw Object.assign(new TypeError(`The "callback" argument must be of type function. Received ${received}`), { code: 'ERR_INVALID_ARG_TYPE' })
      }
      ticks.push(args.length === 0 ? (callback as () => void) : () => (callback as (...a: unknown[]) => void)(...args))
      if (ticks.length === 1) queueMicrotask(drainTicks)
    },
    get stdout() {
      return (stdout ??= extra().stdio(1))
    },
    get stderr() {
      return (stderr ??= extra().stdio(2))
    },
    umask(mask?: unknown) {
      const previous = umask
      if (mask !== undefined) umask = (typeof mask === 'string' ? Number.parseInt(mask, 8) : Number(mask)) & 0o777
      return previous
    },
    chdir() {
      throw Object.assign(new Error('process.chdir() is not supported in Thaw'), { code: 'ERR_WORKER_UNSUPPORTED_OPERATION' })
    },
    cwd: () => '/var/task',
    env,
    title: 'node',
    argv: ['/var/lang/bin/node', '/var/runtime/index.mjs'],
    execArgv: [],
    pid: 1,
    ppid: 0,
    execPath: '/var/lang/bin/node',
    argv0: 'node',
  }
  Object.setPrototypeOf(process, lazyEmitterPrototype(builtin))
  return process
}
