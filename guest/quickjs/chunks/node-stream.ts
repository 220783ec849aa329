// Chunk "node-stream": node:stream is readable-stream 4 (Node's own streams, published for
// browsers), as Node's lib/stream.js shapes it: the legacy Stream function carrying Readable,
// Writable, Duplex, Transform, PassThrough, pipeline, finished, promises … Its `process/`,
// `string_decoder/` and `abort-controller` are the guest's own (see guest/build.ts).
import '../node/symbol-dispose.js'
import Stream from 'readable-stream/lib/stream.js'

export function create(): unknown {
  return Stream
}
