/**
 * Node's argument checks for Buffer's fixed-size accessors (readUInt32LE, writeDoubleBE …): the
 * package throws plain RangeErrors ("Trying to access beyond buffer length"); Node throws
 * ERR_OUT_OF_RANGE, ERR_BUFFER_OUT_OF_BOUNDS and ERR_INVALID_ARG_TYPE with its own messages.
 */
import { invalidArgType, nodeError } from './errors.js'

type Method = (this: Uint8Array, ...args: unknown[]) => unknown

/** Node's "Received" for ERR_OUT_OF_RANGE: big integers with `_` separators, bigints with `n`. */
function received(value: unknown): string {
  const separated = (digits: string) => {
    const sign = digits.startsWith('-') ? '-' : ''
    let rest = digits.slice(sign.length)
    let out = ''
    for (; rest.length > 3; rest = rest.slice(0, -3)) out = `_${rest.slice(-3)}${out}`
    return `${sign}${rest}${out}`
  }
  if (typeof value === 'bigint') return `${value > 2n ** 32n || value < -(2n ** 32n) ? separated(String(value)) : String(value)}n`
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) > 2 ** 32) return separated(String(value))
  return typeof value === 'string' ? `'${value}'` : String(value)
}

export function outOfRange(name: string, range: string, value: unknown): RangeError & { code: string } {
  return nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be ${range}. Received ${received(value)}`)
}

/** Node's checks of `offset` for a fixed-size read or write of `size` bytes. */
function checkOffset(buffer: Uint8Array, offset: unknown, size: number): void {
  if (typeof offset !== 'number') throw invalidArgType('offset', 'of type number', offset)
  if (offset >= 0 && offset + size <= buffer.length && Math.floor(offset) === offset) return
  if (Math.floor(offset) !== offset) throw outOfRange('offset', 'an integer', offset)
  if (buffer.length - size < 0) throw nodeError(RangeError, 'ERR_BUFFER_OUT_OF_BOUNDS', 'Attempt to access memory outside buffer bounds')
  throw outOfRange('offset', `>= 0 and <= ${buffer.length - size}`, offset)
}

/** The fixed-size accessors: [name without read/write, bytes, integer range (none for floats)]. */
const ACCESSORS: Array<[string, number, [number | bigint, number | bigint, string]?]> = []
for (const [suffix, size] of [['8', 1], ['16', 2], ['32', 4]] as const) {
  const bits = size * 8
  for (const endian of size === 1 ? [''] : ['LE', 'BE']) {
    ACCESSORS.push([`UInt${suffix}${endian}`, size, [0, 2 ** bits - 1, `>= 0 and <= ${2 ** bits - 1}`]])
    ACCESSORS.push([`Uint${suffix}${endian}`, size, [0, 2 ** bits - 1, `>= 0 and <= ${2 ** bits - 1}`]])
    ACCESSORS.push([`Int${suffix}${endian}`, size, [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1, `>= ${-(2 ** (bits - 1))} and <= ${2 ** (bits - 1) - 1}`]])
  }
}
for (const endian of ['LE', 'BE']) {
  ACCESSORS.push([`Float${endian}`, 4], [`Double${endian}`, 8])
  ACCESSORS.push([`BigUInt64${endian}`, 8, [0n, 2n ** 64n - 1n, '>= 0n and < 2n ** 64n']])
  ACCESSORS.push([`BigUint64${endian}`, 8, [0n, 2n ** 64n - 1n, '>= 0n and < 2n ** 64n']])
  ACCESSORS.push([`BigInt64${endian}`, 8, [-(2n ** 63n), 2n ** 63n - 1n, '>= -(2n ** 63n) and < 2 ** 63n']])
}

/** Wraps the package's fixed-size read* and write* methods with Node's argument checks. */
export function checkFixedSizeAccessors(proto: Record<string, Method>): void {
  for (const [name, size, range] of ACCESSORS) {
    const read = proto[`read${name}`]
    const write = proto[`write${name}`]
    if (read !== undefined) {
      proto[`read${name}`] = Object.defineProperty(
        function (this: Uint8Array, offset: unknown = 0) {
          checkOffset(this, offset, size)
          return read.call(this, offset)
        },
        'name',
        { value: `read${name}` },
      )
    }
    if (write !== undefined) {
      proto[`write${name}`] = Object.defineProperty(
        function (this: Uint8Array, value: unknown, offset: unknown = 0) {
          if (range !== undefined && ((value as number) > (range[1] as number) || (value as number) < (range[0] as number))) throw outOfRange('value', range[2], value)
          checkOffset(this, offset, size)
          return write.call(this, value, offset)
        },
        'name',
        { value: `write${name}` },
      )
    }
  }
}
