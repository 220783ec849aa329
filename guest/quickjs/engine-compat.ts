/**
 * Where QuickJS and Node disagree on something a handler can observe, and Node's behaviour is
 * what Lambda code is written against.
 *
 * Stack overflow: QuickJS throws `InternalError: stack overflow`, Node `RangeError: Maximum call
 * stack size exceeded`; code that guards deep recursion catches RangeError. QuickJS's
 * InternalError is otherwise only used for engine limits a handler would also treat as a
 * RangeError (out of memory, which Thaw turns into Runtime.OutOfMemory anyway), so InternalError
 * becomes a kind of RangeError: `instanceof RangeError` holds and its name is RangeError.
 */
export function alignEngineErrors(global: Record<string, unknown>): void {
  const internalError = global.InternalError as (new () => Error) | undefined
  if (typeof internalError !== 'function') return
  Object.setPrototypeOf(internalError.prototype, RangeError.prototype)
  Object.setPrototypeOf(internalError, RangeError)
  Object.defineProperty(internalError.prototype, 'name', { value: 'RangeError', writable: true, configurable: true })
}
