/**
 * Lazily defined globals: the property starts as a configurable accessor; the first read runs
 * `init` and replaces the accessor with an ordinary data property (writable, configurable,
 * non-enumerable, like the web platform's interface objects). Assigning before the first read
 * simply replaces it too, without running `init`.
 */
export function defineLazyGlobal(
  global: Record<string, unknown>,
  name: string,
  init: () => unknown,
  enumerable = false,
): void {
  const settle = (value: unknown): void => {
    Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable })
  }
  Object.defineProperty(global, name, {
    configurable: true,
    enumerable,
    get() {
      const value = init()
      settle(value)
      return value
    },
    set(value: unknown) {
      settle(value)
    },
  })
}

/** Wraps `factory` so that it runs at most once and later calls return the first result. */
export function once<T>(factory: () => T): () => T {
  let done = false
  let value: T | undefined
  return () => {
    if (!done) {
      value = factory()
      done = true
    }
    return value as T
  }
}
