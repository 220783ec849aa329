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
  'stream/web',
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
 * whole module). test/node-modules-{core,util,host}.test.ts check each list against the module's real keys in the
 * guest.
 */
export const NODE_MODULE_EXPORTS: Readonly<Record<NodeModuleName, readonly string[]>> = {
  assert: [
    'fail', 'AssertionError', 'ok', 'equal', 'notEqual', 'deepEqual', 'notDeepEqual', 'deepStrictEqual',
    'notDeepStrictEqual', 'strictEqual', 'notStrictEqual', 'throws', 'rejects', 'doesNotThrow', 'doesNotReject',
    'ifError', 'match', 'doesNotMatch', 'strict',
  ],
  'assert/strict': [
    'fail', 'AssertionError', 'ok', 'equal', 'notEqual', 'deepEqual', 'notDeepEqual', 'deepStrictEqual',
    'notDeepStrictEqual', 'strictEqual', 'notStrictEqual', 'throws', 'rejects', 'doesNotThrow', 'doesNotReject',
    'ifError', 'match', 'doesNotMatch', 'strict',
  ],
  buffer: [
    'Buffer', 'SlowBuffer', 'isUtf8', 'isAscii', 'kMaxLength', 'kStringMaxLength', 'btoa', 'atob', 'constants',
    'INSPECT_MAX_BYTES', 'Blob', 'File',
  ],
  crypto: ['checkPrime', 'checkPrimeSync', 'createCipheriv', 'createDecipheriv', 'createDiffieHellman', 'createDiffieHellmanGroup', 'createECDH', 'createHash', 'createHmac', 'createPrivateKey', 'createPublicKey', 'createSecretKey', 'createSign', 'createVerify', 'diffieHellman', 'generatePrime', 'generatePrimeSync', 'getCiphers', 'getCipherInfo', 'getCurves', 'getDiffieHellman', 'getHashes', 'hkdf', 'hkdfSync', 'pbkdf2', 'pbkdf2Sync', 'generateKeyPair', 'generateKeyPairSync', 'generateKey', 'generateKeySync', 'privateDecrypt', 'privateEncrypt', 'publicDecrypt', 'publicEncrypt', 'randomBytes', 'randomFill', 'randomFillSync', 'randomInt', 'randomUUID', 'scrypt', 'scryptSync', 'sign', 'setEngine', 'timingSafeEqual', 'getFips', 'setFips', 'verify', 'hash', 'Certificate', 'Cipher', 'Cipheriv', 'Decipher', 'Decipheriv', 'DiffieHellman', 'DiffieHellmanGroup', 'ECDH', 'Hash', 'Hmac', 'KeyObject', 'Sign', 'Verify', 'X509Certificate', 'secureHeapUsed', 'constants', 'webcrypto', 'subtle', 'getRandomValues'],
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
  path: [
    'resolve', 'normalize', 'isAbsolute', 'join', 'relative', 'toNamespacedPath', 'dirname', 'basename',
    'extname', 'format', 'parse', 'sep', 'delimiter', 'win32', 'posix', '_makeLong',
  ],
  'path/posix': [
    'resolve', 'normalize', 'isAbsolute', 'join', 'relative', 'toNamespacedPath', 'dirname', 'basename',
    'extname', 'format', 'parse', 'sep', 'delimiter', 'win32', 'posix', '_makeLong',
  ],
  process: [
    'version', 'versions', 'arch', 'platform', 'release', '_events', '_eventsCount', '_maxListeners', 'exitCode', 'features',
    'uptime', 'cpuUsage', 'memoryUsage', 'hrtime', 'exit', 'getuid', 'geteuid', 'getgid', 'getegid', 'emitWarning', 'nextTick',
    'stdout', 'stderr', 'umask', 'chdir', 'cwd', 'env', 'title', 'argv', 'execArgv', 'pid', 'ppid', 'execPath', 'argv0',
  ],
  querystring: [
    'unescapeBuffer', 'unescape', 'escape', 'stringify', 'encode', 'parse', 'decode',
  ],
  stream: [
    'isDestroyed', 'isDisturbed', 'isErrored', 'isReadable', 'isWritable', 'Readable', 'Writable', 'Duplex', 'Transform',
    'PassThrough', 'pipeline', 'addAbortSignal', 'finished', 'destroy', 'compose', 'setDefaultHighWaterMark',
    'getDefaultHighWaterMark', 'promises', 'Stream', '_isUint8Array', '_uint8ArrayToBuffer',
  ],
  'stream/promises': ['finished', 'pipeline'],
  'stream/web': [
    'ReadableStream', 'ReadableStreamDefaultReader', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest',
    'ReadableByteStreamController', 'ReadableStreamDefaultController', 'TransformStream',
    'TransformStreamDefaultController', 'WritableStream', 'WritableStreamDefaultWriter',
    'WritableStreamDefaultController', 'ByteLengthQueuingStrategy', 'CountQueuingStrategy',
    'TextEncoderStream', 'TextDecoderStream',
  ],
  string_decoder: ['StringDecoder'],
  timers: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'promises'],
  'timers/promises': ['setTimeout', 'setImmediate', 'setInterval', 'scheduler'],
  url: [
    'Url', 'parse', 'resolve', 'resolveObject', 'format', 'URL', 'URLSearchParams', 'domainToASCII',
    'domainToUnicode', 'pathToFileURL', 'fileURLToPath', 'urlToHttpOptions',
  ],
  util: [
    '_errnoException', '_exceptionWithHostPort', '_extend', 'callbackify', 'debug', 'debuglog', 'deprecate',
    'format', 'styleText', 'formatWithOptions', 'getSystemErrorMap', 'getSystemErrorName', 'inherits',
    'inspect', 'isArray', 'isBoolean', 'isBuffer', 'isDeepStrictEqual', 'isNull', 'isNullOrUndefined',
    'isNumber', 'isString', 'isSymbol', 'isUndefined', 'isRegExp', 'isObject', 'isDate', 'isError',
    'isFunction', 'isPrimitive', 'log', 'promisify', 'stripVTControlCharacters', 'toUSVString',
    'transferableAbortSignal', 'transferableAbortController', 'aborted', 'types', 'TextDecoder', 'TextEncoder',
  ],
  'util/types': [
    'isExternal', 'isDate', 'isArgumentsObject', 'isBigIntObject', 'isBooleanObject', 'isNumberObject',
    'isStringObject', 'isSymbolObject', 'isNativeError', 'isRegExp', 'isAsyncFunction', 'isGeneratorFunction',
    'isGeneratorObject', 'isPromise', 'isMap', 'isSet', 'isMapIterator', 'isSetIterator', 'isWeakMap',
    'isWeakSet', 'isArrayBuffer', 'isDataView', 'isSharedArrayBuffer', 'isProxy', 'isModuleNamespaceObject',
    'isAnyArrayBuffer', 'isBoxedPrimitive', 'isArrayBufferView', 'isTypedArray', 'isUint8Array',
    'isUint8ClampedArray', 'isUint16Array', 'isUint32Array', 'isInt8Array', 'isInt16Array', 'isInt32Array',
    'isFloat32Array', 'isFloat64Array', 'isBigInt64Array', 'isBigUint64Array', 'isKeyObject', 'isCryptoKey',
  ],
  zlib: ['crc32', 'Deflate', 'Inflate', 'Gzip', 'Gunzip', 'DeflateRaw', 'InflateRaw', 'Unzip', 'BrotliCompress', 'BrotliDecompress', 'deflate', 'deflateSync', 'gzip', 'gzipSync', 'deflateRaw', 'deflateRawSync', 'unzip', 'unzipSync', 'inflate', 'inflateSync', 'gunzip', 'gunzipSync', 'inflateRaw', 'inflateRawSync', 'brotliCompress', 'brotliCompressSync', 'brotliDecompress', 'brotliDecompressSync', 'createDeflate', 'createInflate', 'createDeflateRaw', 'createInflateRaw', 'createGzip', 'createGunzip', 'createUnzip', 'createBrotliCompress', 'createBrotliDecompress', 'constants', 'codes'],
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
