/**
 * `FormData` (XMLHttpRequest Standard) as undici has it in Node 20: entries in insertion order,
 * string values as USVStrings (lone surrogates become U+FFFD), Blob values stored as Files (named
 * 'blob' unless a filename is given), undici's messages. Serialisation to and from
 * multipart/form-data lives in multipart.ts.
 */
import { File, isBlob, type Blob } from './blob.js'
import { brand } from './inspect.js'
import { argumentCount, usvString } from './webidl.js'
import { iteratorFactory } from './iterators.js'

export type FormDataValue = string | File
export type FormDataEntry = [name: string, value: FormDataValue]

function makeEntry(name: unknown, value: unknown, filename: string | undefined): FormDataEntry {
  if (!isBlob(value)) return [usvString(name), usvString(value)]
  let file = value instanceof File ? value : new File([value], 'blob', { type: (value as Blob).type })
  if (filename !== undefined) file = new File([file], filename, { type: file.type, lastModified: file.lastModified })
  return [usvString(name), file]
}

const formDataIterator = iteratorFactory('FormData')

export let formDataEntries: (form: FormData) => readonly FormDataEntry[]
export let formDataFrom: (entries: FormDataEntry[]) => FormData
export let isFormData: (value: unknown) => value is FormData

export class FormData {
  #entries: FormDataEntry[] = []

  static {
    formDataEntries = (form) => form.#entries
    formDataFrom = (entries) => {
      const form = new FormData()
      form.#entries = entries
      return form
    }
    isFormData = (value): value is FormData => typeof value === 'object' && value !== null && #entries in value
  }

  constructor(form?: undefined) {
    if (form !== undefined) throw new TypeError('FormData constructor: Argument 1 could not be converted to: undefined.')
  }

  append(name: string, value: string | Blob, filename?: string): void {
    argumentCount(arguments, 2, 'FormData.append')
    if (arguments.length === 3 && !isBlob(value)) throw new TypeError("Failed to execute 'append' on 'FormData': parameter 2 is not of type 'Blob'")
    this.#entries.push(makeEntry(name, value, arguments.length === 3 ? usvString(filename) : undefined))
  }

  delete(name: string): void {
    argumentCount(arguments, 1, 'FormData.delete')
    const key = usvString(name)
    this.#entries = this.#entries.filter(([entryName]) => entryName !== key)
  }

  get(name: string): FormDataValue | null {
    argumentCount(arguments, 1, 'FormData.get')
    const key = usvString(name)
    return this.#entries.find(([entryName]) => entryName === key)?.[1] ?? null
  }

  getAll(name: string): FormDataValue[] {
    argumentCount(arguments, 1, 'FormData.getAll')
    const key = usvString(name)
    return this.#entries.filter(([entryName]) => entryName === key).map(([, value]) => value)
  }

  has(name: string): boolean {
    argumentCount(arguments, 1, 'FormData.has')
    const key = usvString(name)
    return this.#entries.some(([entryName]) => entryName === key)
  }

  set(name: string, value: string | Blob, filename?: string): void {
    argumentCount(arguments, 2, 'FormData.set')
    if (arguments.length === 3 && !isBlob(value)) throw new TypeError("Failed to execute 'set' on 'FormData': parameter 2 is not of type 'Blob'")
    const entry = makeEntry(name, value, arguments.length === 3 ? usvString(filename) : undefined)
    const index = this.#entries.findIndex(([entryName]) => entryName === entry[0])
    if (index === -1) this.#entries.push(entry)
    else this.#entries = [...this.#entries.slice(0, index), entry, ...this.#entries.slice(index + 1).filter(([entryName]) => entryName !== entry[0])]
  }

  keys(): IterableIterator<string> {
    return formDataIterator(() => this.#entries, 'key')
  }

  values(): IterableIterator<FormDataValue> {
    return formDataIterator(() => this.#entries, 'value')
  }

  entries(): IterableIterator<FormDataEntry> {
    return formDataIterator(() => this.#entries, 'key+value')
  }

  forEach(callback: (value: FormDataValue, name: string, form: FormData) => void, thisArg: unknown = globalThis): void {
    argumentCount(arguments, 1, 'FormData.forEach')
    if (typeof callback !== 'function') throw new TypeError("Failed to execute 'forEach' on 'FormData': parameter 1 is not of type 'Function'.")
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this)
  }

  declare [Symbol.iterator]: () => IterableIterator<FormDataEntry>
}

Object.defineProperty(FormData.prototype, Symbol.iterator, { value: FormData.prototype.entries, writable: true, configurable: true })
brand(FormData, 'FormData', function inspectFormData(this: FormData, depth, options, inspect) {
  // undici groups repeated names into arrays and prints the object without its null prototype.
  const grouped = Object.create(null) as Record<string, unknown>
  for (const [name, value] of formDataEntries(this)) {
    const existing = grouped[name]
    if (existing === undefined) grouped[name] = value
    else if (Array.isArray(existing)) existing.push(value)
    else grouped[name] = [existing, value]
  }
  const output = inspect(grouped, { ...options, depth: options.depth ?? depth })
  return `FormData ${output.slice(output.indexOf(']') + 2)}`
})
