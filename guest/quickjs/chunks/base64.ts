// Chunk "base64": atob and btoa (see globals/base64.ts).
export { installBase64 as install } from '../globals/base64.js'
