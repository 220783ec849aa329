import { performance } from 'node:perf_hooks'
import { createRequire } from 'node:module'
import vm from 'node:vm'
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSSyncVariant } from 'quickjs-emscripten-core'
import releaseSyncImport from '@jitl/quickjs-wasmfile-release-sync'
import type { Workload } from '../workloads/index.js'

/**
 * What a Node user would pick instead of Thaw, doing the same work: a fresh isolate per cold
 * start (INIT included), then warm calls.
 */
export interface Peer {
  readonly name: string
  /** A new isolated context with INIT run; returns a function that invokes the handler once. */
  start(workload: Workload & { readonly script: string }, tenant: number): Promise<() => Promise<unknown>>
}

const variant = releaseSyncImport as unknown as QuickJSSyncVariant

export const peers: Peer[] = [
  {
    // Not a security boundary; unique source per tenant, since real tenants' code differs
    // (V8's compile cache would otherwise make every "cold" start warm).
    name: 'node:vm context',
    async start(workload, tenant) {
      const context = vm.createContext({})
      vm.runInContext(`${workload.script}\n//# tenant ${tenant}`, context)
      const event = JSON.stringify(workload.event)
      return () => vm.runInContext(`handler(JSON.parse(${JSON.stringify(event)})).then(JSON.stringify)`, context) as Promise<unknown>
    },
  },
  {
    name: 'quickjs-emscripten, no snapshot',
    async start(workload) {
      const module = await newQuickJSWASMModuleFromVariant(variant)
      const context = module.newContext()
      context.unwrapResult(context.evalCode(workload.script, 'workload.js', { type: 'global' })).dispose()
      const event = JSON.stringify(workload.event)
      return async () => callHandler(context, event)
    },
  },
]

/** The part of isolated-vm's API the benchmark uses (its package lives in bench/peers/isolated-vm/). */
interface IsolatedVm {
  Isolate: new (options: { memoryLimit: number }) => {
    createContext(): Promise<{
      global: { set(name: string, value: unknown): Promise<void>; derefInto(): unknown }
      eval(code: string, options?: { promise: boolean }): Promise<unknown>
    }>
  }
}

/**
 * isolated-vm (5.0.4, the version that builds on Node 20) is an optional dependency: a native
 * addon built at install time, needing `node --no-node-snapshot`. When it is missing (or failed to
 * build) the benchmark says so and goes on.
 */
export async function isolatedVmPeer(): Promise<Peer | string> {
  let ivm: IsolatedVm
  try {
    ivm = createRequire(new URL('./isolated-vm/package.json', import.meta.url))('isolated-vm') as IsolatedVm
  } catch (error) {
    return `isolated-vm left out (run \`npm run bench:setup\` to build it): ${(error as Error).message.split('\n')[0]}`
  }
  return {
    name: 'isolated-vm',
    async start(workload, tenant) {
      const isolate = new ivm.Isolate({ memoryLimit: 128 })
      const context = await isolate.createContext()
      await context.global.set('globalThis', context.global.derefInto())
      await context.eval(`${workload.script}\n//# tenant ${tenant}`)
      const event = JSON.stringify(workload.event)
      return () => context.eval(`handler(JSON.parse(${JSON.stringify(event)})).then(JSON.stringify)`, { promise: true })
    },
  }
}

function callHandler(context: QuickJSContext, event: string): string {
  const result = context.unwrapResult(
    context.evalCode(`handler(JSON.parse(${JSON.stringify(event)})).then((v) => { globalThis.__out = JSON.stringify(v) }); 0`, 'call.js', { type: 'global' }),
  )
  result.dispose()
  context.runtime.executePendingJobs()
  const out = context.getProp(context.global, '__out')
  const text = context.getString(out)
  out.dispose()
  return text
}

export { performance }
