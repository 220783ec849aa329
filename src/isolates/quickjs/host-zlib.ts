import zlib from 'node:zlib'
import { type HostWorkLimits, nodeError } from './host-work.js'

/**
 * The host side of the guest's node:zlib: Node's own zlib and brotli (native, far faster than any
 * JavaScript inflater in the guest's interpreter), run synchronously for one whole buffer.
 *
 * Why not simply `zlib.gzipSync`: it hands all the input to native code in one call, which
 * nothing can interrupt (brotli at its default quality compresses incompressible data at under
 * 1 MB/s: a large input would hold the environment's thread far past the function's deadline).
 * So this module drives the engine's native handle itself, the way Node's own `processChunkSync`
 * does, but feeds the input in slices and checks the deadline and the output cap after each step.
 * The engine is still made by Node's public constructor, so options are validated (and rejected)
 * exactly as Node does. The private members used (`_handle.writeSync`, `_writeState`,
 * `_finishFlushFlag`, `_maxOutputLength`) are confined to this module; test/node-modules-host.test.ts
 * fails if a Node upgrade changes them.
 */

export const ZLIB_MODES = {
  deflate: zlib.Deflate,
  inflate: zlib.Inflate,
  gzip: zlib.Gzip,
  gunzip: zlib.Gunzip,
  deflateRaw: zlib.DeflateRaw,
  inflateRaw: zlib.InflateRaw,
  unzip: zlib.Unzip,
  brotliCompress: zlib.BrotliCompress,
  brotliDecompress: zlib.BrotliDecompress,
} as const

export type ZlibMode = keyof typeof ZLIB_MODES

/** Input handed to native code per step: bounds one step's work (~0.3 s for brotli at quality 11). */
const INPUT_SLICE_BYTES = 256 * 1024
const OUTPUT_CHUNK_BYTES = 256 * 1024

/** The options a guest may pass (others are ignored, as Node ignores unknown ones). */
const OPTION_NAMES = ['level', 'windowBits', 'memLevel', 'strategy', 'chunkSize', 'finishFlush', 'maxOutputLength', 'params'] as const

interface NativeHandle {
  writeSync(flush: number, input: Uint8Array, inOffset: number, inLength: number, output: Uint8Array, outOffset: number, outLength: number): void
  onerror: (message: string, errno: number, code?: string) => void
}

interface EngineInternals {
  _handle: NativeHandle | null
  _writeState: Uint32Array
  _finishFlushFlag: number
  _maxOutputLength: number
  close(): void
}

export function isZlibMode(mode: string): mode is ZlibMode {
  return Object.hasOwn(ZLIB_MODES, mode)
}

/** Only plain option values: the guest's options arrive as JSON. */
export function pickZlibOptions(options: Record<string, unknown>, dictionary: Uint8Array | undefined): zlib.ZlibOptions & zlib.BrotliOptions {
  const picked: Record<string, unknown> = {}
  for (const name of OPTION_NAMES) if (options[name] !== undefined) picked[name] = options[name]
  if (dictionary !== undefined) picked.dictionary = dictionary
  return picked
}

/** Runs `mode` over all of `input`; returns the output (at most the smaller of maxOutputLength and the memory cap). */
export function runZlib(mode: ZlibMode, input: Uint8Array, options: zlib.ZlibOptions & zlib.BrotliOptions, limits: HostWorkLimits): Buffer {
  const engine = new ZLIB_MODES[mode](options) as unknown as EngineInternals
  try {
    const handle = engine._handle
    const state = engine._writeState
    if (handle === null || !(state instanceof Uint32Array) || typeof handle.writeSync !== 'function') {
      throw new Error("Node's zlib internals changed: host-zlib.ts must be updated")
    }
    const maxOutput = Math.min(engine._maxOutputLength, limits.maxOutputBytes)
    let failure: Error | undefined
    handle.onerror = (message, errno, code) => {
      failure ??= nodeError(Error, message, code ?? '', errno)
    }
    const chunks: Buffer[] = []
    let produced = 0
    let consumed = 0
    let output = Buffer.allocUnsafe(OUTPUT_CHUNK_BYTES)
    for (;;) {
      limits.checkDeadline()
      const slice = Math.min(INPUT_SLICE_BYTES, input.length - consumed)
      const last = consumed + slice === input.length
      // Mid slices take the "no flush" operation (0, for zlib and brotli alike): the same stream as one call.
      handle.writeSync(last ? engine._finishFlushFlag : 0, input, consumed, slice, output, 0, output.length)
      if (failure !== undefined) throw failure
      const [outputLeft = 0, inputLeft = 0] = state
      const have = output.length - outputLeft
      if (have > 0) {
        produced += have
        if (produced > maxOutput) throw nodeError(RangeError, `Cannot create a Buffer larger than ${maxOutput} bytes`, 'ERR_BUFFER_TOO_LARGE')
        chunks.push(output.subarray(0, have))
        output = Buffer.allocUnsafe(OUTPUT_CHUNK_BYTES)
      }
      consumed += slice - inputLeft
      // Output full: call again with what is left. Otherwise the slice is used up (next one), or
      // the stream ended (finished, or a decoder reached its end before the input did).
      if (outputLeft === 0) continue
      if (last || inputLeft !== 0) break
    }
    return Buffer.concat(chunks, produced)
  } finally {
    engine.close()
  }
}
