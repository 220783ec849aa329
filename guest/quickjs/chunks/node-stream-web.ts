// Chunk "node-stream-web": node:stream/web, the classes of the web platform's streams chunk, the
// very classes of the ReadableStream… globals. Node 20's CompressionStream and DecompressionStream
// are missing (the platform has neither).
import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import type { ChunkLoader } from '../web/chunk-loader.js'

interface StreamsChunk {
  install(target: Record<string, unknown>, loadChunk: ChunkLoader): void
}

export function create(host: HostBindings): unknown {
  const classes: Record<string, unknown> = {}
  ;(host.loadChunk('streams') as StreamsChunk).install(classes, (name) => host.loadChunk(name))
  // install() defines them as globals are (not enumerable); a module's exports are enumerable.
  return Object.fromEntries(Object.getOwnPropertyNames(classes).map((name) => [name, classes[name]]))
}
