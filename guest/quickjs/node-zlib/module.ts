import type { HostBindings } from '../../../runtime-api/in-process-protocol.js'
import { useHostTranscoder } from '../fs/encoding.js'
import { zlibConstants } from './constants.js'
import { callbackMethod, crc32Method, type Mode, syncMethod } from './convenience.js'
import { engineClass } from './streams.js'

/**
 * The node:zlib module of one environment: Node's own zlib and brotli on the host, for whole
 * buffers (convenience.ts); the stream classes buffer until the end (streams.ts). Keys in Node
 * 20's order; the legacy Z_* constants are there too, not enumerable, as in Node.
 */

const ENGINES: readonly (readonly [className: string, mode: Mode])[] = [
  ['Deflate', 'deflate'],
  ['Inflate', 'inflate'],
  ['Gzip', 'gzip'],
  ['Gunzip', 'gunzip'],
  ['DeflateRaw', 'deflateRaw'],
  ['InflateRaw', 'inflateRaw'],
  ['Unzip', 'unzip'],
  ['BrotliCompress', 'brotliCompress'],
  ['BrotliDecompress', 'brotliDecompress'],
]

/** The order of Node's create* functions. */
const CREATE_ORDER = [0, 1, 4, 5, 2, 3, 6, 7, 8].map((index) => ENGINES[index] as (typeof ENGINES)[number])

/** The order of Node's convenience methods. */
const METHOD_ORDER: readonly Mode[] = ['deflate', 'gzip', 'deflateRaw', 'unzip', 'inflate', 'gunzip', 'inflateRaw', 'brotliCompress', 'brotliDecompress']

const CODE_NAMES = ['Z_OK', 'Z_STREAM_END', 'Z_NEED_DICT', 'Z_ERRNO', 'Z_STREAM_ERROR', 'Z_DATA_ERROR', 'Z_MEM_ERROR', 'Z_BUF_ERROR', 'Z_VERSION_ERROR']

export function createZlibModule(host: HostBindings): Record<string, unknown> {
  useHostTranscoder(host)
  const constants = zlibConstants()
  const zlib: Record<string, unknown> = { crc32: crc32Method(host) }
  const classes = new Map(ENGINES.map(([name, mode]) => [mode, engineClass(host, name, mode)]))
  for (const [name, mode] of ENGINES) zlib[name] = classes.get(mode)
  for (const mode of METHOD_ORDER) {
    zlib[mode] = callbackMethod(host, mode)
    zlib[`${mode}Sync`] = syncMethod(host, mode)
  }
  for (const [name, mode] of CREATE_ORDER) {
    const Engine = classes.get(mode) as (options?: unknown) => unknown
    zlib[`create${name}`] = { [`create${name}`]: (options?: unknown) => Engine(options) }[`create${name}`]
  }
  Object.defineProperty(zlib, 'constants', { value: constants, enumerable: true, writable: true, configurable: false })
  const codes: Record<string, string | number> = {}
  for (const name of CODE_NAMES) codes[name] = constants[name] as number
  for (const name of CODE_NAMES) codes[constants[name] as number] = name
  Object.defineProperty(zlib, 'codes', { value: Object.freeze(codes), enumerable: true, writable: false, configurable: true })
  for (const [name, value] of Object.entries(constants)) {
    if (!name.startsWith('BROTLI')) Object.defineProperty(zlib, name, { value, enumerable: false, writable: false, configurable: true })
  }
  return zlib
}
