// Chunk "node-stream-promises": node:stream/promises is node:stream's `promises` (one copy of the streams).
import Stream from 'stream'

export function create(): unknown {
  return (Stream as unknown as { promises: unknown }).promises
}
