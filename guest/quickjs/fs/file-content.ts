/**
 * The bytes of one file in `/tmp`. Large writes are kept as the copies they arrive as (no
 * reallocation however many megabytes are appended); small appends go into a 64 KiB tail that
 * is sealed at its exact length when full, so a log file appended line by line costs one
 * allocation per 64 KiB. Reading concatenates into a fresh buffer the caller owns.
 */

const TAIL_BYTES = 64 * 1024

export class FileContent {
  #parts: Uint8Array[] = []
  #tail: Uint8Array | undefined
  #tailUsed = 0
  #size = 0

  get size(): number {
    return this.#size
  }

  /** Appends a copy of `bytes`. */
  append(bytes: Uint8Array): void {
    const length = bytes.length
    if (length === 0) return
    const tail = this.#tail
    if (tail !== undefined && tail.length - this.#tailUsed >= length) {
      tail.set(bytes, this.#tailUsed)
      this.#tailUsed += length
    } else {
      this.#seal()
      if (length < TAIL_BYTES / 2) {
        this.#tail = new Uint8Array(TAIL_BYTES)
        this.#tail.set(bytes)
        this.#tailUsed = length
      } else {
        this.#parts.push(bytes.slice())
      }
    }
    this.#size += length
  }

  /** Replaces the content with a copy of `bytes` (a write after O_TRUNC). */
  replace(bytes: Uint8Array): void {
    this.truncate()
    if (bytes.length > 0) this.#parts.push(bytes.slice())
    this.#size = bytes.length
  }

  /** Overwrites from offset 0 without truncating (a write after opening with "r+"). */
  overwrite(bytes: Uint8Array): void {
    if (bytes.length >= this.#size) return this.replace(bytes)
    const whole = this.read()
    whole.set(bytes)
    this.replace(whole)
  }

  truncate(): void {
    this.#parts = []
    this.#tail = undefined
    this.#tailUsed = 0
    this.#size = 0
  }

  /** A new buffer with the whole content. */
  read(): Uint8Array {
    const parts = this.#parts
    if (parts.length === 1 && this.#tail === undefined) return (parts[0] as Uint8Array).slice()
    const out = new Uint8Array(this.#size)
    let offset = 0
    for (const part of parts) {
      out.set(part, offset)
      offset += part.length
    }
    if (this.#tail !== undefined) out.set(this.#tail.subarray(0, this.#tailUsed), offset)
    return out
  }

  #seal(): void {
    if (this.#tail === undefined) return
    this.#parts.push(this.#tail.slice(0, this.#tailUsed))
    this.#tail = undefined
    this.#tailUsed = 0
  }
}
