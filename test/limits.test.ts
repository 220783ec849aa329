import t, { type Test } from 'tap'
import { createHost, type Host, type InvokeResult } from '../src/index.js'

/**
 * Isolation limits (issue #4): hard memory caps, fuel and deadlines. Each hostile guest ends in
 * its documented Lambda error while a neighbour tenant, invoked at the same time, answers
 * correctly, and the next invocation of the hostile function gets a fresh environment.
 */

/**
 * These are the engine's own limits (memory cap, fuel, deadlines): measured on the host's thread,
 * so a busy 2-core machine running other test files does not eat the guests' budgets through
 * thread scheduling. Stopping a guest stuck where these limits cannot reach is the watchdog's
 * job, tested with shards in test/watchdog.test.ts.
 */
const ENGINE_LIMITS = { shards: 0 }

const neighbour = {
  'index.mjs': 'let n = 0\nexport const handler = async (event) => ({ echo: event.value, n: ++n })',
}

async function deploy(host: Host, name: string, source: string, options: Record<string, unknown> = {}): Promise<void> {
  await host.deploy({ name, runtime: 'quickjs', handler: 'index.handler', code: { files: { 'index.mjs': source } }, ...options })
}

function errorOf(result: InvokeResult) {
  return result.ok ? { errorType: 'none', errorMessage: JSON.stringify(result.payload), trace: [] } : result.error
}

/** Invokes the hostile function and the neighbour together; the neighbour must be unharmed. */
async function withNeighbour(t: Test, host: Host, name: string): Promise<InvokeResult> {
  const [hostile, friendly] = await Promise.all([host.invoke(name), host.invoke('neighbour', { value: name })])
  t.same(friendly.ok ? friendly.payload : friendly.error, { echo: name, n: (friendly.ok ? (friendly.payload as { n: number }).n : 0) }, 'the neighbour answered')
  t.equal(friendly.ok, true, 'the neighbour is unharmed')
  return hostile
}

t.test('memory bombs end in Runtime.OutOfMemory at the cap; the environment is replaced', async (t) => {
  await using host = await createHost(ENGINE_LIMITS)
  await host.deploy({ name: 'neighbour', runtime: 'quickjs', handler: 'index.handler', code: { files: neighbour } })
  const bombs: Record<string, string> = {
    array: 'const a = []; for (;;) a.push({ i: a.length, s: "x".repeat(64) })',
    // Not \`s = s + s\`: QuickJS concatenates into ropes, and that ends in a catchable RangeError
    // (string too long), as Node's "Invalid string length" does.
    strings: 'const keep = []; for (let i = 0; ; i++) keep.push("x".repeat(1 << 20) + i)',
    arrayBuffers: 'const keep = []; for (;;) keep.push(new ArrayBuffer(8 * 1024 * 1024))',
    objects: 'const m = new Map(); for (let i = 0; ; i++) m.set("k" + i, { i, a: [i, i, i] })',
    caught: 'const keep = []; try { for (;;) keep.push(new Array(1e6).fill(1)) } catch (e) { return "survived: " + e.message }',
  }
  for (const [name, bomb] of Object.entries(bombs)) {
    await deploy(host, name, `export const handler = async (event) => { if (event.ok) return 'fine'; ${bomb} }`, { memoryMb: 128 })
    const result = await withNeighbour(t, host, name)
    t.equal(errorOf(result).errorType, 'Runtime.OutOfMemory', `${name}: Runtime.OutOfMemory (got ${errorOf(result).errorMessage})`)
    t.equal(result.report.maxMemoryUsedMb, 128, `${name}: Max Memory Used is the cap`)
    t.equal(result.report.status, 'error')
    t.match(result.logs, /Max Memory Used: 128 MB\t.*Status: error\tError Type: Runtime\.OutOfMemory/)
    const after = await host.invoke(name, { ok: true })
    t.equal(after.ok ? after.payload : errorOf(after).errorType, 'fine', `${name}: the next invocation gets a fresh environment`)
    t.type(after.report.initDurationMs, 'number')
  }
})

t.test('runaway guests end in Sandbox.Timedout; the host keeps serving', async (t) => {
  await using host = await createHost(ENGINE_LIMITS)
  await host.deploy({ name: 'neighbour', runtime: 'quickjs', handler: 'index.handler', code: { files: neighbour } })
  const runaways: Record<string, string> = {
    busyLoop: 'for (;;) {}',
    busyLoopCatching: 'for (;;) { try { for (;;) {} } catch {} }',
    timerLoop: 'await new Promise(() => { const tick = () => setTimeout(tick, 1); tick() })',
    intervalForever: 'await new Promise(() => setInterval(() => {}, 5))',
    microtaskLoop: 'await new Promise(() => { const spin = () => Promise.resolve().then(spin); spin() })',
  }
  for (const [name, runaway] of Object.entries(runaways)) {
    await deploy(host, name, `export const handler = async (event) => { if (event.ok) return 'fine'; console.log('started'); ${runaway} }`, { timeoutMs: 1000 })
    const result = await withNeighbour(t, host, name)
    t.equal(errorOf(result).errorType, 'Sandbox.Timedout', `${name}: Sandbox.Timedout`)
    t.match(errorOf(result).errorMessage, /Task timed out after 1\.00 seconds$/)
    t.match(result.logs, /\tINFO\tstarted\n/, `${name}: what it printed before the timeout is kept`)
    t.match(result.logs, /Status: timeout/)
    const after = await host.invoke(name, { ok: true })
    t.equal(after.ok ? after.payload : errorOf(after).errorType, 'fine', `${name}: fresh environment next time`)
  }
})

t.test('maxFuel stops a guest deterministically, after the same work every run', async (t) => {
  await using host = await createHost(ENGINE_LIMITS)
  const loop = `export const handler = async () => {
    for (let i = 0; ; i++) if (i % 2000 === 0) console.log('at', i)
  }`
  await deploy(host, 'fueled', loop, { maxFuel: 40, timeoutMs: 30_000 })
  const lastLine = (result: InvokeResult) => result.logs.split('\n').filter((line) => line.includes('\tat ')).at(-1)?.split('\t')[3]
  const runs = [await host.invoke('fueled'), await host.invoke('fueled'), await host.invoke('fueled')]
  for (const run of runs) {
    t.equal(errorOf(run).errorType, 'Sandbox.Timedout', 'out of fuel is a timeout')
    t.equal(run.report.fuelUsed, 41, 'the budget plus the poll that found it spent')
    t.match(run.logs, /Fuel Used: 41\t/)
  }
  const stops = runs.map(lastLine)
  t.ok(stops[0] !== undefined, `stopped after printing ${stops[0]}`)
  t.same(stops, [stops[0], stops[0], stops[0]], 'every run stopped at the same iteration')

  await deploy(host, 'cheap', 'export const handler = async () => { let x = 0; for (let i = 0; i < 1e5; i++) x += i; return x }', { maxFuel: 1000 })
  const cheap = await host.invoke('cheap')
  t.equal(cheap.ok, true)
  t.ok(cheap.report.fuelUsed > 0 && cheap.report.fuelUsed < 1000, `work within the budget is metered: ${cheap.report.fuelUsed} units`)
})

t.test('guests cannot reach the host', async (t) => {
  await using host = await createHost(ENGINE_LIMITS)
  await deploy(
    host,
    'escape',
    `export const handler = async () => {
      const attempts = {}
      const tryIt = async (name, fn) => { try { attempts[name] = String(await fn()) } catch (e) { attempts[name] = e.name + ': ' + e.message } }
      await tryIt('hostBindings', () => typeof globalThis.__thaw_host)
      await tryIt('functionConstructor', () => typeof Function('return this')().process?.binding)
      await tryIt('childProcess', () => import('child_process'))
      await tryIt('requireNet', () => typeof globalThis.require)
      await tryIt('wasmHost', () => typeof WebAssembly)
      await tryIt('absoluteImport', () => import('/etc/passwd'))
      return attempts
    }`,
  )
  const result = await host.invoke('escape')
  t.match(result.ok ? result.payload : result.error, {
    hostBindings: 'undefined',
    functionConstructor: 'undefined',
    childProcess: /Cannot find module 'child_process'/,
    requireNet: 'undefined',
    wasmHost: 'undefined',
    absoluteImport: /Cannot find module '\/etc\/passwd'/,
  })
})

t.test('the timeout starts when the invocation reaches its environment, not before INIT', async (t) => {
  await using host = await createHost(ENGINE_LIMITS)
  // INIT takes ~1.5 s of the function's 1 s timeout: on Lambda, INIT has its own limit.
  await deploy(host, 'slow-init', 'await new Promise((r) => setTimeout(r, 1500))\nexport const handler = async () => "served"', { timeoutMs: 1000 })
  const result = await host.invoke('slow-init')
  t.equal(result.ok ? result.payload : errorOf(result).errorType, 'served')
  t.ok((result.report.initDurationMs ?? 0) >= 1400, `INIT took ${result.report.initDurationMs} ms`)
})
