import { readdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { honoWorkload } from './hono.js'

/**
 * The startup workloads, each in two forms: a Lambda code package for Thaw, and a plain script
 * (INIT, then `globalThis.handler`) for the peers, so every runtime does the same work.
 */
export interface Workload {
  readonly name: string
  readonly description: string
  readonly handler: string
  readonly files: Record<string, string>
  /**
   * For peers: evaluating it runs INIT and defines `globalThis.handler(event)`. Undefined when the
   * workload needs more than a bare JavaScript context has (the peers then skip it).
   */
  readonly script: string | undefined
  readonly event: unknown
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

async function filesOf(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {}
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const absolute = path.join(entry.parentPath, entry.name)
    files[path.relative(dir, absolute)] = await readFile(absolute, 'utf8')
  }
  return files
}

const lodashInit = `const table = new Map()
for (let i = 0; i < 10000; i++) table.set('key' + i, _.padStart(String(i), 6, '0'))`
const lodashHandler = `(event) => ({ size: table.size, chunks: _.chunk(_.range(8), 3).length, key: table.get('key' + (event.i ?? 42)) })`

export async function workloads(): Promise<Workload[]> {
  const lodash = await readFile(createRequire(import.meta.url).resolve('lodash/lodash.js'), 'utf8')
  return [
    {
      name: 'hello',
      description: 'examples/hello: an async ESM handler that logs one line',
      handler: 'index.handler',
      files: await filesOf(path.join(root, 'examples/hello')),
      script: `let invocations = 0
        globalThis.handler = async (event) => ({ message: 'Hello, ' + (event.name ?? 'world') + '!', invocations: ++invocations })`,
      event: { name: 'bench' },
    },
    {
      name: 'lodash',
      description: 'INIT evaluates lodash.js (546 KB) and builds a 10k-entry Map',
      handler: 'index.handler',
      files: {
        'node_modules/lodash/lodash.js': lodash,
        'node_modules/lodash/package.json': '{"name":"lodash","main":"lodash.js"}',
        'index.js': `const _ = require('lodash')\n${lodashInit}\nexports.handler = async ${lodashHandler}`,
      },
      script: `${lodash}\n;${lodashInit}\nglobalThis.handler = async ${lodashHandler}`,
      event: { i: 7 },
    },
    await honoWorkload(),
  ]
}
