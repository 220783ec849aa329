// Chunk "text-encoding": TextEncoder and TextDecoder (see globals/text-encoding.ts).
export { installTextEncoding as install } from '../globals/text-encoding.js'
