/**
 * The less used parts of the global `process`, loaded with the `node-process` chunk on first use
 * (see guest/quickjs/process.ts): `stdout` / `stderr`, `emitWarning`, `memoryUsage`.
 */
import { lazyEmitterPrototype, type ProcessBindings, type ProcessExtras, type ProcessObject } from '../process.js'
import { invalidArgType } from './errors.js'

declare const TextDecoder: new () => { decode(bytes: Uint8Array): string }

export function extras(process: ProcessObject, bindings: ProcessBindings): ProcessExtras {
  const { writeLog, host } = bindings
  let warned = false
  return {
    /**
     * A writable stdout or stderr (a lean one, not a stream.Writable: most code only calls
     * `write`). Lambda sends both to the function's log; each write becomes one entry there.
     */
    stdio(fd) {
      const stream: Record<string, unknown> = Object.create(lazyEmitterPrototype(bindings.builtin))
      return Object.assign(stream, {
        _events: undefined,
        _eventsCount: 0,
        _maxListeners: undefined,
        fd,
        isTTY: false,
        writable: true,
        write(chunk: unknown, encoding?: unknown, callback?: unknown) {
          if (typeof encoding === 'function') callback = encoding
          if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
            throw invalidArgType('chunk', 'of type string or an instance of Buffer or Uint8Array', chunk)
          }
          const text = typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk)
          if (text !== '') writeLog(text.endsWith('\n') ? text.slice(0, -1) : text)
          if (typeof callback === 'function') process.nextTick(callback)
          return true
        },
        end(chunk?: unknown, encoding?: unknown, callback?: unknown) {
          if (typeof chunk === 'function') callback = chunk
          else if (chunk !== undefined && chunk !== null) (stream.write as (...args: unknown[]) => void)(chunk, encoding)
          if (typeof encoding === 'function') callback = encoding
          if (typeof callback === 'function') process.nextTick(callback)
          return stream
        },
        cork() {},
        uncork() {},
        setDefaultEncoding: () => stream,
        getColorDepth: () => 1,
        hasColors: () => false,
      })
    },

    /** Node's emitWarning: a 'warning' event, and `(node:1) Type: message` in the log. */
    emitWarning(warning, type, code) {
      let options = type as { type?: unknown; code?: unknown; detail?: unknown } | undefined
      if (options === null || typeof options !== 'object') options = { type, code }
      let error: Error & { code?: unknown; detail?: unknown }
      if (typeof warning === 'string') {
        error = new Error(warning)
        error.name = typeof options.type === 'string' ? options.type : 'Warning'
        if (options.code !== undefined) error.code = options.code
        if (options.detail !== undefined) error.detail = options.detail
      } else if (warning instanceof Error) {
        error = warning
      } else {
        throw invalidArgType('warning', 'of type string or an instance of Error', warning)
      }
      process.nextTick(() => {
        if (process._events?.warning !== undefined) process.emit?.('warning', error)
        const tag = error.code === undefined ? '' : `[${String(error.code)}] `
        const detail = typeof error.detail === 'string' ? `\n${error.detail}` : ''
        writeLog(`(node:${String(process.pid)}) ${tag}${error.name}: ${error.message}${detail}`)
        if (!warned) writeLog('(Use `node --trace-warnings ...` to show where the warning was created)')
        warned = true
      })
    },

    // The Wasm memory of the environment is its whole footprint: what REPORT's Max Memory Used shows.
    memoryUsage() {
      const bytes = host.memoryBytes()
      return { rss: bytes, heapTotal: bytes, heapUsed: bytes, external: 0, arrayBuffers: 0 }
    },
  }
}
