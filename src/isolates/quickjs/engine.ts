import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import releaseSyncImport from '@jitl/quickjs-wasmfile-release-sync'
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core'
import { ThawError } from '../../errors.js'
import { nonZeroPages } from '../../snapshots/memory-image.js'

// The package's types describe its CommonJS build; under ESM its default export is the variant itself.
const releaseSync = releaseSyncImport as unknown as QuickJSSyncVariant

/** Wasm pages are 64 KiB; QuickJS's build declares 16 MiB as its minimum memory. */
const PAGE_BYTES = 65_536
const INITIAL_PAGES = 256
const BLANKS_PER_SHAPE = 2

export interface EngineInstance {
  readonly module: QuickJSWASMModule
  readonly memory: WebAssembly.Memory
}

interface Shape {
  readonly key: string
  readonly initial: number
  readonly maximum: number
}

function shapeOf(memoryMb: number, initialPages: number): Shape {
  const maximum = Math.max(INITIAL_PAGES, Math.floor((memoryMb * 1024 * 1024) / PAGE_BYTES))
  const initial = Math.min(Math.max(INITIAL_PAGES, initialPages), maximum)
  return { key: `${maximum}:${initial}`, initial, maximum }
}

/**
 * The QuickJS engine: its WebAssembly.Module compiled once per process, and a factory for module
 * instances. Every execution environment gets its own instance and so its own linear memory,
 * capped at the function's memory size: one tenant's heap can neither see nor starve another's.
 */
export class QuickJsEngine {
  readonly #module: WebAssembly.Module
  /** SHA-256 of the engine's Wasm: snapshots record it and refuse to restore into another build. */
  readonly buildHash: string
  /** The version of quickjs-emscripten's Wasm variant, pinned exactly. */
  readonly version: string
  #freshDirtyPages: Promise<readonly number[]> | undefined
  /** Blank instances made ahead of time, by memory shape ("maximum:initial" pages). */
  readonly #blanks = new Map<string, EngineInstance[]>()
  readonly #wantedBlanks = new Set<string>()

  private constructor(module: WebAssembly.Module, buildHash: string, version: string) {
    this.#module = module
    this.buildHash = buildHash
    this.version = version
  }

  static async load(): Promise<QuickJsEngine> {
    try {
      const require = createRequire(import.meta.url)
      const bytes = await readFile(require.resolve('@jitl/quickjs-wasmfile-release-sync/wasm'))
      const { version } = require('@jitl/quickjs-wasmfile-release-sync/package.json') as { version: string }
      const module = await WebAssembly.compile(bytes)
      return new QuickJsEngine(module, createHash('sha256').update(bytes).digest('hex'), version)
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
  async instantiate(memoryMb: number, initialPages = INITIAL_PAGES): Promise<EngineInstance> {
    const shape = shapeOf(memoryMb, initialPages)
    const blank = this.#blanks.get(shape.key)?.pop()
    if (blank !== undefined) {
      setImmediate(() => this.#refill(shape))
      return blank
    }
    return this.#create(shape)
  }

  /**
   * Keeps a couple of blank instances of this shape ready: instantiating costs milliseconds (and
   * triggers V8 GCs for the fresh 16+ MiB memories); restoring into a ready one only copies pages.
   */
  keepBlanks(memoryMb: number, initialPages: number): void {
    const shape = shapeOf(memoryMb, initialPages)
    if (this.#wantedBlanks.has(shape.key)) return
    this.#wantedBlanks.add(shape.key)
    this.#blanks.set(shape.key, [])
    setImmediate(() => this.#refill(shape))
  }

  dropBlanks(): void {
    this.#wantedBlanks.clear()
    this.#blanks.clear()
  }

  #refill(shape: Shape): void {
    const blanks = this.#blanks.get(shape.key)
    if (blanks === undefined || !this.#wantedBlanks.has(shape.key) || blanks.length >= BLANKS_PER_SHAPE) return
    this.#create(shape).then(
      (instance) => {
        if (this.#blanks.get(shape.key) !== blanks) return
        blanks.push(instance)
        setImmediate(() => this.#refill(shape))
      },
      () => undefined, // the next instantiate() reports the failure
    )
  }

  async #create(shape: Shape): Promise<EngineInstance> {
    const memory = new WebAssembly.Memory({ initial: shape.initial, maximum: shape.maximum })
    const variant = newVariant(releaseSync, { wasmModule: this.#module, wasmMemory: memory })
    const module = await newQuickJSWASMModuleFromVariant(variant)
    return { module, memory }
  }
}
