/**
 * Node's legacy URL API (`url.parse`, `url.format`, `url.resolve`, `url.resolveObject`, `Url`): a
 * compact port of Node 20's lib/url.js (MIT, Joyent and Node.js contributors), so that libraries
 * written against it get Node's exact, non-standard results (auth, ports kept as written,
 * `parse(str, true)` query objects, backslashes, auto-escaping, relative resolution).
 *
 * Hostnames with non-ASCII characters go through the guest's WHATWG host parser (domainToASCII);
 * ASCII hostnames are kept as they are (lower-cased), as Node's toASCII does for valid ones.
 */
import { nodeError, validateString } from './errors.js'

declare const require: (id: string) => unknown
type QueryString = { parse(s: string): Record<string, unknown>; stringify(o: unknown): string }
const querystring = (): QueryString => require('querystring') as QueryString

/** Set by url.ts: IDNA host conversion, and the DEP0170 warning for invalid ports. */
export const hooks = {
  toASCII: (hostname: string): string => hostname,
  warn: (_message: string, _code: string): void => {},
}

type Query = string | Record<string, unknown> | null

export class Url {
  protocol: string | null = null
  slashes: boolean | null = null
  auth: string | null = null
  host: string | null = null
  port: string | null = null
  hostname: string | null = null
  hash: string | null = null
  search: string | null = null
  query: Query = null
  pathname: string | null = null
  path: string | null = null
  href: string | null = null

  parse(url: unknown, parseQueryString?: boolean, slashesDenoteHost?: boolean): this {
    parseInto(this, url, parseQueryString, slashesDenoteHost)
    return this
  }

  format(): string {
    return formatLegacy(this)
  }

  resolve(relative: string): string {
    return this.resolveObject(urlParse(relative, false, true)).format()
  }

  resolveObject(relative: string | Url): Url {
    return resolveObject(this, relative)
  }

  parseHost(): void {
    let host = this.host ?? ''
    const port = portPattern.exec(host)?.[0]
    if (port !== undefined) {
      if (port !== ':') this.port = port.slice(1)
      host = host.slice(0, host.length - port.length)
    }
    if (host) this.hostname = host
  }
}
// Node assigns these to Url.prototype, so `for…in` over a parsed URL lists them: make them enumerable too.
for (const name of ['parse', 'format', 'resolve', 'resolveObject', 'parseHost']) Object.defineProperty(Url.prototype, name, { enumerable: true })

const protocolPattern = /^[a-z0-9.+-]+:/i
const portPattern = /:[0-9]*$/
const hostPattern = /^\/\/[^@/]+@[^@/]+/
const simplePathPattern = /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/
const hostnameMaxLen = 255
export const unsafeProtocol = new Set(['javascript', 'javascript:'])
export const hostlessProtocol = new Set(['javascript', 'javascript:'])
export const slashedProtocol = new Set(['http', 'http:', 'https', 'https:', 'ftp', 'ftp:', 'gopher', 'gopher:', 'file', 'file:', 'ws', 'ws:', 'wss', 'wss:'])
const forbiddenHostChars = /[\0\t\n\r #%/:<>?@[\\\]^|]/
const forbiddenHostCharsIpv6 = /[\0\t\n\r #%/<>?@\\^|]/
/** Characters never allowed in a hostname (RFC 2396): they end it, unless an `@` follows. */
const nonHostChars = new Set(' "%\';<>\\^`{|}')
/** What autoEscape replaces in the part after the host (RFC 2396 delimiters and unwise characters, and `'`). */
const autoEscaped: Record<string, string> = {
  '\t': '%09', '\n': '%0A', '\r': '%0D', ' ': '%20', '"': '%22', "'": '%27', '<': '%3C', '>': '%3E',
  '\\': '%5C', '^': '%5E', '`': '%60', '{': '%7B', '|': '%7C', '}': '%7D',
}

/** Node's ERR_INVALID_URL: `input` is set before `code`, so that is their key order. */
const invalidUrl = (input: string): Error => Object.assign(new TypeError('Invalid URL'), { input, code: 'ERR_INVALID_URL' })

export function urlParse(url: unknown, parseQueryString?: boolean, slashesDenoteHost?: boolean): Url {
  if (url instanceof Url) return url
  return new Url().parse(url, parseQueryString, slashesDenoteHost)
}

const isWhitespace = (code: number): boolean => code < 33 || code === 0xa0 || code === 0xfeff

/** Trims whitespace and turns backslashes before the first `?` or `#` into slashes (as browsers do). */
function prepare(url: string): { rest: string; hasHash: boolean; hasAt: boolean } {
  let start = 0
  let end = url.length
  while (start < end && isWhitespace(url.charCodeAt(start))) start++
  while (end > start && isWhitespace(url.charCodeAt(end - 1))) end--
  const trimmed = url.slice(start, end)
  const split = trimmed.search(/[?#]/)
  const head = split === -1 ? trimmed : trimmed.slice(0, split)
  const rest = head.replaceAll('\\', '/') + (split === -1 ? '' : trimmed.slice(split))
  return { rest, hasHash: trimmed.includes('#'), hasAt: head.includes('@') }
}

function setQuery(self: Url, query: string, parseQueryString: boolean | undefined): void {
  self.query = parseQueryString ? querystring().parse(query) : query
}

function parseInto(self: Url, url: unknown, parseQueryString?: boolean, slashesDenoteHost?: boolean): void {
  validateString(url, 'url')
  let { rest, hasHash, hasAt } = prepare(url)

  if (!slashesDenoteHost && !hasHash && !hasAt) {
    const simplePath = simplePathPattern.exec(rest)
    if (simplePath) {
      self.path = rest
      self.href = rest
      self.pathname = simplePath[1] as string
      if (simplePath[2]) {
        self.search = simplePath[2]
        setQuery(self, self.search.slice(1), parseQueryString)
      } else if (parseQueryString) {
        self.search = null
        self.query = Object.create(null) as Record<string, unknown>
      }
      return
    }
  }

  const proto = protocolPattern.exec(rest)?.[0]
  let lowerProto: string | undefined
  if (proto !== undefined) {
    lowerProto = proto.toLowerCase()
    self.protocol = lowerProto
    rest = rest.slice(proto.length)
  }

  // `user@server` is always a host; `//foo/bar` is host foo, path /bar.
  let slashes = false
  if (slashesDenoteHost || proto !== undefined || hostPattern.test(rest)) {
    slashes = rest.startsWith('//')
    if (slashes && !(proto !== undefined && hostlessProtocol.has(lowerProto as string))) {
      rest = rest.slice(2)
      self.slashes = true
    }
  }

  if (!hostlessProtocol.has(lowerProto as string) && (slashes || (proto !== undefined && !slashedProtocol.has(proto)))) {
    rest = parseAuthority(self, rest, url)
  }

  if (!unsafeProtocol.has(lowerProto as string)) rest = rest.replace(/[\t\n\r "'<>\\^`{|}]/g, (c) => autoEscaped[c] as string)

  const hashIdx = rest.indexOf('#')
  if (hashIdx !== -1) self.hash = rest.slice(hashIdx)
  const beforeHash = hashIdx === -1 ? rest : rest.slice(0, hashIdx)
  const questionIdx = beforeHash.indexOf('?')
  if (questionIdx !== -1) {
    self.search = beforeHash.slice(questionIdx)
    setQuery(self, beforeHash.slice(questionIdx + 1), parseQueryString)
  } else if (parseQueryString) {
    self.search = null
    self.query = Object.create(null) as Record<string, unknown>
  }
  const firstIdx = questionIdx !== -1 ? questionIdx : hashIdx
  if (firstIdx === -1) {
    if (rest.length > 0) self.pathname = rest
  } else if (firstIdx > 0) {
    self.pathname = rest.slice(0, firstIdx)
  }
  if (slashedProtocol.has(lowerProto as string) && self.hostname && !self.pathname) self.pathname = '/'
  if (self.pathname || self.search) self.path = (self.pathname || '') + (self.search || '')
  self.href = self.format()
}

/**
 * The authority: the host ends at the first `/`, `?` or `#`; characters never allowed in a host
 * end it too unless a later `@` makes them part of the auth (`http://a@b@c/` → auth `a@b`).
 * Returns what follows the host.
 */
function parseAuthority(self: Url, input: string, url: string): string {
  // WHATWG URL removes tabs and newlines here; so does Node.
  let rest = input
  let atSign = -1
  let nonHost = -1
  for (let i = 0; i < rest.length; ++i) {
    const char = rest[i] as string
    if (char === '\t' || char === '\n' || char === '\r') {
      rest = rest.slice(0, i) + rest.slice(i + 1)
      i -= 1
    } else if (nonHostChars.has(char)) {
      if (nonHost === -1) nonHost = i
    } else if (char === '#' || char === '/' || char === '?') {
      if (nonHost === -1) nonHost = i
      break
    } else if (char === '@') {
      atSign = i
      nonHost = -1
    }
  }
  let start = 0
  if (atSign !== -1) {
    self.auth = decodeURIComponent(rest.slice(0, atSign))
    start = atSign + 1
  }
  if (nonHost === -1) {
    self.host = rest.slice(start)
    rest = ''
  } else {
    self.host = rest.slice(start, nonHost)
    rest = rest.slice(nonHost)
  }
  self.parseHost()
  if (typeof self.hostname !== 'string') self.hostname = ''
  const hostname = self.hostname
  const ipv6 = hostname.startsWith('[') && hostname.endsWith(']')
  if (!ipv6) {
    // A `/ \ # ? :` left in the hostname starts the path (a `:` means an invalid port: DEP0170).
    const bad = hostname.search(/[/\\#?:]/)
    if (bad !== -1) {
      if (hostname[bad] === ':') hooks.warn(`The URL ${url} is invalid. Future versions of Node.js will throw an error.`, 'DEP0170')
      self.hostname = hostname.slice(0, bad)
      rest = `/${hostname.slice(bad)}${rest}`
    }
  }
  self.hostname = self.hostname.length > hostnameMaxLen ? '' : self.hostname.toLowerCase()
  if (self.hostname !== '') {
    if (ipv6) {
      if (forbiddenHostCharsIpv6.test(self.hostname)) throw invalidUrl(url)
    } else {
      self.hostname = hooks.toASCII(self.hostname)
      if (self.hostname === '' || forbiddenHostChars.test(self.hostname)) throw invalidUrl(url)
    }
  }
  self.host = (self.hostname || '') + (self.port ? `:${self.port}` : '')
  if (ipv6) {
    self.hostname = self.hostname.slice(1, -1)
    if (rest[0] !== '/') rest = `/${rest}`
  }
  return rest
}

/** Url.prototype.format: the object's fields back into a string (auth escaped except `:`; `#` and `?` escaped in the path). */
function formatLegacy(self: Partial<Url>): string {
  let auth = self.auth || ''
  if (auth) {
    try {
      auth = encodeURIComponent(auth).replaceAll('%3A', ':')
    } catch {
      throw nodeError(URIError, 'ERR_INVALID_URI', 'URI malformed')
    }
    auth += '@'
  }
  let protocol = self.protocol || ''
  let pathname = self.pathname || ''
  let hash = self.hash || ''
  let host = ''
  let query = ''
  if (self.host) {
    host = auth + self.host
  } else if (self.hostname) {
    const hostname = self.hostname
    host = auth + (hostname.includes(':') && !(hostname.startsWith('[') && hostname.endsWith(']')) ? `[${hostname}]` : hostname)
    if (self.port) host += `:${self.port}`
  }
  if (self.query !== null && typeof self.query === 'object') query = querystring().stringify(self.query)
  let search = self.search || (query && `?${query}`) || ''
  if (protocol && !protocol.endsWith(':')) protocol += ':'
  pathname = pathname.replaceAll('#', '%23').replaceAll('?', '%3F')
  // Only the slashed protocols get the `//` (not mailto:, xmpp: …) unless they had it.
  if (self.slashes || slashedProtocol.has(protocol)) {
    if (self.slashes || host) {
      if (pathname && pathname[0] !== '/') pathname = `/${pathname}`
      host = `//${host}`
    } else if (protocol.startsWith('file')) {
      host = '//'
    }
  }
  search = search.replaceAll('#', '%23')
  if (hash && hash[0] !== '#') hash = `#${hash}`
  if (search && search[0] !== '?') search = `?${search}`
  return protocol + host + pathname + search + hash
}

export function formatUrlObject(urlObject: object): string {
  return formatLegacy(urlObject as Partial<Url>)
}

/** Url.prototype.resolveObject: RFC 1808-style resolution with Node's quirks for non-slashed protocols. */
function resolveObject(self: Url, relativeInput: string | Url): Url {
  let relative = relativeInput as Url
  if (typeof relativeInput === 'string') relative = new Url().parse(relativeInput, false, true)
  const result = Object.assign(new Url(), self)
  // The hash is always replaced, even by an empty href.
  result.hash = relative.hash
  const finish = (): Url => {
    result.href = result.format()
    return result
  }
  const setPath = (): void => {
    if (result.pathname || result.search) result.path = (result.pathname || '') + (result.search || '')
  }
  if (relative.href === '') return finish()

  // `//foo/bar` keeps only the protocol.
  if (relative.slashes && !relative.protocol) {
    for (const key of Object.keys(relative)) if (key !== 'protocol') (result as unknown as Record<string, unknown>)[key] = (relative as unknown as Record<string, unknown>)[key]
    if (slashedProtocol.has(result.protocol as string) && result.hostname && !result.pathname) result.path = result.pathname = '/'
    return finish()
  }

  if (relative.protocol && relative.protocol !== result.protocol) {
    // A different protocol: anything but a known slashed one is absolute as it is.
    if (!slashedProtocol.has(relative.protocol)) {
      Object.assign(result, relative)
      return finish()
    }
    result.protocol = relative.protocol
    if (!relative.host && !/^file:?$/.test(relative.protocol) && !hostlessProtocol.has(relative.protocol)) {
      const relPath = (relative.pathname || '').split('/')
      while (relPath.length && !(relative.host = relPath.shift() as string));
      if (!relative.host) relative.host = ''
      if (!relative.hostname) relative.hostname = ''
      if (relPath[0] !== '') relPath.unshift('')
      if (relPath.length < 2) relPath.unshift('')
      result.pathname = relPath.join('/')
    } else {
      result.pathname = relative.pathname
    }
    result.search = relative.search
    result.query = relative.query
    result.host = relative.host || ''
    result.auth = relative.auth
    result.hostname = relative.hostname || relative.host
    result.port = relative.port
    setPath()
    result.slashes = result.slashes || relative.slashes
    return finish()
  }

  const isSourceAbs = result.pathname?.charAt(0) === '/'
  const isRelAbs = relative.host || relative.pathname?.charAt(0) === '/'
  let mustEndAbs: unknown = isRelAbs || isSourceAbs || (result.host && relative.pathname)
  const removeAllDots = mustEndAbs
  let srcPath: string[] = (result.pathname && result.pathname.split('/')) || []
  const relPath: string[] = (relative.pathname && relative.pathname.split('/')) || []
  const noLeadingSlashes = result.protocol && !slashedProtocol.has(result.protocol)

  // Non-slashed URLs (mailto: …): `../..` may climb into the host, which is put back later.
  if (noLeadingSlashes) {
    result.hostname = ''
    result.port = null
    if (result.host) {
      if (srcPath[0] === '') srcPath[0] = result.host
      else srcPath.unshift(result.host)
    }
    result.host = ''
    if (relative.protocol) {
      relative.hostname = null
      relative.port = null
      result.auth = null
      if (relative.host) {
        if (relPath[0] === '') relPath[0] = relative.host
        else relPath.unshift(relative.host)
      }
      relative.host = null
    }
    mustEndAbs = mustEndAbs && (relPath[0] === '' || srcPath[0] === '')
  }

  const takeAuthFromHost = (): void => {
    const parts = result.host && result.host.indexOf('@') > 0 ? result.host.split('@') : undefined
    if (parts) {
      result.auth = parts.shift() as string
      result.host = result.hostname = parts.shift() as string
    }
  }

  if (isRelAbs) {
    if (relative.host || relative.host === '') {
      if (result.host !== relative.host) result.auth = null
      result.host = relative.host
      result.port = relative.port
    }
    if (relative.hostname || relative.hostname === '') {
      if (result.hostname !== relative.hostname) result.auth = null
      result.hostname = relative.hostname
    }
    result.search = relative.search
    result.query = relative.query
    srcPath = relPath
  } else if (relPath.length) {
    // Relative: drop the last segment of the base path.
    srcPath.pop()
    srcPath = srcPath.concat(relPath)
    result.search = relative.search
    result.query = relative.query
  } else if (relative.search !== null && relative.search !== undefined) {
    // Only a new query (href='?foo').
    if (noLeadingSlashes) {
      result.hostname = result.host = srcPath.shift() as string
      takeAuthFromHost()
    }
    result.search = relative.search
    result.query = relative.query
    if (result.pathname !== null || result.search !== null) result.path = (result.pathname ? result.pathname : '') + (result.search ? result.search : '')
    return finish()
  }

  if (!srcPath.length) {
    result.pathname = null
    result.path = result.search ? `/${result.search}` : null
    return finish()
  }

  // A path ending in `.` or `..` gets a trailing slash; anything else non-slashy does not.
  let last = srcPath.slice(-1)[0]
  const hasTrailingSlash = ((result.host || relative.host || srcPath.length > 1) && (last === '.' || last === '..')) || last === ''
  let up = 0
  for (let i = srcPath.length - 1; i >= 0; i--) {
    last = srcPath[i]
    if (last === '.') {
      srcPath.splice(i, 1)
    } else if (last === '..') {
      srcPath.splice(i, 1)
      up++
    } else if (up) {
      srcPath.splice(i, 1)
      up--
    }
  }
  if (!mustEndAbs && !removeAllDots) while (up--) srcPath.unshift('..')
  if (mustEndAbs && srcPath[0] !== '' && (!srcPath[0] || srcPath[0].charAt(0) !== '/')) srcPath.unshift('')
  if (hasTrailingSlash && srcPath.join('/').slice(-1) !== '/') srcPath.push('')
  const isAbsolute = srcPath[0] === '' || (srcPath[0] && srcPath[0].charAt(0) === '/')
  if (noLeadingSlashes) {
    result.hostname = result.host = isAbsolute ? '' : srcPath.length ? (srcPath.shift() as string) : ''
    takeAuthFromHost()
  }
  mustEndAbs = mustEndAbs || (result.host && srcPath.length)
  if (mustEndAbs && !isAbsolute) srcPath.unshift('')
  if (!srcPath.length) {
    result.pathname = null
    result.path = null
  } else {
    result.pathname = srcPath.join('/')
  }
  if (result.pathname !== null || result.search !== null) result.path = (result.pathname ? result.pathname : '') + (result.search ? result.search : '')
  result.auth = relative.auth || result.auth
  result.slashes = result.slashes || relative.slashes
  return finish()
}

export function urlResolve(source: string, relative: string): string {
  return urlParse(source, false, true).resolve(relative)
}

export function urlResolveObject(source: string, relative: string | Url): Url | string {
  if (!source) return relative
  return urlParse(source, false, true).resolveObject(relative)
}
