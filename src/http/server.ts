import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { z } from 'zod'
import type { Logger } from 'pino'
import type { Host } from '../host.js'
import { parseOptions } from '../config/validate.js'
import { silentLogger } from '../telemetry/logger.js'
import { functionEndpoints, type FunctionEndpoints } from './endpoints.js'
import { functionUrlRoute, type FunctionUrlPolicy } from './function-url-route.js'
import { healthRoute } from './health-route.js'
import { invokeRoute } from './invoke-route.js'
import { managementRoutes } from './management/index.js'
import { functionUrlConfigRoutes } from './management/url-config-routes.js'
import { createRouter, type Route } from './router.js'

export interface HttpServerOptions {
  /** The host whose functions are served; the server never closes it (its owner does). */
  readonly host: Host
  /** 0 picks a free port; read the real one from `server.port`. Default 9000. */
  readonly port?: number
  /** The interface to listen on. Default 127.0.0.1: nothing here checks signatures. */
  readonly hostname?: string
  /** More operations, tried after the built-in ones (Invoke, management, function URLs, health). */
  readonly routes?: readonly Route[]
  /**
   * Which functions have a function URL on `$LATEST` without a CreateFunctionUrlConfig (AuthType
   * NONE, BUFFERED). Default: all of them. The management API adds, changes and deletes URLs on
   * top of it; they are kept per host, so every server over the host sees them.
   */
  readonly functionUrls?: FunctionUrlPolicy
  readonly logger?: Logger
}

const listenOptionsSchema = z.strictObject({
  port: z.number().int('must be a whole number').min(0).max(65535).default(9000),
  hostname: z.string().min(1).default('127.0.0.1'),
})

/** Starts the HTTP front end (Invoke API, management API subset, function URLs, health) over a host. */
export async function startHttpServer(options: HttpServerOptions): Promise<ThawHttpServer> {
  const { port, hostname } = parseOptions(listenOptionsSchema, { port: options.port, hostname: options.hostname }, 'server options')
  const hasUrl = options.functionUrls ?? (() => true)
  const logger = options.logger ?? silentLogger()
  const server = new ThawHttpServer(options.host, hasUrl)
  const routes = [invokeRoute, healthRoute, functionUrlRoute(hasUrl), ...managementRoutes, ...functionUrlConfigRoutes(hasUrl), ...(options.routes ?? [])]
  await server.listen(routes, port, hostname, logger)
  return server
}

/**
 * A listening server. `close()` drains: no new connections, requests in flight and Event
 * invocations running in the background finish. `destroy()` cuts every connection at once.
 */
export class ThawHttpServer {
  readonly #host: Host
  readonly #hasUrl: FunctionUrlPolicy
  readonly #server: Server
  readonly #background = new Set<Promise<unknown>>()
  #closing: Promise<void> | undefined
  #stopped: Promise<void> | undefined
  #address: AddressInfo | undefined

  constructor(host: Host, hasUrl: FunctionUrlPolicy) {
    this.#host = host
    this.#hasUrl = hasUrl
    this.#server = createServer()
  }

  async listen(routes: readonly Route[], port: number, hostname: string, logger: Logger): Promise<void> {
    const runInBackground = (work: Promise<unknown>) => {
      const tracked = work.catch(() => undefined).finally(() => this.#background.delete(tracked))
      this.#background.add(tracked)
    }
    const router = createRouter(routes, { host: this.#host, logger, runInBackground })
    this.#server.on('request', (req, res) => {
      void router(req, res)
      // While draining, a keep-alive connection is closed as soon as its response is done.
      if (this.#closing !== undefined) res.on('finish', () => this.#server.closeIdleConnections())
    })
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject)
      this.#server.listen(port, hostname, () => {
        this.#server.off('error', reject)
        this.#address = this.#server.address() as AddressInfo
        resolve()
      })
    })
  }

  get port(): number {
    return this.#listening().port
  }

  get hostname(): string {
    return this.#listening().address
  }

  /** `http://127.0.0.1:9000`, with brackets around an IPv6 address. */
  get url(): string {
    const address = this.hostname
    return `http://${address.includes(':') ? `[${address}]` : address}:${this.port}`
  }

  endpoints(): FunctionEndpoints[] {
    return functionEndpoints(this.#host, this.url, this.#hasUrl)
  }

  /** Stops accepting connections, lets requests and background invocations finish, then resolves. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#stop()
      await Promise.allSettled([...this.#background])
    })()
    return this.#closing
  }

  /** Cuts every connection now; background invocations keep running in the host until it closes. */
  destroy(): Promise<void> {
    void this.close()
    this.#server.closeAllConnections()
    return this.#stop()
  }

  #listening(): AddressInfo {
    if (this.#address === undefined) throw new Error('the server is not listening yet')
    return this.#address
  }

  /** Stops listening; resolves once every connection has ended. */
  #stop(): Promise<void> {
    this.#stopped ??= new Promise<void>((resolve) => {
      this.#server.close(() => resolve())
      this.#server.closeIdleConnections()
    })
    return this.#stopped
  }
}
