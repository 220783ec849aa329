// Chunk "streams": WHATWG streams from web-streams-polyfill, TextEncoderStream, TextDecoderStream
// (see web/streams.ts). Loaded on the first use of a stream global or of a Response/Request `.body`.
import { defineGlobals, setChunkLoader, type ChunkLoader } from '../web/chunk-loader.js'
import { STREAM_GLOBALS } from '../web/streams.js'

export const { ReadableStream, WritableStream, TransformStream } = STREAM_GLOBALS

export { setChunkLoader }

export function install(global: Record<string, unknown>, loadChunk: ChunkLoader): void {
  setChunkLoader(loadChunk)
  defineGlobals(global, STREAM_GLOBALS)
}
