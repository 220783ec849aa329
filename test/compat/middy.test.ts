/**
 * @middy/core 6 with two official middlewares: @middy/http-json-body-parser (JSON, base64 JSON,
 * malformed JSON and a wrong content type → 415) and @middy/http-error-handler (HTTP errors with
 * their status, other errors → 500 with a fallback message). middy's early-timeout plugin runs on
 * every invocation (AbortController, node:timers, context.getRemainingTimeInMillis). Bundled.
 */
import t, { type Test } from 'tap'
import { httpApiEvent } from './events.js'
import { runCase } from './harness.js'

const files = {
  'index.mjs': `import middy from '@middy/core'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import httpErrorHandler from '@middy/http-error-handler'
import { createError } from '@middy/util'

const transfer = async (event, context) => {
  const { to, amount } = event.body
  if (typeof amount !== 'number') throw createError(422, JSON.stringify({ field: 'amount', problem: 'must be a number' }))
  if (amount < 0) throw new Error('negative amounts crash the ledger')
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to, cents: Math.round(amount * 100), timeLeft: context.getRemainingTimeInMillis() > 0 }),
  }
}

export const handler = middy(transfer)
  .use(httpJsonBodyParser())
  .use(httpErrorHandler({ logger: false, fallbackMessage: 'internal error' }))
`,
}

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }, isBase64Encoded = false) =>
  httpApiEvent({ method: 'POST', url: '/transfer', headers, body, isBase64Encoded })

function response(t: Test, payload: unknown, statusCode: number, contentType: string, body: string): void {
  const { statusCode: status, headers, body: text } = payload as { statusCode: number; headers: Record<string, string>; body: string }
  t.equal(status, statusCode, 'status code')
  t.equal(headers['content-type'] ?? headers['Content-Type'], contentType, 'content type')
  t.equal(text, body, 'body')
}

t.test('@middy/core with http-json-body-parser and http-error-handler', (t) =>
  runCase(t, {
    packaging: 'bundled',
    files,
    events: [
      {
        label: 'a JSON body',
        event: post('{"to":"ada","amount":12.5}'),
        check: (t, p) => response(t, p, 200, 'application/json', '{"to":"ada","cents":1250,"timeLeft":true}'),
      },
      {
        label: 'a base64 JSON body',
        event: post(Buffer.from('{"to":"bob","amount":1}').toString('base64'), { 'content-type': 'application/json; charset=utf-8' }, true),
        check: (t, p) => response(t, p, 200, 'application/json', '{"to":"bob","cents":100,"timeLeft":true}'),
      },
      {
        label: 'malformed JSON',
        event: post('{"to":'),
        check: (t, p) => response(t, p, 415, 'text/plain', 'Invalid or malformed JSON was provided'),
      },
      {
        label: 'a body that is not JSON',
        event: post('to=ada', { 'content-type': 'application/x-www-form-urlencoded' }),
        check: (t, p) => response(t, p, 415, 'text/plain', 'Unsupported Media Type'),
      },
      {
        label: 'an HTTP error thrown by the handler',
        event: post('{"to":"ada","amount":"12"}'),
        check: (t, p) => response(t, p, 422, 'application/json', '{"field":"amount","problem":"must be a number"}'),
      },
      {
        label: 'any other error',
        event: post('{"to":"ada","amount":-1}'),
        check: (t, p) => response(t, p, 500, 'text/plain', 'internal error'),
      },
    ],
  }),
)
