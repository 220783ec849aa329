// Chunk "fs": the guest's filesystem and its node:fs / node:fs/promises modules (see fs/module.ts).
export { createFsModules as create } from '../fs/module.js'
