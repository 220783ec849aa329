/**
 * Line breaking: whether the entries fit on one line (breakLength 80, up to `compact` (3) inner
 * levels on one line; `compact: false` one entry per line, `compact: true` Node's legacy layout), and the column grouping Node applies to arrays of more than 6 short items
 * (numbers right-aligned, everything else left-aligned).
 */
import { kArrayExtrasType, type Context } from './options.js'

/**
 * Node's column layout for arrays of more than 6 entries: as many columns as fit (at most 15 or
 * `compact * 4`), sized from the entries' lengths; numbers and bigints are right-aligned.
 */
function groupArrayElements(ctx: Context, output: string[], value: object | undefined): string[] {
  let totalLength = 0
  let maxLength = 0
  let i = 0
  let outputLength = output.length
  // Leave the "... more items" entry out of the grouping.
  if (ctx.maxArrayLength < output.length) outputLength--
  const separatorSpace = 2
  const dataLen = new Array<number>(outputLength)
  for (; i < outputLength; i++) {
    const len = (output[i] as string).length
    dataLen[i] = len
    totalLength += len + separatorSpace
    if (maxLength < len) maxLength = len
  }
  const actualMax = maxLength + separatorSpace
  if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength && (totalLength / actualMax > 5 || maxLength <= 6)) {
    const approxCharHeights = 2.5
    const averageBias = Math.sqrt(actualMax - totalLength / output.length)
    const biasedMax = Math.max(actualMax - 3 - averageBias, 1)
    const columns = Math.min(
      Math.round(Math.sqrt(approxCharHeights * biasedMax * outputLength) / biasedMax),
      Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
      (ctx.compact as number) * 4,
      15,
    )
    if (columns <= 1) return output
    const tmp: string[] = []
    const maxLineLength: number[] = []
    for (let c = 0; c < columns; c++) {
      let lineLength = 0
      for (let j = c; j < output.length; j += columns) {
        if ((dataLen[j] ?? 0) > lineLength) lineLength = dataLen[j] as number
      }
      maxLineLength.push(lineLength + separatorSpace)
    }
    let padStart = true
    if (value !== undefined) {
      const items = value as Record<number, unknown>
      for (let k = 0; k < output.length; k++) {
        const item = items[k]
        if (typeof item !== 'number' && typeof item !== 'bigint') {
          padStart = false
          break
        }
      }
    }
    for (let r = 0; r < outputLength; r += columns) {
      const max = Math.min(r + columns, outputLength)
      let str = ''
      let j = r
      for (; j < max - 1; j++) {
        const padding = maxLineLength[j - r] as number
        const cell = `${output[j] as string}, `
        str += padStart ? cell.padStart(padding, ' ') : cell.padEnd(padding, ' ')
      }
      if (padStart) {
        str += (output[j] as string).padStart((maxLineLength[j - r] as number) - separatorSpace, ' ')
      } else {
        str += output[j] as string
      }
      tmp.push(str)
    }
    if (ctx.maxArrayLength < output.length) tmp.push(output[outputLength] as string)
    return tmp
  }
  return output
}

function isBelowBreakLength(ctx: Context, output: string[], start: number, base: string): boolean {
  let totalLength = output.length + start
  if (totalLength + output.length > ctx.breakLength) return false
  for (const entry of output) {
    totalLength += entry.length
    if (totalLength > ctx.breakLength) return false
  }
  return base === '' || !base.includes('\n')
}

/**
 * Joins the entries inside the braces: on one line when they fit (and the object is no more than
 * `compact` levels deep in the current line), otherwise one entry per line.
 */
export function reduceToSingleString(
  ctx: Context,
  input: string[],
  base: string,
  braces: [string, string],
  extrasType: number,
  recurseTimes: number,
  value: object | undefined,
): string {
  let output = input
  if (ctx.compact !== true) {
    if (typeof ctx.compact === 'number' && ctx.compact >= 1) {
      const entries = output.length
      if (extrasType === kArrayExtrasType && entries > 6) output = groupArrayElements(ctx, output, value)
      if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
        const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10
        if (isBelowBreakLength(ctx, output, start, base)) {
          const joined = output.join(', ')
          if (!joined.includes('\n')) return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`
        }
      }
    }
    const indentation = `\n${' '.repeat(ctx.indentationLvl)}`
    return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`
  }
  // `compact: true`: Node's legacy layout, as many entries per line as fit.
  if (isBelowBreakLength(ctx, output, 0, base)) return `${braces[0]}${base ? ` ${base}` : ''} ${output.join(', ')} ${braces[1]}`
  const indentation = ' '.repeat(ctx.indentationLvl)
  const ln = base === '' && braces[0].length === 1 ? ' ' : `${base ? ` ${base}` : ''}\n${indentation}  `
  return `${braces[0]}${ln}${output.join(`,\n${indentation}  `)} ${braces[1]}`
}
