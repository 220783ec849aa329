// Chunk "structured-clone": structuredClone (see globals/structured-clone.ts).
export { installStructuredClone as install } from '../globals/structured-clone.js'
