/**
 * The in-process transport of the Runtime API: the contract between a sandboxed guest runtime
 * (guest/quickjs/) and the host's binding (src/isolates/quickjs/). Types only, shared by both
 * builds.
 *
 * Why an outbox: a call from QuickJS into a host function costs ~5 µs in quickjs-emscripten,
 * while reading one string out costs ~1 µs. So the guest never calls the host to *post*
 * something (a response, a log line, a timer change); it appends to an outbox that the host
 * drains each time the guest yields (after running jobs). Host functions are kept for the few
 * things the guest must have an answer to right away: module resolution, randomness, clocks.
 */

/** Guest → host messages, in the order the guest produced them. */
export type OutboxMessage =
  /** GET /runtime/invocation/next */
  | readonly ['next']
  /** POST /runtime/invocation/{id}/response */
  | readonly ['response', requestId: string, body: string]
  /** POST /runtime/invocation/{id}/error; `error` is the JSON error body */
  | readonly ['error', requestId: string, error: string, errorType: string]
  /** POST /runtime/init/error */
  | readonly ['initError', error: string, errorType: string]
  /** GET /runtime/restore/next: INIT and the before-snapshot hooks are done; snapshot me now */
  | readonly ['restoreNext']
  /** POST /runtime/restore/error: an after-restore hook failed */
  | readonly ['restoreError', error: string, errorType: string]
  /** One formatted log line of the function (already in the function's log format) */
  | readonly ['log', line: string]
  /** The runtime is exiting (an uncaught error): the environment must be reset after this invocation */
  | readonly ['exit', status: number]

/** A drained outbox: the messages plus the guest's event-loop state, as the host reads them. */
export interface OutboxBatch {
  readonly messages: readonly OutboxMessage[]
  /** When the earliest timer is due (epoch ms, the guest's Date.now clock), or -1 with no timers. */
  readonly nextWakeMs: number
  /** The guest waits for its event loop to be empty (call `idle()` once it is). */
  readonly wantsIdle: boolean
}

// Wire format of a flush, chosen because QuickJS's JSON.stringify of a batch costs ~6 µs per
// invocation and string concatenation ~2: "<nextWakeMs>;<0|1>;" then each message as one kind
// letter followed by its fields, each field "<length>:<text>" (lengths in UTF-16 code units).
const KINDS = { next: 'N', response: 'R', error: 'E', initError: 'I', log: 'L', exit: 'X', restoreNext: 'S', restoreError: 'F' } as const
const FIELDS: Record<string, { readonly kind: OutboxMessage[0]; readonly fields: number }> = {
  N: { kind: 'next', fields: 0 },
  R: { kind: 'response', fields: 2 },
  E: { kind: 'error', fields: 3 },
  I: { kind: 'initError', fields: 2 },
  L: { kind: 'log', fields: 1 },
  X: { kind: 'exit', fields: 1 },
  S: { kind: 'restoreNext', fields: 0 },
  F: { kind: 'restoreError', fields: 2 },
}

export function encodeOutboxMessage(message: OutboxMessage): string {
  let encoded: string = KINDS[message[0]]
  for (let index = 1; index < message.length; index++) {
    const field = String(message[index])
    encoded += `${field.length}:${field}`
  }
  return encoded
}

export function decodeOutboxBatch(batch: string): OutboxBatch {
  const first = batch.indexOf(';')
  const second = batch.indexOf(';', first + 1)
  return {
    messages: decodeOutboxMessages(batch, second + 1),
    nextWakeMs: Number(batch.slice(0, first)),
    wantsIdle: batch.slice(first + 1, second) === '1',
  }
}

/** The messages of an encoded outbox, from `start`. */
export function decodeOutboxMessages(batch: string, start = 0): OutboxMessage[] {
  const messages: OutboxMessage[] = []
  let position = start
  while (position < batch.length) {
    const spec = FIELDS[batch[position] ?? '']
    if (spec === undefined) throw new Error(`Malformed outbox batch at ${position}`)
    position += 1
    const fields: string[] = []
    for (let index = 0; index < spec.fields; index++) {
      const colon = batch.indexOf(':', position)
      const length = Number(batch.slice(position, colon))
      fields.push(batch.slice(colon + 1, colon + 1 + length))
      position = colon + 1 + length
    }
    messages.push((spec.kind === 'exit' ? ['exit', Number(fields[0])] : [spec.kind, ...fields]) as unknown as OutboxMessage)
  }
  return messages
}

/** Everything the runtime needs to boot, passed once to `start()` as JSON. */
export interface GuestBootConfig {
  /** The process environment the function sees (reserved Lambda vars included). */
  readonly env: Readonly<Record<string, string>>
  readonly handler: string
  readonly logFormat: 'text' | 'json'
  readonly logLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL'
  /** INIT ends at the snapshot point (`restore/next`) instead of `next`. */
  readonly snapStart: boolean
  /** 16 bytes of host entropy (hex) for Math.random. */
  readonly randomSeed: string
}

/** Host functions, installed as `globalThis.__thaw_host` and taken (then deleted) by the runtime. */
export interface HostBindings {
  /** Resolves a module specifier; returns "<format>:<path>" or throws an Error with code MODULE_NOT_FOUND. */
  resolve(specifier: string, fromPath: string, mode: 'import' | 'require'): string
  /** Finds a handler's module the way Lambda's Node runtime does; "<format>:<path>" or undefined. */
  locateHandler(modulePath: string): string | undefined
  /** Compiles a CommonJS module into `function (exports, require, module, __filename, __dirname)`. */
  compileCommonJs(path: string): (...args: unknown[]) => unknown
  /** A package file as text, or undefined. */
  readText(path: string): string | undefined
  /** `length` bytes of host entropy. */
  randomBytes(length: number): ArrayBuffer
  /** A monotonic clock in milliseconds with sub-millisecond precision (performance.now). */
  monotonicNow(): number
  /** Evaluates a lazily loaded part of the guest platform (see guest/build.ts) and returns its exports. */
  loadChunk(name: string): unknown
  /**
   * The read-only mounts of the guest's filesystem (`/var/task` = the code package, `/opt` = the
   * layers), by absolute normalised path: a file's size in bytes, -1 for a directory, -2 when a
   * parent is a file (ENOTDIR), undefined when nothing is there (or the path is outside them).
   */
  statPath(path: string): number | undefined
  /** A file of a read-only mount as bytes, or undefined. */
  readFileBytes(path: string): ArrayBuffer | undefined
  /** A directory of a read-only mount: its entries as "d<name>" or "f<name>", joined by "/"; undefined if none. */
  listDirectory(path: string): string | undefined
  /** The quota of `/tmp` in bytes: the function's ephemeral storage. */
  tmpQuotaBytes(): number
  /**
   * Node's Buffer.from(text, encoding) for file data: transcoding in the guest's interpreter runs
   * at ~6 MB/s, the host's at hundreds. `encoding` is one of Node's names, already checked.
   */
  encodeText(text: string, encoding: string): ArrayBuffer
  /** Node's buf.toString(encoding) of `byteLength` bytes of `buffer` from `byteOffset`. */
  decodeText(buffer: ArrayBuffer, byteOffset: number, byteLength: number, encoding: string): string
  /**
   * Starts host I/O operation `id` of a `fetch`: `requestJson` is a GuestFetchRequest
   * (src/egress/host-fetch.ts), `body` the request body. Returns at once; what happens next
   * arrives through `ioEvent(id, …)`. Throws a TypeError for a request the host cannot even start.
   */
  fetchStart(id: number, requestJson: string, body: ArrayBuffer | undefined): void
  /** The guest no longer wants operation `id`: abort it, send nothing more. */
  ioCancel(id: number): void
  /**
   * Which of `candidates` (global names, comma-separated) the modules loaded so far mention, as
   * a comma-separated list: the lazy globals worth loading before a snapshot is taken.
   */
  referencedNames(candidates: string): string
  /** The size of the environment's Wasm memory in bytes (process.memoryUsage()). */
  memoryBytes(): number

  // ── Hashing and compression, done by Node on the host (src/isolates/quickjs/host-work-bindings.ts).
  // Bulk data is `byteLength` bytes of an ArrayBuffer from `byteOffset`. Every argument is checked
  // again on the host; failures throw an Error whose `name` is the class to rethrow as (Error,
  // TypeError, RangeError), with Node's `code` (and `errno`) when Node has them.

  /**
   * The digest (or, with a `key`, the HMAC) of the data under `algorithm` (a name of
   * runtime-api/hash-algorithms.ts); a string when `encoding` is hex, base64 or base64url (any
   * case), else the bytes. `outputLength` is for shake128/shake256 only.
   */
  hashOnce(
    algorithm: string,
    key: ArrayBuffer | undefined,
    data: ArrayBuffer,
    byteOffset: number,
    byteLength: number,
    encoding: string,
    outputLength: number | undefined,
  ): ArrayBuffer | string
  /** Opens a streaming digest/HMAC on the host (for large inputs); returns its id. */
  hashOpen(algorithm: string, key: ArrayBuffer | undefined, outputLength: number | undefined): string
  hashUpdate(id: string, data: ArrayBuffer, byteOffset: number, byteLength: number): void
  /** A copy of a streaming digest (Node's hash.copy()); returns the copy's id. */
  hashCopy(id: string, outputLength: number | undefined): string
  /** Finishes a streaming digest (its id is gone afterwards), as hashOnce returns it. */
  hashDigest(id: string, encoding: string): ArrayBuffer | string
  /** Forgets an unfinished streaming digest. */
  hashDrop(id: string): void
  /** PBKDF2-HMAC-`digest`; refused if it would clearly outlast the function's deadline. */
  pbkdf2(password: ArrayBuffer, salt: ArrayBuffer, iterations: number, keyLength: number, digest: string): ArrayBuffer
  /**
   * Node's zlib `mode` (gzip, gunzip, deflate, inflate, deflateRaw, inflateRaw, unzip,
   * brotliCompress, brotliDecompress) over the data. `optionsJson`: zlib options (level,
   * windowBits, memLevel, strategy, chunkSize, finishFlush, maxOutputLength, params). The output is
   * capped at the function's memory (RangeError ERR_BUFFER_TOO_LARGE beyond).
   */
  zlib(mode: string, data: ArrayBuffer, byteOffset: number, byteLength: number, optionsJson: string, dictionary: ArrayBuffer | undefined): ArrayBuffer
  /** zlib.crc32 of the data, continuing from `initial`. */
  crc32(data: ArrayBuffer, byteOffset: number, byteLength: number, initial: number): number
}

/**
 * The kinds of `ioEvent` the host sends about a host I/O operation (today: a fetch). `head` carries
 * the response head as JSON and, when the body was small, the whole body (then no `chunk`/`end`
 * follow); `chunk` carries body bytes; `end` closes the body; `error` carries a FetchFailure as JSON
 * and ends the operation.
 */
export type IoEventKind = 'head' | 'chunk' | 'end' | 'error'

/** The less common `next` headers, sent as JSON only when there are any. */
export interface DeliveryHeaders {
  /** Omitted when unchanged since the previous invocation. */
  readonly invokedFunctionArn?: string
  readonly traceId?: string
  readonly clientContext?: string
  readonly cognitoIdentity?: string
  readonly tenantId?: string
}

/** Entry points the runtime exposes as `globalThis.__thaw_guest` (taken, then deleted, by the host). */
export interface GuestEntryPoints {
  start(bootConfigJson: string): void
  /**
   * Hands over an invocation. `headersJson` carries the rarer headers (DeliveryHeaders) and is
   * undefined when none is set and the ARN is the same as last time: every argument costs.
   */
  deliver(requestId: string, deadlineMs: number, payload: string, headersJson: string | undefined): void
  flush(): string
  /** Runs every timer due at `nowMs`. */
  fireTimers(nowMs: number): void
  /** The host's signal that no jobs and no timers are left. */
  idle(): void
  /**
   * The environment was just restored from a snapshot: reseed randomness (16 bytes, hex), run the
   * after-restore hooks, then ask for the next invocation (or post restore/error).
   */
  restored(randomSeed: string): void
  /** News about host I/O operation `id` (see IoEventKind). */
  ioEvent(id: number, kind: IoEventKind, text: string | undefined, bytes: ArrayBuffer | undefined): void
  /** Not a function: the outbox's unflushed messages (`encoded`, the flush format's message part). */
  readonly pendingOutbox: { readonly encoded: string }
}
