// Chunk "url": WHATWG URL and URLSearchParams (see globals/url.ts).
export { installUrl as install } from '../globals/url.js'
