import type { IncomingMessage } from 'node:http'
import { ThawError } from '../errors.js'

/**
 * How far past the limit a body is still read (and thrown away) so that the client, still
 * sending, gets the 413 instead of a reset connection. Beyond this the connection is cut.
 */
const DRAIN_ALLOWANCE_BYTES = 16 * 1024 * 1024

/**
 * Reads a request body of at most `limitBytes`. Over the limit it throws THAW_REQUEST_TOO_LARGE
 * once the body has been drained, without ever holding more than `limitBytes` in memory.
 */
export async function readBody(req: IncomingMessage, limitBytes: number, operation: string): Promise<Buffer> {
  const tooLarge = () =>
    new ThawError('THAW_REQUEST_TOO_LARGE', `Request must be smaller than ${limitBytes} bytes for the ${operation} operation`)
  const declared = Number(req.headers['content-length'])
  const chunks: Buffer[] = []
  let received = 0
  let over = Number.isFinite(declared) && declared > limitBytes
  for await (const chunk of req as AsyncIterable<Buffer>) {
    received += chunk.length
    if (received > limitBytes) over = true
    if (over) {
      chunks.length = 0
      if (received > limitBytes + DRAIN_ALLOWANCE_BYTES) {
        req.socket.destroy()
        throw tooLarge()
      }
      continue
    }
    chunks.push(chunk)
  }
  if (over) throw tooLarge()
  return Buffer.concat(chunks, received)
}
