/**
 * node:url: the WHATWG `URL` and `URLSearchParams` (the guest's globals), Node's helpers around
 * them (fileURLToPath, pathToFileURL, urlToHttpOptions, domainToASCII / domainToUnicode, format
 * of a URL with options), and the legacy API (url-legacy.ts). POSIX only: the `windows` options
 * of fileURLToPath / pathToFileURL are ignored, as on Linux by default.
 */
import { defineLazyGlobal } from '../globals/lazy.js'
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import type { Warnings } from './diagnostics.js'
import { invalidArgType, nodeError, validateObject, validateString } from './errors.js'
import { hostnameToUnicode } from './punycode.js'
import { formatUrlObject, hooks, Url, urlParse, urlResolve, urlResolveObject } from './url-legacy.js'

declare const require: (id: string) => unknown

interface WhatwgUrl {
  href: string
  protocol: string
  username: string
  password: string
  host: string
  hostname: string
  port: string
  pathname: string
  search: string
  hash: string
}
type UrlClass = new (input: string, base?: string) => WhatwgUrl

const URLClass = (): UrlClass => (globalThis as unknown as { URL: UrlClass }).URL

/** Node's isURL: anything URL-shaped (an href and a protocol, and no legacy `auth` / `path`). */
function isURL(value: unknown): value is WhatwgUrl {
  const v = value as Partial<WhatwgUrl & { auth: unknown; path: unknown }> | null | undefined
  return Boolean(v?.href && v.protocol && v.auth === undefined && v.path === undefined)
}

function fileURLToPath(input: unknown): string {
  let url: WhatwgUrl
  if (typeof input === 'string') url = new (URLClass())(input)
  else if (isURL(input)) url = input
  else throw invalidArgType('path', ['string', 'URL'], input)
  if (url.protocol !== 'file:') throw nodeError(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file')
  if (url.hostname !== '') throw nodeError(TypeError, 'ERR_INVALID_FILE_URL_HOST', 'File URL host must be "localhost" or empty on linux')
  if (/%2f/i.test(url.pathname)) throw nodeError(TypeError, 'ERR_INVALID_FILE_URL_PATH', 'File URL path must not include encoded / characters')
  return decodeURIComponent(url.pathname)
}

/** Characters of a path that would change a file: URL's meaning if left as they are. */
const pathCharEscapes: Record<string, string> = {
  '%': '%25', '\t': '%09', '\n': '%0A', '\r': '%0D', ' ': '%20', '"': '%22', '#': '%23', '?': '%3F',
  '[': '%5B', '\\': '%5C', ']': '%5D', '^': '%5E', '|': '%7C', '~': '%7E',
}

function pathToFileURL(filepath: unknown): WhatwgUrl {
  validateString(filepath, 'path')
  const path = require('path') as { resolve(...paths: string[]): string }
  let resolved = path.resolve(filepath)
  // path.resolve drops a trailing slash; a directory URL keeps it.
  if (filepath.endsWith('/') && !resolved.endsWith('/')) resolved += '/'
  return new (URLClass())(`file://${resolved.replace(/[%\t\n\r "#?[\\\]^|~]/g, (c) => pathCharEscapes[c] as string)}`)
}

function urlToHttpOptions(url: WhatwgUrl): Record<string, unknown> {
  const { hostname, pathname, port, username, password, search } = url
  const options: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, url, {
    protocol: url.protocol,
    hostname: hostname && hostname[0] === '[' ? hostname.slice(1, -1) : hostname,
    hash: url.hash,
    search,
    pathname,
    path: `${pathname || ''}${search || ''}`,
    href: url.href,
  })
  if (port !== '') options.port = Number(port)
  if (username || password) options.auth = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`
  return options
}

/** The host a domain becomes through the WHATWG host parser (IDNA), or '' if it is not a valid host. */
function domainToASCII(...args: unknown[]): string {
  if (args.length < 1) throw nodeError(TypeError, 'ERR_MISSING_ARGS', 'The "domain" argument must be specified')
  const domain = `${args[0] as string}`
  const sentinel = 'thaw-sentinel.invalid'
  const url = new (URLClass())(`ws://${sentinel}`)
  try {
    url.hostname = domain
  } catch {
    return ''
  }
  return url.hostname === sentinel && domain.toLowerCase() !== sentinel ? '' : url.hostname
}

function domainToUnicode(...args: unknown[]): string {
  if (args.length < 1) throw nodeError(TypeError, 'ERR_MISSING_ARGS', 'The "domain" argument must be specified')
  const ascii = domainToASCII(args[0])
  return ascii === '' ? '' : hostnameToUnicode(ascii)
}

/** url.format: a legacy object or string, or a WHATWG URL with Node's { fragment, unicode, search, auth } options. */
function format(urlObject: unknown, options?: Record<string, unknown>): string {
  if (typeof urlObject === 'string') return urlParse(urlObject).format()
  if (typeof urlObject !== 'object' || urlObject === null) throw invalidArgType('urlObject', ['Object', 'string'], urlObject)
  if (!(urlObject instanceof URLClass())) return formatUrlObject(urlObject)
  let fragment = true
  let unicode = false
  let search = true
  let auth = true
  if (options) {
    validateObject(options, 'options')
    if (options.fragment != null) fragment = Boolean(options.fragment)
    if (options.unicode != null) unicode = Boolean(options.unicode)
    if (options.search != null) search = Boolean(options.search)
    if (options.auth != null) auth = Boolean(options.auth)
  }
  const url = new (URLClass())((urlObject as WhatwgUrl).href)
  if (!fragment) url.hash = ''
  if (!search) url.search = ''
  if (!auth) {
    url.username = ''
    url.password = ''
  }
  if (!unicode || url.host === '') return url.href
  const credentials = url.username || url.password ? `${url.username}${url.password ? `:${url.password}` : ''}@` : ''
  return `${url.protocol}//${credentials}${hostnameToUnicode(url.hostname)}${url.port ? `:${url.port}` : ''}${url.pathname}${url.search}${url.hash}`
}

export function createUrl(host: HostBindings): Record<string, unknown> {
  hooks.toASCII = (hostname) => (/[^\x00-\x7f]/.test(hostname) ? domainToASCII(hostname) : hostname)
  hooks.warn = (message, code) => (host.loadChunk('warnings') as Warnings).deprecationWarning(message, code)
  const url: Record<string, unknown> = {
    Url,
    parse: urlParse,
    resolve: urlResolve,
    resolveObject: urlResolveObject,
    format,
    URL: undefined,
    URLSearchParams: undefined,
    domainToASCII,
    domainToUnicode,
    pathToFileURL,
    fileURLToPath,
    urlToHttpOptions,
  }
  // The guest's globals, loaded with their chunk on first read.
  defineLazyGlobal(url, 'URL', () => (globalThis as Record<string, unknown>).URL, true)
  defineLazyGlobal(url, 'URLSearchParams', () => (globalThis as Record<string, unknown>).URLSearchParams, true)
  return url
}
