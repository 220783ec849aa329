// Chunk "fetch": Headers, Request, Response (see web/body.ts and the class modules beside it;
// Blob, File and FormData are the "blob" chunk, loaded when a body needs them). fetch.ts (the `fetch` global, carried out by the host) will be added to
// this chunk: it makes its responses with createFetchedResponse and reads request bodies with
// takeRequestBody.
import { defineGlobals, setChunkLoader, type ChunkLoader } from '../web/chunk-loader.js'
import { Headers } from '../web/headers.js'
import { Request } from '../web/request.js'
import { Response } from '../web/response.js'

export { Headers, Request, Response, setChunkLoader }
export { createFetchedResponse } from '../web/response.js'
export { takeRequestBody } from '../web/request.js'

export function install(global: Record<string, unknown>, loadChunk: ChunkLoader): void {
  setChunkLoader(loadChunk)
  defineGlobals(global, { Headers, Request, Response })
}
