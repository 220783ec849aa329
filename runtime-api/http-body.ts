import type { IncomingMessage } from 'node:http'

export interface RequestBody {
  /**
   * The bytes as they arrived (empty when over the limit). Not decoded here: a response body is
   * whatever the runtime posted (an image, gzip), and Lambda returns it byte for byte.
   */
  readonly bytes: Buffer
  /** How many bytes arrived, the part over the limit included. */
  readonly sizeBytes: number
}

/**
 * Reads a request body, keeping at most `limitBytes` of it. The rest is read and counted but
 * dropped: a runtime posting more than the limit must still hear the 413 (answering before its
 * upload ends would reset the connection under it), and the host must not hold what it refuses.
 */
export function readBodyUpTo(request: IncomingMessage, limitBytes: number): Promise<RequestBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let sizeBytes = 0
    request.on('data', (chunk: Buffer) => {
      sizeBytes += chunk.length
      if (sizeBytes <= limitBytes) chunks.push(chunk)
      else chunks.length = 0
    })
    request.on('end', () => {
      resolve({ bytes: sizeBytes > limitBytes ? Buffer.alloc(0) : Buffer.concat(chunks), sizeBytes })
    })
    request.on('error', reject)
    request.on('aborted', () => reject(new Error('The runtime closed the connection before the body ended')))
  })
}
