// Chunk "events": Event, EventTarget, CustomEvent, AbortController, AbortSignal (see web/event-target.ts, web/abort.ts).
import { AbortController, AbortSignal } from '../web/abort.js'
import { defineGlobals, setChunkLoader, type ChunkLoader } from '../web/chunk-loader.js'
import { CustomEvent, Event } from '../web/event.js'
import { EventTarget } from '../web/event-target.js'

export { AbortController, AbortSignal, CustomEvent, Event, EventTarget }
export { abortSignal, isAbortSignal } from '../web/abort.js'

export { setChunkLoader }

export function install(global: Record<string, unknown>, loadChunk: ChunkLoader): void {
  setChunkLoader(loadChunk)
  defineGlobals(global, { Event, EventTarget, CustomEvent, AbortController, AbortSignal })
}
