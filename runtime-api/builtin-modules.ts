/**
 * The builtin modules of the QuickJS guest platform: which `node:*` modules exist, under which
 * names, and what each exports. Shared by the host (module resolution, the ESM facades the loader
 * generates) and the guest build (which modules get a chunk). Types and plain literals only.
 *
 * Each Node module `x` is importable as `x` and `node:x`, by `import` and `require`. Its code is
 * the guest chunk `node-x` (guest/quickjs/chunks/node-x.ts, `/` in a name becomes `-`), evaluated on
 * first use. Node builtins that are not here fail to load with a clear error (see
 * `unsupportedBuiltinMessage`).
 */

/** Key (a `Symbol.for`) of the guest function returning a builtin module's exports. */
export const BUILTIN_LOADER_KEY = 'thaw.builtin'

/** `fs/promises` (and `fs.promises`): the promise API of the guest's filesystem (guest/quickjs/fs/). */
const FS_PROMISES_EXPORTS = [
  'access', 'appendFile', 'copyFile', 'lstat', 'mkdir', 'mkdtemp', 'readdir', 'readFile', 'realpath',
  'rename', 'rm', 'rmdir', 'stat', 'unlink', 'writeFile', 'constants',
] as const

/** `fs`: the synchronous, callback and promise APIs of the guest's filesystem. */
const FS_EXPORTS = [
  'accessSync', 'appendFileSync', 'copyFileSync', 'existsSync', 'lstatSync', 'mkdirSync', 'mkdtempSync', 'readdirSync',
  'readFileSync', 'realpathSync', 'renameSync', 'rmSync', 'rmdirSync', 'statSync', 'unlinkSync', 'writeFileSync',
  'access', 'appendFile', 'copyFile', 'lstat', 'mkdir', 'mkdtemp', 'readdir', 'readFile', 'realpath',
  'rename', 'rm', 'rmdir', 'stat', 'unlink', 'writeFile', 'exists', 'promises', 'constants', 'Stats', 'Dirent',
] as const

/** Node modules served from a chunk of their own (the guest runtime needs only these names). */
export const NODE_MODULE_NAMES = [
  'assert',
  'assert/strict',
  'buffer',
  'crypto',
  'events',
  'module',
  'os',
  'path',
  'path/posix',
  'process',
  'querystring',
  'stream',
  'stream/promises',
  'string_decoder',
  'timers',
  'timers/promises',
  'url',
  'util',
  'util/types',
  'zlib',
] as const

export type NodeModuleName = (typeof NODE_MODULE_NAMES)[number]

/**
 * The names an ES module may import from each Node module (the default export is always the
 * whole module). test/node-modules.test.ts checks each list against the module's real keys in the
 * guest.
 */
export const NODE_MODULE_EXPORTS: Readonly<Record<NodeModuleName, readonly string[]>> = {
  assert: [],
  'assert/strict': [],
  buffer: [
    'Buffer', 'SlowBuffer', 'isUtf8', 'isAscii', 'kMaxLength', 'kStringMaxLength', 'btoa', 'atob', 'constants',
    'INSPECT_MAX_BYTES', 'Blob', 'File',
  ],
  crypto: [],
  events: [
    'init', 'addAbortListener', 'once', 'on', 'getEventListeners', 'getMaxListeners', 'EventEmitter', 'usingDomains',
    'captureRejectionSymbol', 'captureRejections', 'errorMonitor', 'defaultMaxListeners', 'setMaxListeners', 'listenerCount',
  ],
  module: ['_cache', 'isBuiltin', 'createRequire', 'syncBuiltinESMExports', 'Module', 'builtinModules'],
  os: [
    'arch', 'availableParallelism', 'cpus', 'endianness', 'freemem', 'getPriority', 'homedir', 'hostname', 'loadavg',
    'networkInterfaces', 'platform', 'release', 'setPriority', 'tmpdir', 'totalmem', 'type', 'userInfo', 'uptime', 'version',
    'machine', 'constants', 'EOL', 'devNull',
  ],
  path: [],
  'path/posix': [],
  process: [
    'version', 'versions', 'arch', 'platform', 'release', '_events', '_eventsCount', '_maxListeners', 'exitCode', 'features',
    'uptime', 'cpuUsage', 'memoryUsage', 'hrtime', 'exit', 'getuid', 'geteuid', 'getgid', 'getegid', 'emitWarning', 'nextTick',
    'stdout', 'stderr', 'umask', 'chdir', 'cwd', 'env', 'title', 'argv', 'execArgv', 'pid', 'ppid', 'execPath', 'argv0',
  ],
  querystring: [],
  stream: [
    'isDestroyed', 'isDisturbed', 'isErrored', 'isReadable', 'isWritable', 'Readable', 'Writable', 'Duplex', 'Transform',
    'PassThrough', 'pipeline', 'addAbortSignal', 'finished', 'destroy', 'compose', 'setDefaultHighWaterMark',
    'getDefaultHighWaterMark', 'promises', 'Stream', '_isUint8Array', '_uint8ArrayToBuffer',
  ],
  'stream/promises': ['finished', 'pipeline'],
  string_decoder: ['StringDecoder'],
  timers: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'promises'],
  'timers/promises': ['setTimeout', 'setImmediate', 'setInterval', 'scheduler'],
  url: [],
  util: [],
  'util/types': [],
  zlib: [],
}

/** The guest chunk that implements Node module `name`. */
export function nodeModuleChunk(name: string): string {
  return `node-${name.replaceAll('/', '-')}`
}

/** Modules the guest runtime provides itself, with their export names (the host's ESM loader needs them). */
// Built by a call marked pure, so that bundles which only need the names above (the guest
// runtime) drop the export lists.
export const BUILTIN_MODULES: Readonly<Record<string, readonly string[]>> = /* @__PURE__ */ builtinModuleTable()

function builtinModuleTable(): Record<string, readonly string[]> {
  return {
    'thaw:snapstart': ['registerBeforeSnapshot', 'registerAfterRestore'],
    fs: FS_EXPORTS,
    'node:fs': FS_EXPORTS,
    'fs/promises': FS_PROMISES_EXPORTS,
    'node:fs/promises': FS_PROMISES_EXPORTS,
    ...Object.fromEntries(
      Object.entries(NODE_MODULE_EXPORTS).flatMap(([name, exports]) => [
        [name, exports],
        [`node:${name}`, exports],
      ]),
    ),
  }
}

/** Why a Node builtin that the guest platform lacks cannot be loaded (becomes Runtime.ImportModuleError at INIT). */
export function unsupportedBuiltinMessage(specifier: string): string {
  return `Cannot find module '${specifier}': Thaw's QuickJS platform does not provide this Node.js builtin (see docs/compatibility.md)`
}
