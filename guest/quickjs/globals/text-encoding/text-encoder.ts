/** The `TextEncoder` class: UTF-8 only, as specified. */
import { brandClass, errorWithCode, type InspectFn } from './node-compat.js'
import { encodeUtf8, encodeUtf8Into, type EncodeIntoResult } from './utf8-encoder.js'

export class TextEncoder {
  static {
    brandClass(this, 'TextEncoder', function (this: TextEncoder, depth: unknown, options: unknown, inspect: InspectFn) {
      if (typeof depth === 'number' && depth < 0) return this
      return inspect({ encoding: this.encoding }, options)
    })
  }

  get encoding(): string {
    return 'utf-8'
  }

  encode(input: unknown = ''): Uint8Array {
    return encodeUtf8(String(input))
  }

  encodeInto(source: unknown, destination: Uint8Array): EncodeIntoResult {
    if (!(destination instanceof Uint8Array)) {
      throw errorWithCode(
        new TypeError('The "dest" argument must be an instance of Uint8Array.'),
        'ERR_INVALID_ARG_TYPE',
      )
    }
    return encodeUtf8Into(String(source), destination)
  }
}
