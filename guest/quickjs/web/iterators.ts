/**
 * WebIDL iterable declarations (`Headers`, `FormData`): `keys()`, `values()`, `entries()` return
 * iterators whose prototype is `<Name> Iterator` (inheriting %IteratorPrototype%) and which read
 * the object's current entries at each step, so they see changes made while iterating (undici's
 * behaviour).
 */

type Entry = readonly [string, unknown]
export type IteratorKind = 'key' | 'value' | 'key+value'

interface IteratorState {
  entries: () => readonly Entry[]
  kind: IteratorKind
  index: number
}

const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object

/** A factory of live iterators for the class called `name`. */
export function iteratorFactory(name: string): <T>(entries: () => readonly Entry[], kind: IteratorKind) => IterableIterator<T> {
  const states = new WeakMap<object, IteratorState>()
  const prototype = Object.create(iteratorPrototype, {
    [Symbol.toStringTag]: { value: `${name} Iterator`, configurable: true },
    next: {
      writable: true,
      configurable: true,
      enumerable: true,
      value: function next(this: object) {
        const state = states.get(this)
        if (state === undefined) throw new TypeError(`'next' called on an object that does not implement interface ${name} Iterator.`)
        const entries = state.entries()
        if (state.index >= entries.length) return { value: undefined, done: true }
        const [key, value] = entries[state.index++] as Entry
        return { value: state.kind === 'key' ? key : state.kind === 'value' ? value : [key, value], done: false }
      },
    },
  }) as object
  return <T>(entries: () => readonly Entry[], kind: IteratorKind) => {
    const iterator = Object.create(prototype) as IterableIterator<T>
    states.set(iterator, { entries, kind, index: 0 })
    return iterator
  }
}
