import type { Test } from 'tap'
import { deployFiles, hostFor, payloadOf } from './fixture.js'
import type { ConformanceMode } from './mode.js'

/** ESM and CommonJS resolved as Lambda's Node runtime does, relative and bare imports, JSON. */
export async function moduleFormats(t: Test, mode: ConformanceMode): Promise<void> {
  const host = await hostFor(t, mode)
  const ok = async (t: Test, files: Record<string, string>, expected: unknown, handler = 'index.handler') => {
    const fn = await deployFiles(host, mode, files, { handler })
    t.same(payloadOf(t, await fn.invoke({})), expected)
  }

  t.test('.mjs is ESM', (t) => ok(t, { 'index.mjs': 'export const handler = async () => typeof require' }, 'undefined'))
  t.test('.cjs is CommonJS', (t) => ok(t, { 'index.cjs': 'exports.handler = async () => typeof module' }, 'object'))
  t.test('.js is CommonJS by default', (t) => ok(t, { 'index.js': 'module.exports = { handler: async () => __filename }' }, '/var/task/index.js'))
  t.test('.js is ESM under "type": "module"', (t) =>
    ok(t, { 'package.json': '{"type":"module"}', 'index.js': 'export const handler = async () => import.meta.url !== undefined' }, true))
  t.test('an extensionless handler file is tried first', (t) => ok(t, { index: 'exports.handler = async () => "bare file"' }, 'bare file'))
  t.test('handler strings with folders and nested exports', (t) =>
    ok(t, { 'src/app/main.mjs': 'export const handlers = { v1: { get: async () => "nested" } }' }, 'nested', 'src/app/main.handlers.v1.get'))

  t.test('ESM imports ESM, CommonJS (with named exports) and JSON', (t) =>
    ok(
      t,
      {
        'index.mjs': `import { twice } from './lib/math.mjs'
          import cjs, { label } from './lib/legacy.js'
          import data from './data.json' with { type: 'json' }
          export const handler = async () => [twice(2), label, cjs.label, data.answer]`,
        'lib/math.mjs': 'export const twice = (n) => n * 2',
        'lib/legacy.js': 'exports.label = "from cjs"',
        'data.json': '{ "answer": 42 }',
      },
      [4, 'from cjs', 'from cjs', 42],
    ))

  t.test('CommonJS requires relative files, folders with index.js, JSON and package.json main', (t) =>
    ok(
      t,
      {
        'index.js': `const a = require('./a'); const b = require('./dir'); const c = require('./conf.json'); const d = require('./pkg')
          exports.handler = async () => [a, b, c.n, d]`,
        'a.js': 'module.exports = "a"',
        'dir/index.js': 'module.exports = "dir"',
        'conf.json': '{"n": 1}',
        'pkg/package.json': '{"main": "entry.js"}',
        'pkg/entry.js': 'module.exports = "pkg main"',
      },
      ['a', 'dir', 1, 'pkg main'],
    ))

  t.test('bare specifiers resolve from node_modules, honouring "exports" conditions', (t) =>
    ok(
      t,
      {
        'index.mjs': `import esm from 'dual'
          import { helper } from 'dual/helper'
          import scoped from '@scope/tool'
          import { createRequire } from './req.cjs'
          export const handler = async () => [esm, helper(), scoped, createRequire()]`,
        'req.cjs': 'exports.createRequire = () => require("dual")',
        'node_modules/dual/package.json': JSON.stringify({
          name: 'dual',
          exports: { '.': { import: './esm.mjs', require: './cjs.cjs' }, './helper': './helper.js' },
        }),
        'node_modules/dual/esm.mjs': 'export default "dual esm"',
        'node_modules/dual/cjs.cjs': 'module.exports = "dual cjs"',
        'node_modules/dual/helper.js': 'exports.helper = () => "helper"',
        'node_modules/@scope/tool/package.json': '{"name":"@scope/tool","main":"lib/index.js"}',
        'node_modules/@scope/tool/lib/index.js': 'module.exports = "scoped"',
      },
      ['dual esm', 'helper', 'scoped', 'dual cjs'],
    ))

  t.test('module state is shared: one module instance per environment', (t) =>
    ok(
      t,
      {
        'index.js': 'const a = require("./counter"); const b = require("./counter.js"); a.n++; exports.handler = async () => b.n',
        'counter.js': 'exports.n = 0',
      },
      1,
    ))

  t.test('top-level await in an ES module finishes before the first invoke', (t) =>
    ok(t, { 'index.mjs': 'const value = await new Promise((r) => setTimeout(() => r("awaited"), 5))\nexport const handler = async () => value' }, 'awaited'))

  t.test('require() of an ES module fails like Node 20', async (t) => {
    const fn = await deployFiles(host, mode, { 'index.js': 'exports.handler = async () => { try { require("./e.mjs") } catch (e) { return e.code } }', 'e.mjs': 'export default 1' })
    t.equal(payloadOf(t, await fn.invoke()), 'ERR_REQUIRE_ESM')
  })
}
