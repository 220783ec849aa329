/**
 * Pieces shared by the tests that run the same code in the guest and in Node and compare the
 * results (guest-platform, web-platform, node-modules-core, node-modules-util). Each keeps its own
 * description of objects (they compare different things); the primitives are described alike.
 */

/**
 * JavaScript source, evaluated on both sides before a test's own `normalize`:
 * `describePrimitive(value)` is a JSON-safe description of a primitive or null, identical on both
 * sides (-0, NaN and infinities as text, bigints and symbols as text, strings with surrogates as
 * code units so a lone surrogate cannot be lost on the way to the host), or undefined for an object.
 */
export const DESCRIBE_PRIMITIVE = `
function describePrimitive(value) {
  switch (typeof value) {
    case 'string':
      return /[\\ud800-\\udfff]/.test(value) ? { units: Array.from({ length: value.length }, (_, i) => value.charCodeAt(i)) } : value
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0) ? value : { number: Object.is(value, -0) ? '-0' : String(value) }
    case 'bigint':
      return { bigint: String(value) }
    case 'undefined':
      return { undefined: true }
    case 'symbol':
      return { symbol: String(value) }
    case 'function':
      return { function: value.name }
    case 'boolean':
      return value
  }
  return value === null ? null : undefined
}
`

/** The message of each function log line (text format: tab-separated, newlines folded to \r). */
export function logMessages(logs: string, requestId: string): string[] {
  const prefix = `\t${requestId}\tINFO\t`
  return logs
    .split('\n')
    .filter((line) => line.includes(prefix))
    .map((line) => line.slice(line.indexOf(prefix) + prefix.length).replaceAll('\r', '\n'))
}
