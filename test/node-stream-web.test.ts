/**
 * node:stream/web (guest/quickjs/chunks/node-stream-web.ts): the web platform's stream classes as a
 * Node module, under both names, by import and require, in cold and snapshot-restored
 * environments. Its keys are Node 20's but CompressionStream and DecompressionStream.
 */
import * as nodeStreamWeb from 'node:stream/web'
import t from 'tap'
import { NODE_MODULE_EXPORTS } from '../runtime-api/builtin-modules.js'
import { deployFiles, hostFor, payloadOf } from './conformance/fixture.js'
import { coldQuickJs, snapshotQuickJs } from './conformance/mode.js'

const names = NODE_MODULE_EXPORTS['stream/web']

const handler = `import web from 'node:stream/web'
import bare from 'stream/web'
import { ${names.join(', ')} } from 'node:stream/web'
import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)
const named = { ${names.join(', ')} }

export const handler = async () => {
  const seen = []
  const upper = new TransformStream({ transform(chunk, controller) { controller.enqueue(chunk.toUpperCase()) } })
  const source = new ReadableStream({ start(controller) { controller.enqueue('a'); controller.enqueue('b'); controller.close() } })
  for await (const chunk of source.pipeThrough(upper)) seen.push(chunk)
  const bytes = []
  for await (const chunk of new ReadableStream({ start(c) { c.enqueue('hé'); c.close() } }).pipeThrough(new TextEncoderStream())) bytes.push(...chunk)
  return {
    keys: Object.keys(web).sort(),
    sameModule: web === bare && require('stream/web') === web && require('node:stream/web') === web,
    namedAreTheModules: Object.entries(named).every(([name, value]) => web[name] === value),
    globalsAreTheSame: Object.entries(named).every(([name, value]) => globalThis[name] === value),
    seen,
    bytes,
  }
}
`

const nodeKeys = Object.keys(nodeStreamWeb)
  .filter((name) => name !== 'default' && name !== 'CompressionStream' && name !== 'DecompressionStream')
  .sort()

t.same([...names].sort(), nodeKeys, "the export list is Node 20's, without CompressionStream and DecompressionStream")

for (const mode of [coldQuickJs, snapshotQuickJs]) {
  t.test(mode.name, async (t) => {
    const host = await hostFor(t, mode)
    const fn = await deployFiles(host, mode, { 'index.mjs': handler })
    t.same(payloadOf(t, await fn.invoke({})), {
      keys: nodeKeys,
      sameModule: true,
      namedAreTheModules: true,
      globalsAreTheSame: true,
      seen: ['A', 'B'],
      bytes: [0x68, 0xc3, 0xa9],
    })
  })
}
