/**
 * zod 4: an order schema (uuid, email, ISO datetime, regex, nested arrays, coercion, a refinement
 * and a transform) parsing valid and invalid input; the issues, `z.flattenError`,
 * `z.prettifyError`, and `z.toJSONSchema` made at INIT. Bundled.
 */
import t, { type Test } from 'tap'
import { runCase } from './harness.js'

const files = {
  'index.mjs': `import { z } from 'zod'

const Item = z.object({ sku: z.string().regex(/^[A-Z]{3}-[0-9]{3}$/), qty: z.number().int().positive() })
const Order = z
  .object({
    id: z.uuid(),
    email: z.email(),
    items: z.array(Item).min(1),
    coupon: z.string().max(8).optional(),
    placedAt: z.iso.datetime(),
    total: z.coerce.number().nonnegative(),
  })
  .refine((order) => order.coupon === undefined || order.total >= 10, { message: 'coupons need a total of 10 or more', path: ['coupon'] })
  .transform((order) => ({ ...order, units: order.items.reduce((sum, item) => sum + item.qty, 0) }))

// Made at INIT: inside the snapshot in SnapStart environments.
const itemSchema = z.toJSONSchema(Item)

export const handler = async (event) => {
  const result = Order.safeParse(event.order)
  if (result.success) return { ok: true, data: result.data, itemSchema }
  return {
    ok: false,
    issues: result.error.issues.map(({ code, path, message }) => ({ code, path, message })),
    flat: z.flattenError(result.error),
    pretty: z.prettifyError(result.error),
    isZodError: result.error instanceof z.ZodError,
  }
}
`,
}

const valid = {
  id: '3f0e5a8e-5b7a-4c1e-9d0a-2b1c3d4e5f60',
  email: 'ada@example.com',
  items: [
    { sku: 'ABC-123', qty: 2 },
    { sku: 'XYZ-999', qty: 3 },
  ],
  coupon: 'SPRING',
  placedAt: '2024-03-12T19:03:58Z',
  total: '42.50',
}

t.test('zod 4 validation', (t) =>
  runCase(t, {
    packaging: 'bundled',
    files,
    events: [
      {
        label: 'a valid order',
        event: { order: valid },
        check: (t: Test, p: unknown) => {
          const { ok, data, itemSchema } = p as { ok: boolean; data: Record<string, unknown>; itemSchema: Record<string, unknown> }
          t.equal(ok, true)
          t.equal(data.total, 42.5, 'coerced to a number')
          t.equal(data.units, 5, 'transformed')
          t.same(itemSchema.required, ['sku', 'qty'])
          t.same(itemSchema.properties, { sku: { type: 'string', pattern: '^[A-Z]{3}-[0-9]{3}$' }, qty: { type: 'integer', exclusiveMinimum: 0, maximum: 9007199254740991 } })
        },
      },
      {
        label: 'an invalid order',
        event: { order: { ...valid, id: 'not-a-uuid', email: 'ada@', items: [{ sku: 'abc', qty: 0 }], placedAt: 'yesterday', total: 'lots' } },
        check: (t: Test, p: unknown) => {
          const { ok, issues, flat, pretty, isZodError } = p as { ok: boolean; issues: { code: string; path: unknown[] }[]; flat: { fieldErrors: Record<string, string[]> }; pretty: string; isZodError: boolean }
          t.equal(ok, false)
          t.equal(isZodError, true)
          t.same(
            issues.map(({ code, path }) => [code, path.join('.')]),
            [
              ['invalid_format', 'id'],
              ['invalid_format', 'email'],
              ['invalid_format', 'items.0.sku'],
              ['too_small', 'items.0.qty'],
              ['invalid_format', 'placedAt'],
              ['invalid_type', 'total'],
            ],
          )
          t.same(flat.fieldErrors.email, ['Invalid email address'])
          t.match(pretty, /✖ Invalid UUID\n  → at id/)
        },
      },
      {
        label: 'a refinement failure',
        event: { order: { ...valid, total: 3 } },
        check: (t: Test, p: unknown) => t.same((p as { issues: unknown }).issues, [{ code: 'custom', path: ['coupon'], message: 'coupons need a total of 10 or more' }]),
      },
      {
        label: 'not an object',
        event: { order: 'order #1' },
        check: (t: Test, p: unknown) =>
          t.same((p as { issues: unknown }).issues, [{ code: 'invalid_type', path: [], message: 'Invalid input: expected object, received string' }]),
      },
    ],
  }),
)
