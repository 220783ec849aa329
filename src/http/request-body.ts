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
 * Plain 'data'/'end' listeners, not `for await`: the async iterator costs several microseconds
 * a request, which shows at thousands of invocations a second.
 */
export function readBody(req: IncomingMessage, limitBytes: number, operation: string): Promise<Buffer> {
  const tooLarge = () =>
    new ThawError('THAW_REQUEST_TOO_LARGE', `Request must be smaller than ${limitBytes} bytes for the ${operation} operation`)
  const declared = Number(req.headers['content-length'])
  return new Promise<Buffer>((resolve, reject) => {
    if (req.readableEnded) {
      resolve(Buffer.alloc(0)) // read before (by another reader): nothing is left
      return
    }
    if (req.destroyed) {
      reject(new Error('the request was aborted before its body was complete'))
      return
    }
    const chunks: Buffer[] = []
    let received = 0
    let over = Number.isFinite(declared) && declared > limitBytes
    const settle = (error: Error | undefined) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose)
      if (error !== undefined) reject(error)
      else if (over) reject(tooLarge())
      else resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, received))
    }
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (received > limitBytes) over = true
      if (!over) {
        chunks.push(chunk)
        return
      }
      chunks.length = 0
      if (received > limitBytes + DRAIN_ALLOWANCE_BYTES) {
        req.socket.destroy()
        settle(tooLarge())
      }
    }
    const onEnd = () => settle(undefined)
    const onError = (error: Error) => settle(error)
    // A client that goes away mid-body: nothing will end it.
    const onClose = () => settle(new Error('the request was aborted before its body was complete'))
    req.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose)
  })
}
