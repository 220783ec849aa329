// Chunk "node-process": node:process is the global `process` (guest/quickjs/process.ts); the
// runtime also loads this chunk for the rarely used parts of `process` (node/process-extras.ts).
export { extras } from '../node/process-extras.js'

export function create(): unknown {
  return (globalThis as { process?: unknown }).process
}
