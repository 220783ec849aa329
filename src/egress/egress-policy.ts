/**
 * Which hosts a function may reach with `fetch`: denied unless a pattern of the function's
 * `egress.allow` list admits the request's host and port. Patterns:
 *
 *   api.example.com        that host on the URL scheme's default port (443 for https, 80 for http)
 *   api.example.com:8443   that host on that port
 *   api.example.com:*      that host on any port
 *   *.example.com          any subdomain of example.com (not example.com itself), default port
 *   *                      any host on its default port;  *:*  anything at all
 *   [::1]:*                IPv6 literals in brackets, as in URLs
 *
 * Host names compare case-insensitively, after URL parsing (so `HTTPS://API.Example.com./` and
 * punycode forms meet the same rule). Only http: and https: are fetchable.
 */

export interface EgressTarget {
  readonly protocol: string
  readonly hostname: string
  readonly port: number
}

interface Rule {
  readonly host: string
  readonly subdomains: boolean
  /** undefined: the scheme's default port; '*': any port. */
  readonly port: number | '*' | undefined
}

const PATTERN = /^(\*|\*\.[a-z0-9.-]+|\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\*|\d{1,5}))?$/i

/** Why an allow-list entry is not a pattern, or undefined when it is one. */
export function invalidEgressPattern(pattern: string): string | undefined {
  const match = PATTERN.exec(pattern)
  if (match === null) return `"${pattern}" is not a host pattern (host, host:port, host:* or *.domain)`
  const port = match[2]
  if (port !== undefined && port !== '*' && (Number(port) < 1 || Number(port) > 65_535)) return `"${pattern}" has a port outside 1-65535`
  return undefined
}

export class EgressPolicy {
  readonly #rules: readonly Rule[]

  constructor(allow: readonly string[]) {
    this.#rules = allow.map(toRule)
  }

  /** True when a request to `target` may go out. */
  permits(target: EgressTarget): boolean {
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return false
    const host = normalizeHost(target.hostname)
    const defaultPort = target.protocol === 'https:' ? 443 : 80
    return this.#rules.some((rule) => {
      const portOk = rule.port === '*' || (rule.port ?? defaultPort) === target.port
      if (!portOk) return false
      if (rule.host === '*') return true
      return rule.subdomains ? host.endsWith(`.${rule.host}`) : host === rule.host
    })
  }
}

/** The host and port of `url` as the policy sees them. */
export function egressTarget(url: URL): EgressTarget {
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port)
  return { protocol: url.protocol, hostname: url.hostname, port }
}

function toRule(pattern: string): Rule {
  const problem = invalidEgressPattern(pattern)
  if (problem !== undefined) throw new Error(problem)
  const [, hostPart = '', portPart] = PATTERN.exec(pattern) ?? []
  const port = portPart === undefined ? undefined : portPart === '*' ? '*' : Number(portPart)
  if (hostPart.startsWith('*.')) return { host: normalizeHost(hostPart.slice(2)), subdomains: true, port }
  return { host: hostPart === '*' ? '*' : normalizeHost(hostPart), subdomains: false, port }
}

function normalizeHost(host: string): string {
  const lower = host.toLowerCase()
  return lower.endsWith('.') ? lower.slice(0, -1) : lower
}
