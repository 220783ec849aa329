import type { Host } from '../host.js'
import { FUNCTION_URL_PREFIX, type FunctionUrlPolicy } from './function-url-route.js'

/** What a served function answers at. */
export interface FunctionEndpoints {
  readonly name: string
  /** POST here: the Invoke API (what the AWS SDK and CLI call with `--endpoint-url`). */
  readonly invokeUrl: string
  /** Any method under here: the function URL; undefined when the function has none. */
  readonly functionUrl: string | undefined
}

export function functionEndpoints(host: Host, baseUrl: string, hasUrl: FunctionUrlPolicy): FunctionEndpoints[] {
  return host.listFunctions().map(({ name }) => ({
    name,
    invokeUrl: `${baseUrl}/2015-03-31/functions/${name}/invocations`,
    functionUrl: hasUrl(name) ? `${baseUrl}${FUNCTION_URL_PREFIX}${name}/` : undefined,
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
