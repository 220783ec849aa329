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

/**
 * The QuickJS engine: its WebAssembly.Module compiled once per process, and a factory for module
 * instances. Every execution environment gets its own instance and so its own linear memory,
 * capped at the function's memory size: one tenant's heap can neither see nor starve another's.
 */
export class QuickJsEngine {
  readonly #module: WebAssembly.Module
  /** SHA-256 of the engine's Wasm: snapshots record it and refuse to restore into another build. */
  readonly buildHash: string
  #freshDirtyPages: Promise<readonly number[]> | undefined

  private constructor(module: WebAssembly.Module, buildHash: string) {
    this.#module = module
    this.buildHash = buildHash
  }

  static async load(): Promise<QuickJsEngine> {
    try {
      const wasmPath = createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm')
      const bytes = await readFile(wasmPath)
      const module = await WebAssembly.compile(bytes)
      return new QuickJsEngine(module, createHash('sha256').update(bytes).digest('hex'))
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
  async instantiate(memoryMb: number, initialPages = INITIAL_PAGES): Promise<{ module: QuickJSWASMModule; memory: WebAssembly.Memory }> {
    const maximum = Math.max(INITIAL_PAGES, Math.floor((memoryMb * 1024 * 1024) / PAGE_BYTES))
    const memory = new WebAssembly.Memory({ initial: Math.min(Math.max(INITIAL_PAGES, initialPages), maximum), maximum })
    const variant = newVariant(releaseSync, { wasmModule: this.#module, wasmMemory: memory })
    const module = await newQuickJSWASMModuleFromVariant(variant)
    return { module, memory }
  }
}
