import type { Route } from './router.js'

/** `GET /health`: 200 while the server takes requests, with the number of functions it serves. */
export const healthRoute: Route = {
  name: 'Health',
  method: 'GET',
  path: /^\/health\/?$/,
  async handle({ host, res }) {
    const body = JSON.stringify({ status: 'ok', functions: host.listFunctions().length })
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body)
  },
}
