/**
 * Node's argument errors (`ERR_INVALID_ARG_TYPE`, `ERR_INVALID_ARG_VALUE`, …) with Node's own
 * messages, for the guest's node:util, path, url, querystring and assert modules. Node's errors
 * carry an enumerable own `code`; their stack header also shows `[CODE]`, which the guest's
 * inspect cannot reproduce (see globals/format.ts).
 */

type ErrorClass = new (message: string) => Error

/** An error of `Base` with Node's `code` as an enumerable own property. */
export function nodeError<E extends Error>(Base: new (message: string) => E, code: string, message: string): E & { code: string } {
  const error = new Base(message) as E & { code: string }
  error.code = code
  return error
}

/** A short description of a primitive, the way Node's inspect would show it. */
function describePrimitive(value: unknown): string {
  if (typeof value === 'string') {
    if (!value.includes("'")) return `'${value}'`
    if (!value.includes('"')) return `"${value}"`
    return `'${value.replaceAll("'", "\\'")}'`
  }
  if (typeof value === 'bigint') return `${value}n`
  if (Object.is(value, -0)) return '-0'
  return String(value)
}

/** Node's `determineSpecificType`: what "Received …" says about a value. */
export function describeReceived(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (typeof value === 'function') return value.name ? `function ${value.name}` : 'function '
  if (typeof value === 'object') {
    const ctor = (value as { constructor?: { name?: unknown } }).constructor
    if (typeof ctor?.name === 'string' && ctor.name !== '') return `an instance of ${ctor.name}`
    return '[Object: null prototype] {}'
  }
  let inspected = describePrimitive(value)
  if (inspected.length > 28) inspected = `${inspected.slice(0, 25)}...`
  return `type ${typeof value} (${inspected})`
}

const kTypes = new Set(['string', 'function', 'number', 'object', 'boolean', 'bigint', 'symbol'])

/** "of type string", "one of type string or number", "an instance of URL", … */
function describeExpected(expected: readonly string[]): string {
  const types: string[] = []
  const instances: string[] = []
  for (const value of expected) {
    if (kTypes.has(value.toLowerCase())) types.push(value.toLowerCase())
    else instances.push(value)
  }
  // Node names `object` as an instance of Object when other instances are allowed.
  if (instances.length > 0 && types.includes('object')) {
    types.splice(types.indexOf('object'), 1)
    instances.push('Object')
  }
  let message = ''
  if (types.length > 0) {
    if (types.length > 2) message += `one of type ${types.slice(0, -1).join(', ')}, or ${types.at(-1)}`
    else if (types.length === 2) message += `one of type ${types[0]} or ${types[1]}`
    else message += `of type ${types[0]}`
    if (instances.length > 0) message += ' or '
  }
  if (instances.length > 0) {
    if (instances.length > 2) message += `an instance of ${instances.slice(0, -1).join(', ')}, or ${instances.at(-1)}`
    else message += `an instance of ${instances.join(' or ')}`
  }
  return message
}

/** How Node names the argument: `The "x" argument`, `The "a.b" property`, or a name ending in " argument". */
function describeName(name: string): string {
  if (name.endsWith(' argument')) return `The ${name}`
  return `The "${name}" ${name.includes('.') ? 'property' : 'argument'}`
}

export function invalidArgType(name: string, expected: string | readonly string[], actual: unknown): TypeError {
  const list = typeof expected === 'string' ? [expected] : expected
  return nodeError(
    TypeError,
    'ERR_INVALID_ARG_TYPE',
    `${describeName(name)} must be ${describeExpected(list)}. Received ${describeReceived(actual)}`,
  )
}

/** `inspected`: the value as util.inspect shows it, for objects (primitives are described here). */
export function invalidArgValue(name: string, value: unknown, reason = 'is invalid', shown?: string, Base: ErrorClass = TypeError): Error {
  let inspected = shown ?? describePrimitive(value)
  if (inspected.length > 128) inspected = `${inspected.slice(0, 128)}...`
  const kind = name.includes('.') ? 'property' : 'argument'
  return nodeError(Base, 'ERR_INVALID_ARG_VALUE', `The ${kind} '${name}' ${reason}. Received ${inspected}`)
}

export function validateString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') throw invalidArgType(name, 'string', value)
}

export function validateFunction(value: unknown, name: string): asserts value is Function {
  if (typeof value !== 'function') throw invalidArgType(name, 'Function', value)
}

export function validateObject(value: unknown, name: string): asserts value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidArgType(name, 'Object', value)
}
