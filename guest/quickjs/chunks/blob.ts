// Chunk "blob": Blob, File, FormData (see web/blob.ts, web/form-data.ts) and multipart/form-data
// (web/multipart.ts). The fetch chunk loads it when a body is, or becomes, one of these.
import { Blob, File } from '../web/blob.js'
import { defineGlobals, setChunkLoader, type ChunkLoader } from '../web/chunk-loader.js'
import { FormData } from '../web/form-data.js'

export { Blob, File, FormData, setChunkLoader }
export { blobBytes, createBlob, isBlob, normalizeType } from '../web/blob.js'
export { formDataEntries, formDataFrom, isFormData } from '../web/form-data.js'
export { parseMultipart, serializeMultipart } from '../web/multipart.js'

export function install(global: Record<string, unknown>, loadChunk: ChunkLoader): void {
  setChunkLoader(loadChunk)
  defineGlobals(global, { Blob, File, FormData })
}
