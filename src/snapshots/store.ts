import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from 'pino'
import type { MemoryImage } from './memory-image.js'
import { snapshotKey, type SnapshotIdentity } from './snapshot-key.js'
import { SNAPSHOT_FORMAT_VERSION, type Snapshot, type SnapshotMetadata } from './snapshot.js'

/**
 * Snapshots on disk, content-addressed: `<dataDir>/snapshots/<key>.snap`, where the key is the
 * SHA-256 of the snapshot's identity (function, version, code, configuration, engine and guest
 * builds, format). Written atomically (temp file + rename); verified when read. A file that is
 * truncated, corrupted or made for something else is refused with one log line, and the caller
 * falls back to a cold INIT, which writes a good one.
 *
 * File layout: "THAWSNAP" | u32 LE header length | header JSON | memory pages.
 */

const MAGIC = Buffer.from('THAWSNAP')

interface FileHeader {
  readonly metadata: SnapshotMetadata
  readonly state: Snapshot['state']
  readonly image: { readonly wasmPages: number; readonly runs: readonly number[]; readonly dataBytes: number }
  /** Hex SHA-256 of the memory pages. */
  readonly dataSha256: string
}

export class SnapshotStore {
  readonly #dir: string
  readonly #logger: Logger

  constructor(dataDir: string, logger: Logger) {
    this.#dir = path.join(dataDir, 'snapshots')
    this.#logger = logger
  }

  pathFor(identity: SnapshotIdentity): string {
    return path.join(this.#dir, `${snapshotKey(identity)}.snap`)
  }

  async write(snapshot: Snapshot): Promise<string> {
    const { metadata, state, image } = snapshot
    const identity: SnapshotIdentity = withoutRunFacts(metadata)
    const header: FileHeader = {
      metadata,
      state,
      image: { wasmPages: image.wasmPages, runs: [...image.runs], dataBytes: image.data.byteLength },
      dataSha256: createHash('sha256').update(image.data).digest('hex'),
    }
    const headerBytes = Buffer.from(JSON.stringify(header))
    const length = Buffer.alloc(4)
    length.writeUInt32LE(headerBytes.byteLength)
    const file = this.pathFor(identity)
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`
    await mkdir(this.#dir, { recursive: true })
    try {
      await writeFile(temporary, Buffer.concat([MAGIC, length, headerBytes, image.data]))
      await rename(temporary, file)
    } catch (error) {
      await rm(temporary, { force: true })
      throw error
    }
    return file
  }

  /** The stored snapshot for `identity`, or undefined (none, or refused: see the log). */
  async read(identity: SnapshotIdentity): Promise<Snapshot | undefined> {
    const file = this.pathFor(identity)
    let bytes: Buffer
    try {
      bytes = await readFile(file)
    } catch {
      return undefined
    }
    try {
      return parse(bytes, identity)
    } catch (error) {
      this.#logger.warn({ file, reason: (error as Error).message }, 'snapshot refused; starting cold instead')
      return undefined
    }
  }
}

function parse(bytes: Buffer, identity: SnapshotIdentity): Snapshot {
  if (bytes.byteLength < MAGIC.byteLength + 4 || !bytes.subarray(0, MAGIC.byteLength).equals(MAGIC)) {
    throw new Error('not a Thaw snapshot file')
  }
  const headerLength = bytes.readUInt32LE(MAGIC.byteLength)
  const headerStart = MAGIC.byteLength + 4
  if (headerStart + headerLength > bytes.byteLength) throw new Error('truncated header')
  const header = JSON.parse(bytes.subarray(headerStart, headerStart + headerLength).toString('utf8')) as FileHeader
  if (header.metadata?.formatVersion !== SNAPSHOT_FORMAT_VERSION) {
    throw new Error(`format version ${header.metadata?.formatVersion}, this host reads ${SNAPSHOT_FORMAT_VERSION}`)
  }
  for (const [field, expected] of Object.entries(identity)) {
    const actual = (header.metadata as unknown as Record<string, unknown>)[field]
    if (actual !== expected) throw new Error(`made for another ${field} (${String(actual)}, expected ${String(expected)})`)
  }
  const data = bytes.subarray(headerStart + headerLength)
  if (data.byteLength !== header.image.dataBytes) throw new Error(`truncated: ${data.byteLength} of ${header.image.dataBytes} page bytes`)
  if (createHash('sha256').update(data).digest('hex') !== header.dataSha256) throw new Error('checksum mismatch')
  const image: MemoryImage = { wasmPages: header.image.wasmPages, runs: Uint32Array.from(header.image.runs), data: new Uint8Array(data) }
  return { metadata: header.metadata, state: header.state, image }
}

function withoutRunFacts(metadata: SnapshotMetadata): SnapshotIdentity {
  const { createdAt: _createdAt, initDurationMs: _initDurationMs, ...identity } = metadata
  return identity
}
