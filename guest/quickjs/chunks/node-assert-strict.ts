// Chunk "node-assert-strict": node:assert/strict is node:assert's `strict` (require('assert/strict') === require('assert').strict in Node).
declare const require: (id: string) => unknown

export function create(): unknown {
  // Resolved by the guest-builtins build plugin to the guest's own node:assert.
  return (require('assert') as { strict: unknown }).strict
}
