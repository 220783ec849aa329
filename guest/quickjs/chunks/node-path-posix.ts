// Chunk "node-path-posix": node:path/posix is node:path itself (require('path/posix') === require('path') in Node on Linux).
declare const require: (id: string) => unknown

export function create(): unknown {
  // Resolved by the guest-builtins build plugin to the guest's own node:path.
  return require('path')
}
