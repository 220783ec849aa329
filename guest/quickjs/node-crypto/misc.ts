import { invalidArgType } from '../fs/errors.js'
import { codedError, isAnyArrayBuffer } from '../host-work.js'
import { viewBytes } from './data.js'

/** node:crypto's small helpers that need no host work. */

function checkBuffer(value: unknown, name: string): asserts value is ArrayBufferView | ArrayBufferLike {
  if (!isAnyArrayBuffer(value) && !ArrayBuffer.isView(value)) {
    // Node's message for these comes from its C++ side and has no "Received" part.
    throw Object.assign(invalidArgType(name, 'an instance of ArrayBuffer, Buffer, TypedArray, or DataView', value), {
      message: `The "${name}" argument must be an instance of ArrayBuffer, Buffer, TypedArray, or DataView.`,
    })
  }
}

/** Compares in time that depends only on the length, not on where the inputs differ. */
export function timingSafeEqual(buf1: unknown, buf2: unknown): boolean {
  checkBuffer(buf1, 'buf1')
  checkBuffer(buf2, 'buf2')
  const [a, b] = [viewBytes(buf1), viewBytes(buf2)]
  if (a.byteLength !== b.byteLength) throw codedError(new RangeError('Input buffers must have the same byte length'), 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH')
  let difference = 0
  for (let index = 0; index < a.length; index++) difference |= (a[index] as number) ^ (b[index] as number)
  return difference === 0
}
