// Chunk "dom-exception": the DOMException global (see web/dom-exception.ts).
export { install, DOMException } from '../web/dom-exception.js'
