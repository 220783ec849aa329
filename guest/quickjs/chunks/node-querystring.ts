// Chunk "node-querystring": node:querystring (see node-util/querystring.ts).
import { querystring } from '../node-util/querystring.js'

export function create(): unknown {
  return querystring
}
