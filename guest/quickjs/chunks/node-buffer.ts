// Chunk "node-buffer": node:buffer, from the `buffer` package (feross/buffer, Node's Buffer for browsers).
// `buffer/` (with the slash) is the npm package; plain `buffer` would be this builtin itself.
import * as buffer from 'buffer/'

export function create(): unknown {
  return buffer
}
