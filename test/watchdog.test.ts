import t from 'tap'
import { createHost } from '../src/index.js'

/**
 * The watchdog (issue #4): a guest stuck in a long native operation never reaches an interrupt
 * poll, so neither its deadline nor its fuel can stop it from inside. With environments on worker
 * threads (`shards`), the host terminates the stuck shard instead; tenants on other shards keep
 * being served, and the stuck function gets a new environment next time.
 */

// Sorting numbers without a comparator runs entirely inside the engine: seconds with no poll.
// The numbers are made during INIT (its own 10 s limit), so that the invocation is only the
// sort, however slow a loaded machine makes the JavaScript loop that fills the array.
const stuck = `const numbers = []
for (let i = 0; i < 3_000_000; i++) numbers.push((i * 7919) % 1000003)
export const handler = async (event) => {
  if (event.sort) {
    numbers.sort()
    numbers.sort()
  }
  return numbers.length
}`

t.test('a guest stuck in native code is stopped by terminating its shard', async (t) => {
  await using host = await createHost({ shards: 2 })
  await host.deploy({ name: 'neighbour', runtime: 'quickjs', handler: 'index.handler', code: { files: { 'index.mjs': 'let n = 0\nexport const handler = async () => ++n' } } })
  await host.deploy({ name: 'stuck', runtime: 'quickjs', handler: 'index.handler', timeoutMs: 2000, memoryMb: 1024, code: { files: { 'index.mjs': stuck } } })
  t.equal((await host.invoke('neighbour')).ok, true, 'the neighbour has a warm environment on one shard')

  const stuckRun = host.invoke('stuck', { sort: true })
  // While the other shard is stuck, the neighbour keeps answering, from its warm environment.
  const served: number[] = []
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const result = await host.invoke('neighbour')
    served.push(result.ok ? (result.payload as number) : -1)
  }
  t.same(served, [2, 3, 4, 5, 6], 'served by the same warm environment throughout')

  const result = await stuckRun
  t.equal(result.ok ? 'ok' : result.error.errorType, 'Sandbox.Timedout')
  t.match(result.ok ? '' : result.error.errorMessage, /Task timed out after 2\.00 seconds$/)
  t.equal(result.report.status, 'timeout')

  const again = await host.invoke('stuck', {})
  t.equal(again.ok ? again.payload : again.error.errorType, 3_000_000, 'the next invocation gets a new environment on a new shard')
  t.type(again.report.initDurationMs, 'number')
  const neighbourAfter = await host.invoke('neighbour')
  t.equal(neighbourAfter.ok ? neighbourAfter.payload : undefined, 7, 'the neighbour was never disturbed')
})

t.test('a terminated shard takes its other environments with it; their pools start new ones', async (t) => {
  await using host = await createHost({ shards: 1 })
  await host.deploy({ name: 'bystander', runtime: 'quickjs', handler: 'index.handler', code: { files: { 'index.mjs': 'let n = 0\nexport const handler = async () => ++n' } } })
  await host.deploy({ name: 'stuck', runtime: 'quickjs', handler: 'index.handler', timeoutMs: 2000, memoryMb: 1024, code: { files: { 'index.mjs': stuck } } })
  const before = await host.invoke('bystander')
  t.equal(before.ok ? before.payload : undefined, 1)
  const result = await host.invoke('stuck', { sort: true })
  t.equal(result.ok ? 'ok' : result.error.errorType, 'Sandbox.Timedout')
  const after = await host.invoke('bystander')
  t.equal(after.ok ? after.payload : undefined, 1, 'a new environment (INIT again): the old one went with its shard')
  t.type(after.report.initDurationMs, 'number')
})
