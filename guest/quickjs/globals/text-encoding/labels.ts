/**
 * Encoding labels: the WHATWG Encoding Standard's label → encoding table, for the encodings this
 * TextDecoder implements. Every label the standard assigns to windows-1252 ("latin1",
 * "iso-8859-1", "ascii", "us-ascii" …) decodes as windows-1252, as in browsers and Node.
 */

export type EncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'

export function encodingForLabel(label: string): EncodingName | undefined {
  switch (label.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '').toLowerCase()) {
    case 'unicode-1-1-utf-8':
    case 'unicode-1-1-utf8': // not a WHATWG label, accepted for convenience
    case 'unicode11utf8':
    case 'unicode20utf8':
    case 'utf-8':
    case 'utf8':
    case 'x-unicode20utf8':
      return 'utf-8'
    case 'csunicode':
    case 'iso-10646-ucs-2':
    case 'ucs-2':
    case 'unicode':
    case 'unicodefeff':
    case 'utf-16':
    case 'utf-16le':
      return 'utf-16le'
    case 'unicodefffe':
    case 'utf-16be':
      return 'utf-16be'
    case 'ansi_x3.4-1968':
    case 'ascii':
    case 'cp1252':
    case 'cp819':
    case 'csisolatin1':
    case 'ibm819':
    case 'iso-8859-1':
    case 'iso-ir-100':
    case 'iso8859-1':
    case 'iso88591':
    case 'iso_8859-1':
    case 'iso_8859-1:1987':
    case 'l1':
    case 'latin1':
    case 'us-ascii':
    case 'windows-1252':
    case 'x-cp1252':
      return 'windows-1252'
    default:
      return undefined
  }
}
