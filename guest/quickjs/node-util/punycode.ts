/**
 * Punycode decoding (RFC 3492) of `xn--` labels, for url.domainToUnicode: the guest's URL parser
 * only converts hostnames to ASCII. Returns undefined for an invalid label.
 */
const base = 36
const tMin = 1
const tMax = 26
const skew = 38
const damp = 700
const initialBias = 72
const initialN = 128

function adapt(delta: number, numPoints: number, firstTime: boolean): number {
  let d = firstTime ? Math.floor(delta / damp) : delta >> 1
  d += Math.floor(d / numPoints)
  let k = 0
  while (d > ((base - tMin) * tMax) >> 1) {
    d = Math.floor(d / (base - tMin))
    k += base
  }
  return k + Math.floor(((base - tMin + 1) * d) / (d + skew))
}

function digitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 22
  if (code >= 65 && code <= 90) return code - 65
  if (code >= 97 && code <= 122) return code - 97
  return base
}

export function decodePunycode(input: string): string | undefined {
  const output: number[] = []
  const basicEnd = Math.max(input.lastIndexOf('-'), 0)
  for (let j = 0; j < basicEnd; j++) {
    const code = input.charCodeAt(j)
    if (code >= 0x80) return undefined
    output.push(code)
  }
  let n = initialN
  let bias = initialBias
  let i = 0
  for (let index = basicEnd > 0 ? basicEnd + 1 : 0; index < input.length; ) {
    const oldi = i
    for (let w = 1, k = base; ; k += base) {
      if (index >= input.length) return undefined
      const digit = digitValue(input.charCodeAt(index++))
      if (digit >= base || digit > Math.floor((0x7fffffff - i) / w)) return undefined
      i += digit * w
      const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias
      if (digit < t) break
      if (w > Math.floor(0x7fffffff / (base - t))) return undefined
      w *= base - t
    }
    const length = output.length + 1
    bias = adapt(i - oldi, length, oldi === 0)
    if (Math.floor(i / length) > 0x7fffffff - n) return undefined
    n += Math.floor(i / length)
    i %= length
    output.splice(i++, 0, n)
  }
  return String.fromCodePoint(...output)
}

/** Each `xn--` label of an ASCII hostname decoded (labels that fail to decode are kept). */
export function hostnameToUnicode(hostname: string): string {
  return hostname
    .split('.')
    .map((label) => {
      if (!label.toLowerCase().startsWith('xn--')) return label
      return decodePunycode(label.slice(4)) ?? label
    })
    .join('.')
}
