import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleFunction } from '../../dist/src/index.js'
import type { Workload } from './index.js'

const source = path.join(path.dirname(fileURLToPath(import.meta.url)), 'hono')

/** A function URL request (payload format 2.0), as AWS sends it: GET /users/42?fields=name,email. */
const event = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/users/42',
  rawQueryString: 'fields=name,email',
  headers: { host: 'abc123.lambda-url.us-east-1.on.aws', 'x-request-id': 'bench', 'user-agent': 'bench' },
  queryStringParameters: { fields: 'name,email' },
  requestContext: {
    accountId: 'anonymous',
    apiId: 'abc123',
    domainName: 'abc123.lambda-url.us-east-1.on.aws',
    domainPrefix: 'abc123',
    http: { method: 'GET', path: '/users/42', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'bench' },
    requestId: 'bench',
    routeKey: '$default',
    stage: '$default',
    time: '12/Mar/2024:19:03:58 +0000',
    timeEpoch: 1710270238000,
  },
  isBase64Encoded: false,
}

/**
 * The hono app in bench/workloads/hono/, bundled by `bundleFunction` (what `thaw build` does) into
 * one ES module: the code package a user would deploy. No peer script: hono needs the web platform
 * (Request, Response, Headers, TextEncoder, …), which a bare V8 or QuickJS context does not have.
 */
export async function honoWorkload(): Promise<Workload> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'thaw-bench-hono-'))
  try {
    const bundle = await bundleFunction({ dir: source, outDir, handler: 'index.handler' })
    return {
      name: 'hono',
      description: `a hono app behind hono/aws-lambda, bundled (${(bundle.outBytes / 1024).toFixed(0)} KB); a function URL GET with a route param and a query`,
      handler: bundle.handler,
      files: { 'index.mjs': await readFile(bundle.outFile, 'utf8') },
      script: undefined,
      event,
    }
  } finally {
    await rm(outDir, { recursive: true, force: true })
  }
}
