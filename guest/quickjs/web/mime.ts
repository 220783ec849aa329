/**
 * MIME types as the fetch spec reads them from a Content-Type header (WHATWG MIME Sniffing,
 * "parse a MIME type" and "serialize a MIME type"): what `formData()` dispatches on and the type
 * `blob()` gives its Blob.
 */

export interface MimeType {
  /** `type/subtype`, lowercased. */
  readonly essence: string
  readonly parameters: Map<string, string>
}

export const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const QUOTED_STRING_CHARS = /^[\t\u0020-\u007E\u0080-\u00FF]*$/
const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g

export function parseMimeType(input: string): MimeType | null {
  const text = input.replace(HTTP_WHITESPACE, '')
  const slash = text.indexOf('/')
  if (slash <= 0) return null
  const type = text.slice(0, slash)
  let position = text.indexOf(';', slash)
  if (position === -1) position = text.length
  const subtype = text.slice(slash + 1, position).replace(HTTP_WHITESPACE, '')
  if (!TOKEN.test(type) || !TOKEN.test(subtype)) return null
  const parameters = new Map<string, string>()
  while (position < text.length) {
    position++ // the ';'
    while (/[\t\n\r ]/.test(text.charAt(position))) position++
    let end = position
    while (end < text.length && text[end] !== ';' && text[end] !== '=') end++
    const name = text.slice(position, end).toLowerCase()
    position = end
    if (position >= text.length) break
    if (text[position] === ';') continue
    position++ // the '='
    let value: string
    if (text[position] === '"') {
      value = ''
      position++
      while (position < text.length && text[position] !== '"') {
        if (text[position] === '\\' && position + 1 < text.length) position++
        value += text[position]
        position++
      }
      while (position < text.length && text[position] !== ';') position++
    } else {
      end = text.indexOf(';', position)
      if (end === -1) end = text.length
      value = text.slice(position, end).replace(HTTP_WHITESPACE, '')
      position = end
      if (value === '') continue
    }
    if (name !== '' && TOKEN.test(name) && QUOTED_STRING_CHARS.test(value) && !parameters.has(name)) parameters.set(name, value)
  }
  return { essence: `${type}/${subtype}`.toLowerCase(), parameters }
}

export function serializeMimeType(mime: MimeType): string {
  let out = mime.essence
  for (const [name, value] of mime.parameters) {
    out += `;${name}=${value !== '' && TOKEN.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`}`
  }
  return out
}
