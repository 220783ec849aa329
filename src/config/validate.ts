import type { z } from 'zod'
import { ThawError, type ThawErrorCode } from '../errors.js'

/**
 * Parses `input` with a zod schema and deep-freezes the result, or throws a ThawError that
 * names the first offending field (`memoryMb`, `env.FOO`). Options are validated once, here, at
 * the edge; everything inside the host trusts the frozen value.
 */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
  code: ThawErrorCode = 'THAW_INVALID_CONFIG',
): Readonly<z.output<Schema>> {
  const result = schema.safeParse(input)
  if (!result.success) {
    const issue = result.error.issues[0]
    // zod reports unknown keys with an empty path and the names in `keys`.
    const keys = issue !== undefined && 'keys' in issue && Array.isArray(issue.keys) ? issue.keys.map(String) : []
    const field = issue === undefined ? '' : [...issue.path.map(String), ...keys.slice(0, 1)].join('.')
    const message = issue?.message ?? 'invalid value'
    throw new ThawError(code, `Invalid ${what}: ${field === '' ? '' : `${field}: `}${message}`, {
      ...(field === '' ? {} : { field }),
    })
  }
  return deepFreeze(result.data)
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value) && !ArrayBuffer.isView(value)) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key])
    Object.freeze(value)
  }
  return value
}
