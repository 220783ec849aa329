// The `hono` startup workload: a small hono app behind its Lambda adapter, answering function URL
// events. bench/workloads/hono.ts bundles it with `thaw build`'s bundler when the benchmark starts.
import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'

const app = new Hono()
app.use('*', async (c, next) => {
  await next()
  c.header('x-request-id', c.req.header('x-request-id') ?? 'none')
})
app.get('/', (c) => c.text('ok'))
app.get('/users/:id', (c) => c.json({ id: c.req.param('id'), fields: (c.req.query('fields') ?? '').split(',').filter(Boolean) }))
app.post('/users', async (c) => c.json({ created: await c.req.json() }, 201))
app.notFound((c) => c.json({ error: 'not found' }, 404))

export const handler = handle(app)
