import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import releaseSyncImport from '@jitl/quickjs-wasmfile-release-sync'
import type { QuickJSSyncVariant, QuickJSWASMModule } from 'quickjs-emscripten-core'
import { moduleFactory, type ModuleFactory } from './engine-internals.js'
import { ThawError } from '../../errors.js'
import { nonZeroPages, restoreMemoryImage, type MemoryImage } from '../../snapshots/memory-image.js'

// The package's types describe its CommonJS build; under ESM its default export is the variant itself.
const releaseSync = releaseSyncImport as unknown as QuickJSSyncVariant

/** Wasm pages are 64 KiB; QuickJS's build declares 16 MiB as its minimum memory. */
const PAGE_BYTES = 65_536
const INITIAL_PAGES = 256
const PREPARED_PER_SNAPSHOT = 2

interface PreparedRestores {
  readonly memoryMb: number
  readonly image: MemoryImage
  readonly instances: EngineInstance[]
  filling: boolean
}

export interface EngineInstance {
  readonly module: QuickJSWASMModule
  readonly memory: WebAssembly.Memory
  /** Set by the environment that owns the instance: called when its heap cannot grow any more. */
  onHeapExhausted: () => void
}

interface Shape {
  readonly initial: number
  readonly maximum: number
}

function shapeOf(memoryMb: number, initialPages: number): Shape {
  const maximum = Math.max(INITIAL_PAGES, Math.floor((memoryMb * 1024 * 1024) / PAGE_BYTES))
  const initial = Math.min(Math.max(INITIAL_PAGES, initialPages), maximum)
  return { initial, maximum }
}

/**
 * The QuickJS engine: its WebAssembly.Module compiled once per process, and a factory for module
 * instances. Every execution environment gets its own instance and so its own linear memory,
 * capped at the function's memory size: one tenant's heap can neither see nor starve another's.
 */
export class QuickJsEngine {
  /** SHA-256 of the engine's Wasm: snapshots record it and refuse to restore into another build. */
  readonly buildHash: string
  /** The version of quickjs-emscripten's Wasm variant, pinned exactly. */
  readonly version: string
  #freshDirtyPages: Promise<readonly number[]> | undefined
  /** Instances with a snapshot's memory already copied in, by snapshot image. */
  #prepared = new WeakMap<MemoryImage, PreparedRestores>()

  readonly #newModule: ModuleFactory

  private constructor(newModule: ModuleFactory, buildHash: string, version: string) {
    this.#newModule = newModule
    this.buildHash = buildHash
    this.version = version
  }

  static async load(): Promise<QuickJsEngine> {
    try {
      const require = createRequire(import.meta.url)
      const bytes = await readFile(require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm'))
      const { version } = require('@jitl/quickjs-wasmfile-release-sync/package.json') as { version: string }
      const module = await WebAssembly.compile(bytes)
      const factory = await moduleFactory(releaseSync, module)
      return new QuickJsEngine(factory, createHash('sha256').update(bytes).digest('hex'), version)
    } catch (cause) {
      throw new ThawError('THAW_ENGINE_FAILURE', `Could not load the QuickJS engine: ${(cause as Error).message}`, { cause })
    }
  }

  /**
   * The 4 KiB pages a freshly instantiated engine has written (data segments, constructors,
   * stack): a restore must zero those its snapshot does not cover. The same for every instance.
   */
  freshDirtyPages(): Promise<readonly number[]> {
    this.#freshDirtyPages ??= this.instantiate(128).then(({ memory }) => nonZeroPages(new Uint8Array(memory.buffer)))
    return this.#freshDirtyPages
  }

  /**
   * A fresh engine instance whose memory can never grow past `memoryMb`; `initialPages` (64 KiB
   * each) sizes it up front for a snapshot that needs more than the default 16 MiB.
   */
  instantiate(memoryMb: number, initialPages = INITIAL_PAGES): Promise<EngineInstance> {
    return this.#create(shapeOf(memoryMb, initialPages))
  }

  /**
   * Keeps a couple of instances of `image` ready, its pages already copied in, so that a restore
   * on the request path only adopts the heap and runs what must differ per environment (reseed,
   * after-restore hooks). The preparation runs in idle time: instantiating costs milliseconds
   * (and V8 GCs for the fresh memories), copying into untouched memory is page-fault bound.
   */
  keepRestored(memoryMb: number, image: MemoryImage): void {
    if (this.#prepared.has(image)) return
    const entry: PreparedRestores = { memoryMb, image, instances: [], filling: false }
    this.#prepared.set(image, entry)
    setImmediate(() => this.#refill(entry))
  }

  /** A prepared instance holding `image`, if one is ready (the pool refills itself). */
  takeRestored(image: MemoryImage): EngineInstance | undefined {
    const entry = this.#prepared.get(image)
    const instance = entry?.instances.pop()
    if (entry !== undefined) setImmediate(() => this.#refill(entry))
    return instance
  }

  /** Drops prepared instances and stops preparing more. */
  dropPrepared(): void {
    this.#prepared = new WeakMap()
  }

  #refill(entry: PreparedRestores): void {
    if (entry.filling || entry.instances.length >= PREPARED_PER_SNAPSHOT || this.#prepared.get(entry.image) !== entry) return
    entry.filling = true
    Promise.all([this.#create(shapeOf(entry.memoryMb, entry.image.wasmPages)), this.freshDirtyPages()]).then(
      ([instance, dirtyPages]) => {
        entry.filling = false
        if (this.#prepared.get(entry.image) !== entry) return
        restoreMemoryImage(instance.memory, entry.image, dirtyPages)
        entry.instances.push(instance)
        setImmediate(() => this.#refill(entry))
      },
      () => {
        entry.filling = false // the next restore on the request path reports the failure
      },
    )
  }

  async #create(shape: Shape): Promise<EngineInstance> {
    const memory = new WebAssembly.Memory({ initial: shape.initial, maximum: shape.maximum })
    const instance: EngineInstance = { module: undefined as unknown as QuickJSWASMModule, memory, onHeapExhausted: () => undefined }
    return Object.assign(instance, { module: await this.#newModule(memory, () => instance.onHeapExhausted()) })
  }
}
