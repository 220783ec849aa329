// Chunk "node-string_decoder": node:string_decoder (see node/string-decoder.ts).
import { StringDecoder } from '../node/string-decoder.js'

export function create(): unknown {
  return { StringDecoder }
}
