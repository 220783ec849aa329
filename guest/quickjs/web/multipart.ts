/**
 * multipart/form-data both ways, as undici does it in Node 20: a FormData body is serialised with
 * a `----formdata-undici-0<11 digits>` boundary (names and filenames escaping CR, LF and '"' as
 * %0D, %0A, %22, line ends in names and string values normalised to CRLF, files with their type
 * or application/octet-stream); `formData()` parses such a body back (RFC 7578 with undici's
 * rules: filename* in UTF-8, base64 transfer encoding, files without a type become text/plain)
 * and fails with undici's TypeError 'Failed to parse body as FormData.' and the reason as `cause`.
 *
 * The body is searched as a Latin-1 string (one char per byte) so that QuickJS's native
 * `indexOf` finds the boundaries; its indices are byte offsets.
 */
import { blobBytes, File } from './blob.js'
import { concatBytes, latin1, utf8Decode, utf8Encode } from './bytes.js'
import { chunkGlobals } from './chunk-loader.js'
import type { FormDataEntry } from './form-data.js'
import { TOKEN, type MimeType } from './mime.js'

const escapeName = (text: string): string => text.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22')
const normalizeLinefeeds = (text: string): string => text.replace(/\r?\n|\r/g, '\r\n')

export function serializeMultipart(entries: readonly FormDataEntry[]): { bytes: Uint8Array; type: string } {
  const boundary = `----formdata-undici-0${`${Math.floor(Math.random() * 1e11)}`.padStart(11, '0')}`
  const prefix = `--${boundary}\r\nContent-Disposition: form-data`
  const parts: Uint8Array[] = []
  for (const [name, value] of entries) {
    const field = `${prefix}; name="${escapeName(normalizeLinefeeds(name))}"`
    if (typeof value === 'string') {
      parts.push(utf8Encode(`${field}\r\n\r\n${normalizeLinefeeds(value)}\r\n`))
    } else {
      const filename = value.name ? `; filename="${escapeName(value.name)}"` : ''
      parts.push(utf8Encode(`${field}${filename}\r\nContent-Type: ${value.type || 'application/octet-stream'}\r\n\r\n`))
      parts.push(blobBytes(value), new Uint8Array([13, 10]))
    }
  }
  parts.push(utf8Encode(`--${boundary}--\r\n`))
  return { bytes: concatBytes(parts), type: `multipart/form-data; boundary=${boundary}` }
}

function parsingError(cause: string): TypeError {
  return new TypeError('Failed to parse body as FormData.', { cause: new TypeError(cause) })
}

/** The bytes of a Latin-1 string (each char one byte), decoded as UTF-8. */
function utf8FromLatin1(text: string): string {
  const bytes = new Uint8Array(text.length)
  for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index)
  return utf8Decode(bytes, true)
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/

/** Content-Disposition: `form-data; name="…"; filename="…"` (filename* wins over filename). */
function parseDisposition(value: string): { name: string; filename: string | null } {
  let position = 0
  const collect = (accept: (char: string) => boolean): string => {
    const start = position
    while (position < value.length && accept(value.charAt(position))) position++
    return value.slice(start, position)
  }
  if (collect((char) => TOKEN_CHAR.test(char)).toLowerCase() !== 'form-data') {
    throw parsingError('expected form-data for content-disposition header')
  }
  let name: string | null = null
  let filename: string | null = null
  let filenameIsExtended = false
  while (position < value.length) {
    if (value[position] === ';') position++
    collect((char) => char === ' ' || char === '\t')
    const attribute = collect((char) => TOKEN_CHAR.test(char) && char !== '=' && char !== '*').toLowerCase()
    if (attribute === '') break
    const extended = value[position] === '*'
    if (extended) position++
    if (value[position] !== '=') break
    position++
    collect((char) => char === ' ' || char === '\t')
    let text: string
    if (extended) {
      const raw = collect((char) => char !== ' ' && char !== ';')
      if (!/^utf-8/i.test(raw)) throw parsingError("unknown encoding, expected utf-8''")
      text = decodeURIComponent(utf8FromLatin1(raw.slice(7)))
    } else if (value[position] === '"') {
      position++
      const quoted = collect((char) => char !== '"')
      if (value[position] !== '"') throw parsingError('Closing quote not found')
      position++
      text = utf8FromLatin1(quoted).replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%22/g, '"')
    } else {
      text = utf8FromLatin1(collect((char) => TOKEN_CHAR.test(char) && char !== ';'))
    }
    if (attribute === 'name') name = text
    else if (attribute === 'filename' && (extended || !filenameIsExtended)) {
      filename = text
      filenameIsExtended ||= extended
    }
  }
  if (name === null) throw parsingError('name attribute is required in content-disposition header')
  return { name, filename }
}

export function parseMultipart(bytes: Uint8Array, mime: MimeType): FormDataEntry[] {
  const boundaryString = mime.parameters.get('boundary')
  if (boundaryString === undefined) throw parsingError('missing boundary in content-type header')
  const text = latin1(bytes)
  const boundary = `--${latin1(utf8Encode(boundaryString))}`
  let position = text.indexOf(boundary)
  if (position === -1) throw parsingError('no boundary found in multipart body')
  const entries: FormDataEntry[] = []
  for (;;) {
    if (!text.startsWith(boundary, position)) throw parsingError('expected a value starting with -- and the boundary')
    position += boundary.length
    if (text.startsWith('--', position)) return entries
    if (!text.startsWith('\r\n', position)) throw parsingError('expected CRLF')
    position += 2

    let name: string | null = null
    let filename: string | null = null
    let contentType: string | null = null
    let encoding: string | null = null
    while (!text.startsWith('\r\n', position)) {
      const lineEnd = text.indexOf('\r\n', position)
      if (lineEnd === -1) throw parsingError('expected CRLF')
      const line = text.slice(position, lineEnd)
      const colon = line.indexOf(':')
      const headerName = (colon === -1 ? line : line.slice(0, colon)).replace(/^[\t ]+|[\t ]+$/g, '')
      if (!TOKEN.test(headerName)) throw parsingError('header name does not match the field-name token production')
      if (colon === -1) throw parsingError('expected :')
      const headerValue = line.slice(colon + 1).replace(/^[\t ]+/, '')
      switch (headerName.toLowerCase()) {
        case 'content-disposition':
          ;({ name, filename } = parseDisposition(headerValue))
          break
        case 'content-type':
          contentType = headerValue.replace(/[\t ]+$/, '')
          break
        case 'content-transfer-encoding':
          encoding = headerValue.replace(/[\t ]+$/, '')
          break
      }
      position = lineEnd + 2
    }
    if (name === null) throw parsingError('header name is null')
    position += 2

    const boundaryIndex = text.indexOf(boundary.slice(2), position)
    if (boundaryIndex === -1) throw parsingError('expected boundary after body')
    const end = Math.max(position, boundaryIndex - 4)
    let body = bytes.subarray(position, end)
    position = end
    if (encoding === 'base64') {
      const { atob } = chunkGlobals<{ atob(text: string): string }>('base64')
      const decoded = atob(latin1(body))
      body = new Uint8Array(decoded.length)
      for (let index = 0; index < decoded.length; index++) body[index] = decoded.charCodeAt(index)
    }
    if (!text.startsWith('\r\n', position)) throw parsingError('expected CRLF')
    position += 2
    if (filename !== null) {
      let type = contentType ?? 'text/plain'
      if (/[^\x00-\x7F]/.test(type)) type = ''
      entries.push([name, new File([body], filename, { type })])
    } else {
      entries.push([name, utf8Decode(body, true)])
    }
  }
}
