/**
 * lodash 4 from a CommonJS handler: collections, objects, strings, `_.template` (compiles with
 * `Function`), `_.memoize`, and `_.debounce` (timers inside an invocation). Bundled, and unbundled
 * (`require('lodash')` resolved in node_modules by the host).
 */
import t, { type Test } from 'tap'
import { runCase, type Packaging } from './harness.js'

const files = {
  'index.js': `const _ = require('lodash')

const greet = _.template('Hello <%= user %>! You have <%- count %> <%= count === 1 ? "item" : "items" %>.')
const slowSquare = _.memoize((n) => n * n)

exports.handler = async (event) => {
  const orders = event.orders
  const debounced = await new Promise((resolve) => {
    const calls = []
    const record = _.debounce((value) => resolve({ value, calls: calls.length }), 20)
    for (const value of ['a', 'b', 'c']) {
      calls.push(value)
      record(value)
    }
  })
  return {
    byCustomer: _.mapValues(_.groupBy(orders, 'customer'), (list) => _.sumBy(list, 'total')),
    top: _.map(_.orderBy(orders, ['total', 'id'], ['desc', 'asc']).slice(0, 2), 'id'),
    chunks: _.chunk(_.range(7), 3),
    merged: _.merge({ a: { b: 1, c: [1] } }, { a: { d: 2, c: [undefined, 2] } }),
    picked: _.pick(_.cloneDeep(orders[0]), ['id', 'customer']),
    path: _.get(event, 'meta.tags[1].name', 'none'),
    strings: [_.camelCase('Foo Bar-baz'), _.kebabCase('fooBarBaz'), _.snakeCase('Foo bar'), _.startCase('--foo-bar--'), _.deburr('déjà vu'), _.escape('<a href="x">&</a>'), _.truncate('a long sentence indeed', { length: 12 })],
    template: greet({ user: 'Ada', count: orders.length }),
    memo: [slowSquare(12), slowSquare.cache.has(12)],
    debounced,
    uniq: _.uniqBy([2.1, 1.2, 2.3], Math.floor),
    version: _.VERSION,
  }
}
`,
}

const event = {
  orders: [
    { id: 'o1', customer: 'ada', total: 30 },
    { id: 'o2', customer: 'bob', total: 45 },
    { id: 'o3', customer: 'ada', total: 45 },
  ],
  meta: { tags: [{ name: 'first' }, { name: 'second' }] },
}

for (const packaging of ['unbundled', 'bundled'] as Packaging[]) {
  t.test(`lodash (${packaging})`, (t) =>
    runCase(t, {
      packaging,
      files,
      packages: ['lodash'],
      events: [
        {
          label: 'collections, objects, strings, template, memoize, debounce',
          event,
          check: (t: Test, p: unknown) => {
            const r = p as Record<string, unknown>
            t.same(r.byCustomer, { ada: 75, bob: 45 }, 'groupBy + sumBy')
            t.same(r.top, ['o2', 'o3'], 'orderBy')
            t.same(r.chunks, [[0, 1, 2], [3, 4, 5], [6]], 'chunk')
            t.same(r.merged, { a: { b: 1, c: [1, 2], d: 2 } }, 'merge')
            t.equal(r.path, 'second', 'get')
            t.same(r.strings, ['fooBarBaz', 'foo-bar-baz', 'foo_bar', 'Foo Bar', 'deja vu', '&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;', 'a long se...'], 'strings')
            t.equal(r.template, 'Hello Ada! You have 3 items.', 'template')
            t.same(r.memo, [144, true], 'memoize')
            t.same(r.debounced, { value: 'c', calls: 3 }, 'debounce fires once, with the last value')
            t.same(r.uniq, [2.1, 1.2], 'uniqBy')
            t.equal(r.version, '4.17.21')
          },
        },
      ],
    }),
  )
}
