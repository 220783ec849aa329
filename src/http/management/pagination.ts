import { ThawError } from '../../errors.js'

export interface Page<Item> {
  readonly items: Item[]
  /** Present when more items follow; the caller sends it back as `Marker`. */
  readonly nextMarker: string | undefined
}

const DEFAULT_MAX_ITEMS = 50
const MAX_ITEMS_LIMIT = 10_000

/**
 * One page of `items` (already in their listing order). The marker is opaque to callers: the key
 * of the first item of the next page, base64url-encoded. A page starts at that key's position,
 * or, if the item was deleted meanwhile, at the first item after it, so deletions between pages
 * neither repeat nor skip anything.
 */
export function paginate<Item>(
  items: readonly Item[],
  keyOf: (item: Item) => string,
  compareKeys: (a: string, b: string) => number,
  query: URLSearchParams,
): Page<Item> {
  const maxItems = parseMaxItems(query.get('MaxItems'))
  const marker = query.get('Marker')
  let start = 0
  if (marker !== null && marker !== '') {
    const key = decodeMarker(marker)
    start = items.findIndex((item) => compareKeys(keyOf(item), key) >= 0)
    if (start < 0) start = items.length
  }
  const page = items.slice(start, start + maxItems)
  const next = items[start + maxItems]
  return { items: page, nextMarker: next === undefined ? undefined : Buffer.from(keyOf(next), 'utf8').toString('base64url') }
}

function parseMaxItems(value: string | null): number {
  if (value === null || value === '') return DEFAULT_MAX_ITEMS
  const number = Number(value)
  if (!Number.isInteger(number) || number < 1 || number > MAX_ITEMS_LIMIT) {
    throw new ThawError('THAW_INVALID_REQUEST', `MaxItems must be a whole number from 1 to ${MAX_ITEMS_LIMIT}, got ${JSON.stringify(value)}`, {
      field: 'MaxItems',
    })
  }
  return number
}

function decodeMarker(marker: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(marker)) {
    throw new ThawError('THAW_INVALID_REQUEST', `Marker ${JSON.stringify(marker)} is not a marker this API returned`, { field: 'Marker' })
  }
  return Buffer.from(marker, 'base64url').toString('utf8')
}

/** `$LATEST` first, then versions by number: Lambda's listing order. */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0
  if (a === '$LATEST') return -1
  if (b === '$LATEST') return 1
  return Number(a) - Number(b)
}
