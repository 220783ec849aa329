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
}

export function functionEndpoints(host: Host, baseUrl: string, hasUrl: FunctionUrlPolicy): FunctionEndpoints[] {
  const urls = functionUrlConfigsOf(host)
  return host.listFunctions().map(({ name }) => ({
    name,
    invokeUrl: `${baseUrl}/2015-03-31/functions/${name}/invocations`,
    functionUrl: urls.find(name, LATEST, hasUrl) === undefined ? undefined : functionUrlOf(baseUrl, name, LATEST),
  }))
}

/** The endpoint listing `thaw serve` prints on start, one line per endpoint. */
export function formatEndpoints(baseUrl: string, endpoints: readonly FunctionEndpoints[]): string {
  const lines = [`Thaw is serving on ${baseUrl}`, `  health        GET  ${baseUrl}/health`]
  for (const endpoint of endpoints) {
    lines.push(`  ${endpoint.name}`, `    invoke      POST ${endpoint.invokeUrl}`)
    if (endpoint.functionUrl !== undefined) lines.push(`    function URL     ${endpoint.functionUrl}`)
  }
  return `${lines.join('\n')}\n`
}
