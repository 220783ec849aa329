import {
  Lifetime,
  QuickJSRuntime,
  QuickJSWASMModule,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSSyncVariant,
} from 'quickjs-emscripten-core'

/**
 * The only module that reaches into quickjs-emscripten's private members, pinned at 0.32.0.
 *
 * Why: restoring a snapshot means copying a QuickJS heap into a fresh Wasm instance and then
 * speaking to the runtime, context and values that already live in it. quickjs-emscripten has
 * no public way to adopt an existing runtime pointer, to wrap a raw value pointer in a handle, or
 * to give a host function a known id. test/engine-internals.test.ts fails loudly if an upgrade
 * changes any of the shapes used here.
 */

interface ModuleInternals {
  readonly module: unknown
  readonly ffi: unknown
  readonly callbacks: unknown
}

interface RuntimeInternals {
  readonly rt: Lifetime<number>
  readonly hostRefs: HostRefMapInternals
}

interface HostRefMapInternals {
  put(value: unknown): number
  readonly groups: Map<number, Map<number, unknown>>
}

interface ContextInternals {
  readonly ctx: Lifetime<number>
  readonly memory: { heapValueHandle(pointer: number): QuickJSHandle }
}

/** The address of a runtime's JSRuntime in Wasm memory. */
export function runtimePointer(runtime: QuickJSRuntime): number {
  return (runtime as unknown as RuntimeInternals).rt.value
}

/** The address of a context's JSContext in Wasm memory. */
export function contextPointer(context: QuickJSContext): number {
  return (context as unknown as ContextInternals).ctx.value
}

/** The address of the heap JSValue a handle owns. */
export function handlePointer(handle: QuickJSHandle): number {
  return handle.value as unknown as number
}

/** A QuickJSRuntime object for a JSRuntime that already lives in `module`'s memory. */
export function adoptRuntime(module: QuickJSWASMModule, pointer: number): QuickJSRuntime {
  const internals = module as unknown as ModuleInternals
  const Runtime = QuickJSRuntime as unknown as new (args: Record<string, unknown>) => QuickJSRuntime
  return new Runtime({ module: internals.module, ffi: internals.ffi, callbacks: internals.callbacks, rt: new Lifetime(pointer) })
}

/** A QuickJSContext object for a JSContext that already lives in the runtime's memory. */
export function adoptContext(runtime: QuickJSRuntime, pointer: number): QuickJSContext {
  return runtime.newContext({ contextPointer: pointer as never })
}

/** A handle owning the heap JSValue at `pointer` (as `handlePointer` gave it before the snapshot). */
export function adoptHandle(context: QuickJSContext, pointer: number): QuickJSHandle {
  return (context as unknown as ContextInternals).memory.heapValueHandle(pointer)
}

/** The host-reference ids under which `functions` are registered in `runtime`, in order. */
export function hostFunctionIds(runtime: QuickJSRuntime, functions: readonly unknown[]): number[] {
  const byValue = new Map<unknown, number>()
  for (const group of (runtime as unknown as RuntimeInternals).hostRefs.groups.values()) {
    for (const [id, value] of group) byValue.set(value, id)
  }
  return functions.map((fn) => {
    const id = byValue.get(fn)
    if (id === undefined) throw new Error('A host function is not registered in this runtime')
    return id
  })
}

/**
 * Registers `functions` in a fresh adopted runtime so that each gets the id it had before the
 * snapshot: the guest's function objects carry those ids. A fresh map hands ids out in order, so
 * registering in the original order reproduces them; anything else is refused.
 */
export function restoreHostFunctions(runtime: QuickJSRuntime, functions: readonly unknown[], ids: readonly number[]): void {
  const hostRefs = (runtime as unknown as RuntimeInternals).hostRefs
  functions.forEach((fn, index) => {
    const id = hostRefs.put(fn)
    if (id !== ids[index]) throw new Error(`Host function ${index} got id ${id}, the snapshot expects ${ids[index]}`)
  })
}

/** Makes a QuickJSWASMModule over a given Wasm memory, from the engine's compiled module. */
export type ModuleFactory = (memory: WebAssembly.Memory, onHeapExhausted: () => void) => Promise<QuickJSWASMModule>

/**
 * What quickjs-emscripten's `newQuickJSWASMModuleFromVariant` does, without its three dynamic
 * `import()`s per call (they dominate a cold start's engine setup) and with a synchronous
 * `WebAssembly.Instance`: the variant's loader and FFI class are loaded once.
 */
export async function moduleFactory(variant: QuickJSSyncVariant, compiled: WebAssembly.Module): Promise<ModuleFactory> {
  type Loader = (options: Record<string, unknown>) => Promise<Record<string, unknown>>
  type Ffi = new (module: unknown) => unknown
  const [loader, Ffi] = (await Promise.all([variant.importModuleLoader().then(unwrapDefault), variant.importFFI()])) as [Loader, Ffi]
  const Module = QuickJSWASMModule as unknown as new (module: unknown, ffi: unknown) => QuickJSWASMModule
  return async (memory, onHeapExhausted) => {
    const emscripten = await loader({
      wasmMemory: memory,
      instantiateWasm(imports: WebAssembly.Imports, onSuccess: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
        observeHeapGrowth(imports, onHeapExhausted)
        const instance = new WebAssembly.Instance(compiled, imports)
        onSuccess(instance, compiled)
        return instance.exports
      },
    })
    emscripten.type = 'sync'
    return new Module(emscripten, new Ffi(emscripten))
  }
}

/**
 * Emscripten's `emscripten_resize_heap` import (its name is minified; it is the one that calls
 * `grow`) returns false when the memory is at its maximum: malloc then fails and QuickJS throws a
 * catchable "out of memory". Wrapping it lets the host know the guest ran out of memory even if
 * the guest catches that error.
 */
function observeHeapGrowth(imports: WebAssembly.Imports, onHeapExhausted: () => void): void {
  const env = Object.values(imports)[0] as Record<string, unknown>
  const resize = Object.entries(env).find(([, value]) => typeof value === 'function' && /\.grow\(/.test(String(value)))
  if (resize === undefined) throw new Error('The engine has no heap-resize import to observe')
  const [name, original] = resize as [string, (size: number) => unknown]
  env[name] = (size: number) => {
    const grown = original(size)
    if (!grown) onHeapExhausted()
    return grown
  }
}

function unwrapDefault(value: unknown): unknown {
  let current = value as { default?: unknown } | undefined
  while (current !== undefined && current !== null && typeof current === 'object' && 'default' in current && current.default) {
    current = current.default as { default?: unknown }
  }
  return current
}
