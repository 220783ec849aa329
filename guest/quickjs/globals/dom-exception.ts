/**
 * DOMException-like errors for the guest globals (atob/btoa's InvalidCharacterError,
 * structuredClone's DataCloneError). If the runtime has installed a real `DOMException` global by
 * the time an error is thrown, that one is used; otherwise a small Error subclass named
 * `DOMException` with the standard `name` and legacy `code`.
 */

const LEGACY_CODES: Readonly<Record<string, number>> = {
  IndexSizeError: 1,
  HierarchyRequestError: 3,
  WrongDocumentError: 4,
  InvalidCharacterError: 5,
  NoModificationAllowedError: 7,
  NotFoundError: 8,
  NotSupportedError: 9,
  InvalidStateError: 11,
  SyntaxError: 12,
  InvalidModificationError: 13,
  NamespaceError: 14,
  InvalidAccessError: 15,
  TypeMismatchError: 17,
  SecurityError: 18,
  NetworkError: 19,
  AbortError: 20,
  URLMismatchError: 21,
  QuotaExceededError: 22,
  TimeoutError: 23,
  InvalidNodeTypeError: 24,
  DataCloneError: 25,
}

/** Fallback used only when no `DOMException` global exists. */
export class GuestDOMException extends Error {
  static {
    // Keep the class name stable even if the bundler renames the binding.
    Object.defineProperty(this, 'name', { value: 'DOMException' })
    Object.defineProperty(this.prototype, Symbol.toStringTag, { value: 'DOMException', configurable: true })
  }

  declare readonly code: number

  constructor(message = '', name = 'Error') {
    super(message)
    Object.defineProperty(this, 'name', { value: name, writable: true, configurable: true })
    Object.defineProperty(this, 'code', { value: LEGACY_CODES[name] ?? 0, writable: true, configurable: true })
  }
}

type DOMExceptionConstructor = new (message?: string, name?: string) => Error

/** Creates a DOMException (the global one if installed) with the given message and name. */
export function createDOMException(message: string, name: string): Error {
  const Ctor = (globalThis as Record<string, unknown>).DOMException
  if (typeof Ctor === 'function' && Ctor !== GuestDOMException) {
    try {
      return new (Ctor as DOMExceptionConstructor)(message, name)
    } catch {
      // fall through to the built-in fallback
    }
  }
  return new GuestDOMException(message, name)
}
