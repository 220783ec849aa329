/**
 * A Wasm linear memory as a snapshot keeps it: only the non-zero 4 KiB pages, stored as runs of
 * consecutive pages so that a restore is a handful of large copies.
 */

export const PAGE_BYTES = 4096
const WASM_PAGE_BYTES = 65_536

export interface MemoryImage {
  /** The memory's size when captured, in 64 KiB Wasm pages. */
  readonly wasmPages: number
  /** [firstPage, pageCount] pairs, in 4 KiB pages, ascending. */
  readonly runs: Uint32Array
  /** The runs' bytes, back to back. */
  readonly data: Uint8Array
}

/** Indices of the non-zero 4 KiB pages of `bytes`. */
export function nonZeroPages(bytes: Uint8Array): number[] {
  const words = new BigUint64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 3)
  const wordsPerPage = PAGE_BYTES >>> 3
  const pages: number[] = []
  for (let page = 0, word = 0; word < words.length; page++, word += wordsPerPage) {
    const end = word + wordsPerPage
    for (let index = word; index < end; index++) {
      if (words[index] !== 0n) {
        pages.push(page)
        break
      }
    }
  }
  return pages
}

export function captureMemoryImage(memory: WebAssembly.Memory): MemoryImage {
  const bytes = new Uint8Array(memory.buffer)
  const pages = nonZeroPages(bytes)
  const runs: number[] = []
  for (const page of pages) {
    const last = runs.length - 2
    if (last >= 0 && (runs[last] ?? 0) + (runs[last + 1] ?? 0) === page) runs[last + 1] = (runs[last + 1] ?? 0) + 1
    else runs.push(page, 1)
  }
  const data = new Uint8Array(pages.length * PAGE_BYTES)
  let offset = 0
  for (let index = 0; index < runs.length; index += 2) {
    const start = (runs[index] ?? 0) * PAGE_BYTES
    const length = (runs[index + 1] ?? 0) * PAGE_BYTES
    data.set(bytes.subarray(start, start + length), offset)
    offset += length
  }
  return { wasmPages: memory.buffer.byteLength / WASM_PAGE_BYTES, runs: Uint32Array.from(runs), data }
}

/**
 * Makes `memory` (at least `image.wasmPages` large) hold exactly the image: copies its pages in
 * and zeroes `dirtyPages`, the pages a fresh instance has written that the image has not.
 */
export function restoreMemoryImage(memory: WebAssembly.Memory, image: MemoryImage, dirtyPages: readonly number[]): void {
  const bytes = new Uint8Array(memory.buffer)
  if (bytes.byteLength < image.wasmPages * WASM_PAGE_BYTES) {
    throw new RangeError(`Memory of ${bytes.byteLength} bytes is smaller than the image (${image.wasmPages} Wasm pages)`)
  }
  const covered = new Set<number>()
  let offset = 0
  for (let index = 0; index < image.runs.length; index += 2) {
    const first = image.runs[index] ?? 0
    const count = image.runs[index + 1] ?? 0
    const length = count * PAGE_BYTES
    bytes.set(image.data.subarray(offset, offset + length), first * PAGE_BYTES)
    offset += length
    if (dirtyPages.length > 0) for (let page = first; page < first + count; page++) covered.add(page)
  }
  for (const page of dirtyPages) if (!covered.has(page)) bytes.fill(0, page * PAGE_BYTES, (page + 1) * PAGE_BYTES)
}

/** The number of non-zero 4 KiB pages an image holds. */
export function imagePageCount(image: MemoryImage): number {
  return image.data.byteLength / PAGE_BYTES
}
