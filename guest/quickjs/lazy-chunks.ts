import type { HostBindings } from '../../runtime-api/in-process-protocol.js'
import { defineLazyGlobal } from './globals/lazy.js'
import type { ChunkLoader } from './web/chunk-loader.js'

/**
 * Globals backed by chunks: each global starts as an accessor; the first read asks the host to
 * evaluate the chunk, which installs the real values, and returns them. A handler that never
 * touches URL never pays for parsing a URL parser.
 */

/** The global names each chunk installs. */
const CHUNK_GLOBALS = {
  url: ['URL', 'URLSearchParams'],
  'text-encoding': ['TextEncoder', 'TextDecoder'],
  'structured-clone': ['structuredClone'],
  base64: ['atob', 'btoa'],
  // The web platform (guest/quickjs/web/), split so that a handler pays only for what it touches:
  // AbortController alone does not parse streams, and a Response read with text() never does.
  'dom-exception': ['DOMException'],
  events: ['Event', 'EventTarget', 'CustomEvent', 'AbortController', 'AbortSignal'],
  streams: [
    'ReadableStream', 'ReadableStreamDefaultReader', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest',
    'ReadableByteStreamController', 'ReadableStreamDefaultController', 'TransformStream',
    'TransformStreamDefaultController', 'WritableStream', 'WritableStreamDefaultWriter',
    'WritableStreamDefaultController', 'ByteLengthQueuingStrategy', 'CountQueuingStrategy',
    'TextEncoderStream', 'TextDecoderStream',
  ],
  blob: ['Blob', 'File', 'FormData'],
  fetch: ['Headers', 'Request', 'Response', 'fetch'],
} as const

/** A chunk of CHUNK_GLOBALS; `loadChunk` reaches the other chunks it uses (each is evaluated once). */
type Installer = { install(global: Record<string, unknown>, loadChunk: ChunkLoader): void }

/**
 * Makes `host.loadChunk` evaluate each chunk at most once per environment and share its exports,
 * so that the modules built on a chunk see one state (util.inspect.defaultOptions is the object
 * console output reads; deprecation warnings are counted once across node:util, url and assert).
 */
export function shareChunks(host: HostBindings): void {
  const load = host.loadChunk
  const loaded = new Map<string, unknown>()
  host.loadChunk = (name) => {
    if (!loaded.has(name)) loaded.set(name, load(name))
    return loaded.get(name)
  }
}

export function installChunkGlobals(global: Record<string, unknown>, host: HostBindings): void {
  // Chunks are separate bundles: one that needs another (Response.body needs streams) asks the
  // shared loader (see shareChunks), so each chunk's code, and so each class, exists once.
  const loadChunk: ChunkLoader = (name) => host.loadChunk(name)
  for (const [chunk, names] of Object.entries(CHUNK_GLOBALS)) {
    let installed = false
    const install = () => {
      if (installed) return
      installed = true
      // Drop our accessors first, so the chunk's installer defines the globals afresh.
      for (const name of names) delete global[name]
      ;(loadChunk(chunk) as Installer).install(global, loadChunk)
    }
    for (const name of names) {
      defineLazyGlobal(global, name, () => {
        install()
        return global[name]
      })
    }
  }
}

/** Node's util.format for console output, loaded with its chunk on first need. */
export function lazyFormatter(host: HostBindings): (args: readonly unknown[]) => string {
  let format: ((args: readonly unknown[]) => string) | undefined
  return (args) => {
    format ??= (host.loadChunk('inspect') as { formatLogArguments: (args: readonly unknown[]) => string }).formatLogArguments
    return format(args)
  }
}

/**
 * Before a snapshot: loads the chunks of the lazy globals that the modules loaded during INIT
 * mention (the host scans their sources), so that a restored environment does not parse them on
 * its first invocation. A hono app names Request, Response and ReadableStream at INIT but first
 * constructs them in a request; primed, its snapshot start no longer pays ~40 ms of parsing.
 */
export function primeChunkGlobals(global: Record<string, unknown>, host: HostBindings): void {
  const candidates = [...Object.values(CHUNK_GLOBALS).flat(), 'Buffer']
  const names = host.referencedNames(candidates.join(',')).split(',')
  // Frameworks re-wrap responses (`new Response(res.body, res)`, as hono's middleware does), which
  // makes a body stream: code that handles Responses gets the streams chunk too.
  if (names.includes('Response') || names.includes('Request')) names.push('ReadableStream')
  for (const name of names) {
    if (name === '') continue
    try {
      void global[name]
    } catch {
      // A chunk that fails to load fails again, visibly, where the handler touches it.
    }
  }
}
