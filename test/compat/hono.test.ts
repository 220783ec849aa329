/**
 * hono 4 through its Lambda adapter (`hono/aws-lambda`): function URL events (payload 2.0) in,
 * `{ statusCode, headers, body, isBase64Encoded }` out. Routes with params, a query string with a
 * repeated key, a JSON body (plain and base64), a middleware setting a header, cookies, 404 and
 * an error handler. Bundled and unbundled (hono's `exports` map resolved by the host).
 */
import t, { type Test } from 'tap'
import { httpApiEvent } from './events.js'
import { runCase, type Packaging } from './harness.js'

const files = {
  'index.mjs': `import { Hono } from 'hono'
import { handle } from 'hono/aws-lambda'
import { HTTPException } from 'hono/http-exception'

const app = new Hono()
app.use('*', async (c, next) => {
  await next()
  c.header('x-served-by', 'compat')
})
app.get('/users/:id', (c) =>
  c.json({ id: c.req.param('id'), q: c.req.query('q') ?? null, tags: c.req.queries('tag') ?? [], ua: c.req.header('user-agent') }),
)
app.post('/users/:id/notes', async (c) => {
  const note = await c.req.json()
  return c.json({ user: c.req.param('id'), note, words: String(note.text).split(' ').length }, 201)
})
app.get('/cookie', (c) => {
  c.header('set-cookie', 'session=abc; Path=/; HttpOnly')
  return c.text('cookie set')
})
app.get('/teapot', () => {
  throw new HTTPException(418, { message: 'short and stout' })
})
app.notFound((c) => c.json({ error: 'not found', path: c.req.path }, 404))
app.onError((error, c) => c.json({ error: error.message }, error instanceof HTTPException ? error.status : 500))

export const handler = handle(app)
`,
}

function body(payload: unknown): unknown {
  return JSON.parse((payload as { body: string }).body)
}

const json = (t: Test, payload: unknown, status: number, expected: unknown) => {
  const response = payload as { statusCode: number; headers: Record<string, string> }
  t.equal(response.statusCode, status, 'status code')
  t.match(response.headers['content-type'], /^application\/json/, 'content-type')
  t.equal(response.headers['x-served-by'], 'compat', 'the middleware ran')
  t.same(body(payload), expected, 'body')
}

const events = [
  {
    label: 'GET with a route param and a query string',
    event: httpApiEvent({ method: 'GET', url: '/users/42?q=thaw&tag=a&tag=b' }),
    check: (t: Test, p: unknown) => json(t, p, 200, { id: '42', q: 'thaw', tags: ['a', 'b'], ua: 'compat' }),
  },
  {
    label: 'POST with a JSON body',
    event: httpApiEvent({ method: 'POST', url: '/users/7/notes', headers: { 'content-type': 'application/json' }, body: '{"text":"hello from the sandbox"}' }),
    check: (t: Test, p: unknown) => json(t, p, 201, { user: '7', note: { text: 'hello from the sandbox' }, words: 4 }),
  },
  {
    label: 'POST with a base64 body',
    event: httpApiEvent({
      method: 'POST',
      url: '/users/8/notes',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"text":"encoded"}').toString('base64'),
      isBase64Encoded: true,
    }),
    check: (t: Test, p: unknown) => json(t, p, 201, { user: '8', note: { text: 'encoded' }, words: 1 }),
  },
  {
    label: 'a text response with a cookie',
    event: httpApiEvent({ method: 'GET', url: '/cookie' }),
    check: (t: Test, p: unknown) => {
      const response = p as { statusCode: number; body: string; cookies?: string[] }
      t.equal(response.statusCode, 200)
      t.equal(response.body, 'cookie set')
      t.same(response.cookies, ['session=abc; Path=/; HttpOnly'], 'payload 2.0 returns cookies apart')
    },
  },
  {
    label: 'an unknown route',
    event: httpApiEvent({ method: 'GET', url: '/nowhere' }),
    check: (t: Test, p: unknown) => json(t, p, 404, { error: 'not found', path: '/nowhere' }),
  },
  {
    label: 'an HTTPException',
    event: httpApiEvent({ method: 'GET', url: '/teapot' }),
    check: (t: Test, p: unknown) => json(t, p, 418, { error: 'short and stout' }),
  },
]

for (const packaging of ['bundled', 'unbundled'] as Packaging[]) {
  t.test(`hono/aws-lambda (${packaging})`, (t) => runCase(t, { packaging, files, packages: ['hono'], events }))
}
