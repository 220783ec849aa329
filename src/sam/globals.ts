import { intrinsicName, isRecord } from './intrinsics.js'

/**
 * `Globals.Function` under a function's own properties, by SAM's rules (samtranslator's
 * globals.py): maps merge key by key (so `Environment.Variables` from both survive, the
 * function's value winning a clash), lists add up (the globals' entries first: Layers), and any
 * other value of the function replaces the global one. An intrinsic (`!Ref`, `!If` …) is a
 * value, not a map to merge into.
 */
export function mergeGlobals(globals: unknown, own: unknown): unknown {
  if (own === undefined) return globals
  if (globals === undefined) return own
  if (Array.isArray(globals) && Array.isArray(own)) return [...globals, ...own]
  if (isPlainMap(globals) && isPlainMap(own)) {
    const merged: Record<string, unknown> = { ...globals }
    for (const [key, value] of Object.entries(own)) merged[key] = mergeGlobals(globals[key], value)
    return merged
  }
  return own
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && intrinsicName(value) === undefined
}
