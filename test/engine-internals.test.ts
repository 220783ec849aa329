import t from 'tap'
import { newQuickJSWASMModuleFromVariant } from 'quickjs-emscripten-core'
import releaseSyncImport from '@jitl/quickjs-wasmfile-release-sync'
import type { QuickJSSyncVariant } from 'quickjs-emscripten-core'
import {
  adoptContext,
  adoptHandle,
  adoptRuntime,
  contextPointer,
  handlePointer,
  hostFunctionIds,
  moduleFactory,
  restoreHostFunctions,
  runtimePointer,
} from '../src/isolates/quickjs/engine-internals.js'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'

/**
 * Snapshot restore relies on private members of quickjs-emscripten (pinned at 0.32.0), kept in
 * src/isolates/quickjs/engine-internals.ts. This test fails loudly if an upgrade changes them:
 * it adopts a live runtime, context, value and host function through a second set of wrappers,
 * which is exactly what a restore does with a copied heap.
 */

const variant = releaseSyncImport as unknown as QuickJSSyncVariant

t.test('a runtime, context, value and host function can be adopted by new wrappers', async (t) => {
  const module = await newQuickJSWASMModuleFromVariant(variant)
  const runtime = module.newRuntime()
  const context = runtime.newContext()
  const calls: string[] = []
  const hostFunction = (arg: unknown) => {
    calls.push('called')
    return arg as never
  }
  const fnHandle = context.newFunction('host', hostFunction)
  context.setProp(context.global, 'host', fnHandle)
  fnHandle.dispose()
  const value = context.unwrapResult(context.evalCode('({ answer: 42, ask() { return host(this.answer) } })', 'v.js', { type: 'global' }))

  const rt = runtimePointer(runtime)
  const ctx = contextPointer(context)
  const valuePointer = handlePointer(value)
  t.type(rt, 'number')
  t.type(ctx, 'number')
  t.type(valuePointer, 'number')
  const [id] = hostFunctionIds(runtime, [hostFunction])
  t.type(id, 'number')

  const adoptedRuntime = adoptRuntime(module, rt)
  // The adopted runtime starts with an empty host-function table, as after a restore.
  t.throws(() => restoreHostFunctions(adoptedRuntime, [hostFunction], [(id ?? 0) + 1]), /expects/)
  const fresh = adoptRuntime(module, rt)
  restoreHostFunctions(fresh, [hostFunction], [id ?? 0])
  const adoptedContext = adoptContext(fresh, ctx)
  const adoptedValue = adoptHandle(adoptedContext, valuePointer)
  const answer = adoptedContext.getProp(adoptedValue, 'answer')
  t.equal(adoptedContext.getNumber(answer), 42, 'the adopted handle reads the same object')
  const ask = adoptedContext.getProp(adoptedValue, 'ask')
  const asked = adoptedContext.unwrapResult(adoptedContext.callFunction(ask, adoptedValue))
  t.same(calls, ['called'], 'guest → host calls reach the re-registered function')
  t.equal(adoptedContext.getNumber(asked), 42)
})

t.test('the module factory instantiates the engine over a memory we own', async (t) => {
  const bytes = await readFile(createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm'))
  const factory = await moduleFactory(variant, await WebAssembly.compile(bytes))
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 2048 })
  const module = await factory(memory, () => undefined)
  const context = module.newContext()
  t.equal(context.getNumber(context.unwrapResult(context.evalCode('6 * 7'))), 42)
  t.equal(module.getWasmMemory(), memory, 'the engine runs in the memory given to it')
})
