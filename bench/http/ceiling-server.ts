/**
 * The ceiling: a bare node:http server that answers every request with a response the size and
 * shape of hello's (same headers, a 100-byte JSON body) without running anything. Measured with
 * the same generators, it shows how much of the machine HTTP alone takes, so Thaw's figures can
 * be read as a share of what is possible here.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CeilingServer {
  readonly url: string
  close(): Promise<void>
}

export async function startCeilingServer(): Promise<CeilingServer> {
  const server: Server = createServer((req, res) => {
    req.resume() // the body is read and dropped
    req.once('end', () => {
      const requestId = randomUUID()
      const body = JSON.stringify({ message: 'Hello, bench!', invocations: 1, requestId })
      res.writeHead(200, [
        'content-type',
        'application/json',
        'content-length',
        String(Buffer.byteLength(body)),
        'x-amzn-requestid',
        requestId,
        'x-amz-executed-version',
        '$LATEST',
      ])
      res.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
