// Chunk "fetch": Headers, Request, Response (see web/body.ts and the class modules beside it;
// Blob, File and FormData are the "blob" chunk, loaded when a body needs them), and `fetch`
// itself (web/fetch.ts, carried out by the host).
import { defineGlobals, setChunkLoader, type ChunkLoader } from '../web/chunk-loader.js'
import { createFetch } from '../web/fetch.js'
import { Headers } from '../web/headers.js'
import { Request } from '../web/request.js'
import { Response } from '../web/response.js'

export { Headers, Request, Response, setChunkLoader }
export { createFetchedResponse } from '../web/response.js'
export { takeRequestBody } from '../web/request.js'

export function install(global: Record<string, unknown>, loadChunk: ChunkLoader): void {
  setChunkLoader(loadChunk)
  defineGlobals(global, { Headers, Request, Response, fetch: createFetch(global) })
}
