/**
 * WHATWG `URL` and `URLSearchParams` for the guest, from `whatwg-url-minimum` (a dependency-free,
 * WPT-tested derivative of jsdom's whatwg-url with a compact UTS #46 table: ~30 KB minified,
 * versus ~500 KB for whatwg-url with tr46 + @exodus/bytes, and ~49 KB for core-js-pure's
 * web/url which also lacks UTS #46 mapping and gets blob: origins wrong; url-polyfill needs a DOM).
 *
 * Both globals are installed lazily: an accessor that loads the library on first read. The library
 * is pulled in with a bundler-resolved `require()` so that esbuild wraps it in a lazily evaluated
 * CommonJS closure: its module body (which decodes its IDNA tables with `atob`) runs only when a
 * handler first touches `URL`/`URLSearchParams`, never during the runtime's cold start.
 *
 * Known deviations (from the library's README and our comparison with Node): full RFC 5893 Bidi
 * checks are not implemented, and hostnames that already contain `xn--` labels are not re-validated
 * (Node rejects e.g. `http://xn--/`, this accepts it). Errors are the library's: an invalid URL
 * throws a TypeError "Invalid URL: <input>" without Node's `code: 'ERR_INVALID_URL'` and `input`
 * properties (Node's message is just "Invalid URL"), and an invalid URLSearchParams pair lacks
 * `code: 'ERR_INVALID_TUPLE'`.
 */
import { base64ToBytes } from './base64.js'
import { defineLazyGlobal, once } from './lazy.js'
import { codesToString } from './string-utils.js'

// Resolved and bundled by esbuild at build time (there is no `require` at run time in QuickJS).
declare const require: (id: string) => unknown

type UrlModule = typeof import('whatwg-url-minimum')
type InspectFn = (value: unknown, options?: Record<string, unknown>) => string
interface InspectOptionsLike {
  breakLength?: number
  showHidden?: boolean
  [key: string]: unknown
}

const customInspect = Symbol.for('nodejs.util.inspect.custom')

function loadUrlModule(): UrlModule {
  // The library decodes its tables with the global `atob` while it initialises: provide ours for
  // that moment whatever the global currently holds, then put the global back as it was.
  const g = globalThis as Record<string, unknown>
  const saved = Object.getOwnPropertyDescriptor(g, 'atob')
  Object.defineProperty(g, 'atob', {
    value: (text: string) => codesToString(base64ToBytes(String(text))),
    writable: true,
    configurable: true,
  })
  let mod: UrlModule
  try {
    mod = require('whatwg-url-minimum') as UrlModule
  } finally {
    if (saved !== undefined) Object.defineProperty(g, 'atob', saved)
    else delete g.atob
  }
  // esbuild may rename the library's class bindings (`_URL`, `URLSearchParams2`): fix `.name`.
  Object.defineProperty(mod.URL, 'name', { value: 'URL', configurable: true })
  Object.defineProperty(mod.URLSearchParams, 'name', { value: 'URLSearchParams', configurable: true })
  addInspectHooks(mod)
  return mod
}

/** Node-style `util.inspect` output for URL and URLSearchParams (used by the guest console). */
function addInspectHooks(mod: UrlModule): void {
  const define = (target: object, value: unknown): void => {
    Object.defineProperty(target, customInspect, { value, writable: true, configurable: true, enumerable: false })
  }
  define(
    mod.URL.prototype,
    function inspectURL(this: InstanceType<UrlModule['URL']>, depth: unknown, options: InspectOptionsLike, inspect: InspectFn) {
      if (typeof depth === 'number' && depth < 0) return this
      const ctor = (this as { constructor?: { name?: string } }).constructor
      const name = typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'URL'
      const obj = {
        href: this.href,
        origin: this.origin,
        protocol: this.protocol,
        username: this.username,
        password: this.password,
        host: this.host,
        hostname: this.hostname,
        port: this.port,
        pathname: this.pathname,
        search: this.search,
        searchParams: this.searchParams,
        hash: this.hash,
      }
      return `${name} ${inspect(obj, options)}`
    },
  )
  define(
    mod.URLSearchParams.prototype,
    function inspectURLSearchParams(
      this: InstanceType<UrlModule['URLSearchParams']>,
      depth: unknown,
      options: InspectOptionsLike,
      inspect: InspectFn,
    ) {
      if (typeof depth === 'number' && depth < 0) return '[Object]'
      const innerOptions: Record<string, unknown> = { ...options }
      if (typeof depth === 'number') innerOptions.depth = depth - 1
      const ctor = (this as { constructor?: { name?: string } }).constructor
      const name = typeof ctor?.name === 'string' ? ctor.name : 'URLSearchParams'
      const output: string[] = []
      for (const [key, value] of this) output.push(`${inspect(key, innerOptions)} => ${inspect(value, innerOptions)}`)
      const separator = ', '
      const length = output.reduce((total, entry) => total + entry.length + separator.length, -separator.length)
      const breakLength = typeof options.breakLength === 'number' ? options.breakLength : 80
      if (length > breakLength) return `${name} {\n  ${output.join(',\n  ')} }`
      if (output.length !== 0) return `${name} { ${output.join(separator)} }`
      return `${name} {}`
    },
  )
}

export function installUrl(global: Record<string, unknown>): void {
  const load = once(loadUrlModule)
  defineLazyGlobal(global, 'URL', () => load().URL)
  defineLazyGlobal(global, 'URLSearchParams', () => load().URLSearchParams)
}
