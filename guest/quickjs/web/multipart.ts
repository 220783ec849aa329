/**
 * multipart/form-data both ways, as undici does it in Node 20: a FormData body is serialised with
 * a `----formdata-undici-0<11 digits>` boundary (names and filenames escaping CR, LF and '"' as
 * %0D, %0A, %22, line ends in names and string values normalised to CRLF, files with their type
 * or application/octet-stream); `formData()` parses such a body back with Node 20's own rules
 * (base64 transfer encoding, files without a type become text/plain) and fails with its
 * TypeError 'Failed to parse body as FormData.'.
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

/** Thrown for any body the parser refuses (undici gives no reason). */
class ParseFailure extends Error {}

/** The bytes of a Latin-1 string (each char one byte), decoded as UTF-8. */
function utf8FromLatin1(text: string): string {
  const bytes = new Uint8Array(text.length)
  for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index)
  return utf8Decode(bytes)
}

/**
 * Node 20's parser (undici 6's formdata-parser.js, ported to a Latin-1 string): it is stricter
 * than RFC 7578 readers (no preamble, `form-data; name="` exactly, a quoted filename, no
 * RFC 5987 decoding of filename*), and the guest refuses exactly what Node refuses.
 */
function parseEntries(bytes: Uint8Array, mime: MimeType): FormDataEntry[] {
  const boundaryString = mime.parameters.get('boundary')
  if (boundaryString === undefined) throw new ParseFailure()
  let text = latin1(bytes)
  const boundary = `--${latin1(utf8Encode(boundaryString))}`
  let position = 0
  while (text.startsWith('\r\n', position)) position += 2
  let trailing = text.length
  while (text[trailing - 1] === '\n' && text[trailing - 2] === '\r') trailing -= 2
  text = text.slice(0, trailing)
  const collect = (accept: (char: string) => boolean): string => {
    const start = position
    while (position < text.length && accept(text.charAt(position))) position++
    return text.slice(start, position)
  }
  const quotedName = (): string => {
    const name = collect((char) => char !== '\n' && char !== '\r' && char !== '"')
    if (text[position] !== '"') throw new ParseFailure()
    position++
    return utf8FromLatin1(name).replace(/%0A/gi, '\n').replace(/%0D/gi, '\r').replace(/%22/g, '"')
  }
  const entries: FormDataEntry[] = []
  for (;;) {
    if (!text.startsWith(boundary, position)) throw new ParseFailure()
    position += boundary.length
    if ((position === text.length - 2 && text.startsWith('--', position)) || (position === text.length - 4 && text.startsWith('--\r\n', position))) {
      return entries
    }
    if (!text.startsWith('\r\n', position)) throw new ParseFailure()
    position += 2

    let name: string | null = null
    let filename: string | null = null
    let contentType: string | null = null
    let encoding: string | null = null
    while (!text.startsWith('\r\n', position)) {
      const headerName = collect((char) => char !== '\n' && char !== '\r' && char !== ':').replace(/^[\t ]+|[\t ]+$/g, '')
      if (!TOKEN.test(headerName) || text[position] !== ':') throw new ParseFailure()
      position++
      collect((char) => char === ' ' || char === '\t')
      const lineValue = (): string => collect((char) => char !== '\n' && char !== '\r').replace(/[\t ]+$/, '')
      switch (headerName.toLowerCase()) {
        case 'content-disposition':
          filename = null
          if (!text.startsWith('form-data; name="', position)) throw new ParseFailure()
          position += 17
          name = quotedName()
          if (text.startsWith('; filename', position)) {
            let check = position + 10
            if (text[check] === '*') {
              position++
              check++
            }
            if (text[check] !== '=' || text[check + 1] !== '"') throw new ParseFailure()
            position += 12
            filename = quotedName()
          }
          break
        case 'content-type':
          contentType = lineValue()
          break
        case 'content-transfer-encoding':
          encoding = lineValue()
          break
        default:
          lineValue()
      }
      // (sic) undici 6 only refuses a line end that is neither CR first nor LF second.
      if (text[position] !== '\r' && text[position + 1] !== '\n') throw new ParseFailure()
      position += 2
    }
    if (name === null) throw new ParseFailure()
    position += 2

    const boundaryIndex = text.indexOf(boundary.slice(2), position)
    if (boundaryIndex === -1) throw new ParseFailure()
    let body = bytes.subarray(position, Math.max(position, boundaryIndex - 4))
    position += body.length
    if (encoding === 'base64') {
      const { atob } = chunkGlobals<{ atob(text: string): string }>('base64')
      const decoded = atob(latin1(body))
      body = new Uint8Array(decoded.length)
      for (let index = 0; index < decoded.length; index++) body[index] = decoded.charCodeAt(index)
    }
    if (!text.startsWith('\r\n', position)) throw new ParseFailure()
    position += 2
    if (filename !== null) {
      let type = contentType ?? 'text/plain'
      if (/[^\x00-\x7F]/.test(type)) type = ''
      entries.push([name, new File([body], filename, { type })])
    } else {
      entries.push([name, utf8Decode(body)])
    }
  }
}

export function parseMultipart(bytes: Uint8Array, mime: MimeType): FormDataEntry[] {
  try {
    return parseEntries(bytes, mime)
  } catch (error) {
    if (error instanceof ParseFailure) throw new TypeError('Failed to parse body as FormData.')
    throw error
  }
}
