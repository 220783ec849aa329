/**
 * The `DOMException` global (WebIDL), as Node 20 has it: `new DOMException(message, name)` or
 * `new DOMException(message, { name, cause })`; `name`, `message` and the legacy `code` are
 * getters on the prototype, the legacy constants (ABORT_ERR = 20 …) are on both the class and the
 * prototype, instances are Errors (`instanceof Error`, a stack). AbortSignal's reasons, atob's
 * InvalidCharacterError and structuredClone's DataCloneError are instances of it.
 */
import { nodeError } from './errors.js'

/** The legacy codes, in order (index + 1 is the code); '' marks codes no longer in use. */
const LEGACY = [
  ['IndexSizeError', 'INDEX_SIZE_ERR'],
  ['', 'DOMSTRING_SIZE_ERR'],
  ['HierarchyRequestError', 'HIERARCHY_REQUEST_ERR'],
  ['WrongDocumentError', 'WRONG_DOCUMENT_ERR'],
  ['InvalidCharacterError', 'INVALID_CHARACTER_ERR'],
  ['', 'NO_DATA_ALLOWED_ERR'],
  ['NoModificationAllowedError', 'NO_MODIFICATION_ALLOWED_ERR'],
  ['NotFoundError', 'NOT_FOUND_ERR'],
  ['NotSupportedError', 'NOT_SUPPORTED_ERR'],
  ['InUseAttributeError', 'INUSE_ATTRIBUTE_ERR'],
  ['InvalidStateError', 'INVALID_STATE_ERR'],
  ['SyntaxError', 'SYNTAX_ERR'],
  ['InvalidModificationError', 'INVALID_MODIFICATION_ERR'],
  ['NamespaceError', 'NAMESPACE_ERR'],
  ['InvalidAccessError', 'INVALID_ACCESS_ERR'],
  ['', 'VALIDATION_ERR'],
  ['TypeMismatchError', 'TYPE_MISMATCH_ERR'],
  ['SecurityError', 'SECURITY_ERR'],
  ['NetworkError', 'NETWORK_ERR'],
  ['AbortError', 'ABORT_ERR'],
  ['URLMismatchError', 'URL_MISMATCH_ERR'],
  ['QuotaExceededError', 'QUOTA_EXCEEDED_ERR'],
  ['TimeoutError', 'TIMEOUT_ERR'],
  ['InvalidNodeTypeError', 'INVALID_NODE_TYPE_ERR'],
  ['DataCloneError', 'DATA_CLONE_ERR'],
] as const

const codes = new Map<string, number>(LEGACY.map(([name], index) => [name, index + 1] as const).filter(([name]) => name !== ''))
/** Message and name of each DOMException (Node keeps them out of the instance too). */
const internals = new WeakMap<object, { message: string; name: string }>()

function slots(self: unknown): { message: string; name: string } {
  const found = internals.get(self as object)
  if (found === undefined) throw nodeError(TypeError, 'ERR_INVALID_THIS', 'Value of "this" must be of DOMException')
  return found
}

export class DOMException extends Error {
  constructor(message: unknown = '', options: unknown = 'Error') {
    super()
    if (options !== null && typeof options === 'object') {
      // Node reads `name` as given: { } gives the name 'undefined'.
      internals.set(this, { message: `${message as string}`, name: `${(options as { name?: unknown }).name as string}` })
      if ('cause' in options) {
        Object.defineProperty(this, 'cause', { value: (options as { cause: unknown }).cause, writable: true, configurable: true, enumerable: false })
      }
    } else {
      internals.set(this, { message: `${message as string}`, name: `${options as string}` })
    }
  }

  override get name(): string {
    return slots(this).name
  }

  override get message(): string {
    return slots(this).message
  }

  get code(): number {
    return codes.get(slots(this).name) ?? 0
  }
}

Object.defineProperty(DOMException, 'name', { value: 'DOMException', configurable: true })
Object.defineProperty(DOMException, 'length', { value: 0, configurable: true })
Object.defineProperty(DOMException.prototype, Symbol.toStringTag, { value: 'DOMException', configurable: true })
for (const key of ['name', 'message', 'code']) {
  Object.defineProperty(DOMException.prototype, key, { ...Object.getOwnPropertyDescriptor(DOMException.prototype, key), enumerable: true })
}
LEGACY.forEach(([, constant], index) => {
  const descriptor = { value: index + 1, writable: false, enumerable: true, configurable: false }
  Object.defineProperty(DOMException, constant, descriptor)
  Object.defineProperty(DOMException.prototype, constant, descriptor)
})

export function install(global: Record<string, unknown>): void {
  Object.defineProperty(global, 'DOMException', { value: DOMException, writable: true, configurable: true, enumerable: false })
}
