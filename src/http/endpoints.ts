import type { Host } from '../host.js'
import { LATEST } from '../functions/registry.js'
import { functionUrlOf, type FunctionUrlPolicy } from './function-url-route.js'
import { functionUrlConfigsOf } from './management/url-config-store.js'

/** What a served function answers at. */
export interface FunctionEndpoints {
  readonly name: string
  /** POST here: the Invoke API (what the AWS SDK and CLI call with `--endpoint-url`). */
  readonly invokeUrl: string
  /** Any method under here: the function URL of `$LATEST`; undefined when it has none. */
  readonly functionUrl: string | undefined
  /** The function URLs of its aliases, by alias name (`/url/<name>:<alias>/`). */
  readonly aliasUrls: Readonly<Record<string, string>>
}

export function functionEndpoints(host: Host, baseUrl: string, hasUrl: FunctionUrlPolicy): FunctionEndpoints[] {
  const urls = functionUrlConfigsOf(host)
  return host.listFunctions().map(({ name }) => {
    const aliases = host.listAliases(name).map((alias) => alias.name)
    const withUrl = aliases.filter((alias) => urls.find(name, alias, hasUrl) !== undefined)
    return {
      name,
      invokeUrl: `${baseUrl}/2015-03-31/functions/${name}/invocations`,
      functionUrl: urls.find(name, LATEST, hasUrl) === undefined ? undefined : functionUrlOf(baseUrl, name, LATEST),
      aliasUrls: Object.fromEntries(withUrl.map((alias) => [alias, functionUrlOf(baseUrl, name, alias)])),
    }
  })
}

/** The endpoint listing `thaw serve` prints on start, one line per endpoint. */
export function formatEndpoints(baseUrl: string, endpoints: readonly FunctionEndpoints[]): string {
  const lines = [`Thaw is serving on ${baseUrl}`, `  health        GET  ${baseUrl}/health`]
  for (const endpoint of endpoints) {
    lines.push(`  ${endpoint.name}`, `    invoke      POST ${endpoint.invokeUrl}`)
    if (endpoint.functionUrl !== undefined) lines.push(`    function URL     ${endpoint.functionUrl}`)
    for (const url of Object.values(endpoint.aliasUrls)) lines.push(`    function URL     ${url}`)
  }
  return `${lines.join('\n')}\n`
}
