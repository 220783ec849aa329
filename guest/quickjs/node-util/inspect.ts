/**
 * node:util's `inspect`, `format` and `formatWithOptions`, over the guest's own Node-faithful
 * formatter (chunk "inspect", the one console.log uses; see globals/format.ts). Loading that
 * chunk rather than bundling a copy means `util.inspect.defaultOptions` is the object console
 * output reads too, as in Node.
 *
 * Colours are accepted and ignored: the guest's output never goes to a terminal.
 */
import type { InspectOptions } from '../globals/inspect/options.js'
import { nodeError, invalidArgType, validateObject } from './errors.js'

export interface InspectChunk {
  inspect(value: unknown, options?: InspectOptions | boolean, ...legacy: unknown[]): string
  formatLogArguments(args: readonly unknown[], options?: InspectOptions): string
  inspectDefaults: Record<string, unknown>
}

type Colors = Record<string, [number, number]>

/** Node's `inspect.colors`: SGR codes by name (aliases are non-enumerable, as in Node). */
function makeColors(): Colors {
  const colors: Colors = Object.create(null) as Colors
  const names =
    'reset 0 0,bold 1 22,dim 2 22,italic 3 23,underline 4 24,blink 5 25,inverse 7 27,hidden 8 28,strikethrough 9 29,' +
    'doubleunderline 21 24,black 30 39,red 31 39,green 32 39,yellow 33 39,blue 34 39,magenta 35 39,cyan 36 39,white 37 39,' +
    'bgBlack 40 49,bgRed 41 49,bgGreen 42 49,bgYellow 43 49,bgBlue 44 49,bgMagenta 45 49,bgCyan 46 49,bgWhite 47 49,' +
    'framed 51 54,overlined 53 55,gray 90 39,redBright 91 39,greenBright 92 39,yellowBright 93 39,blueBright 94 39,' +
    'magentaBright 95 39,cyanBright 96 39,whiteBright 97 39,bgGray 100 49,bgRedBright 101 49,bgGreenBright 102 49,' +
    'bgYellowBright 103 49,bgBlueBright 104 49,bgMagentaBright 105 49,bgCyanBright 106 49,bgWhiteBright 107 49'
  for (const entry of names.split(',')) {
    const [name, open, close] = entry.split(' ') as [string, string, string]
    colors[name] = [Number(open), Number(close)]
  }
  const aliases =
    'grey gray,blackBright gray,bgGrey bgGray,bgBlackBright bgGray,faint dim,crossedout strikethrough,strikeThrough strikethrough,' +
    'crossedOut strikethrough,conceal hidden,swapColors inverse,swapcolors inverse,doubleUnderline doubleunderline'
  for (const entry of aliases.split(',')) {
    const [alias, target] = entry.split(' ') as [string, string]
    Object.defineProperty(colors, alias, {
      get: () => colors[target],
      set(value: [number, number]) {
        colors[target] = value
      },
      configurable: true,
      enumerable: false,
    })
  }
  return colors
}

function makeStyles(): Record<string, string> {
  return Object.assign(Object.create(null) as Record<string, string>, {
    special: 'cyan',
    number: 'yellow',
    bigint: 'yellow',
    boolean: 'yellow',
    undefined: 'grey',
    null: 'bold',
    string: 'green',
    symbol: 'green',
    date: 'magenta',
    regexp: 'red',
    module: 'underline',
  })
}

export interface UtilInspect {
  (value: unknown, options?: InspectOptions | boolean, depth?: number | null, colors?: boolean): string
  custom: symbol
  colors: Colors
  styles: Record<string, string>
  defaultOptions: Record<string, unknown>
}

/** util.inspect is the guest formatter's own `inspect` (the one custom inspect methods receive), given Node's properties. */
export function makeInspect(chunk: InspectChunk): UtilInspect {
  const inspect = chunk.inspect
  if (Object.prototype.hasOwnProperty.call(inspect, 'custom')) return inspect as unknown as UtilInspect
  Object.defineProperty(inspect, 'custom', { value: Symbol.for('nodejs.util.inspect.custom'), enumerable: true, writable: true, configurable: true })
  Object.defineProperty(inspect, 'defaultOptions', {
    get: () => chunk.inspectDefaults,
    set(options: unknown) {
      validateObject(options, 'options')
      Object.assign(chunk.inspectDefaults, options)
    },
    configurable: true,
    enumerable: false,
  })
  const self = inspect as unknown as UtilInspect
  self.colors = makeColors()
  self.styles = makeStyles()
  return self
}

export function makeFormat(chunk: InspectChunk) {
  return {
    format: (...args: unknown[]): string => chunk.formatLogArguments(args),
    formatWithOptions(inspectOptions: unknown, ...args: unknown[]): string {
      if (inspectOptions === null || typeof inspectOptions !== 'object') throw invalidArgType('inspectOptions', 'object', inspectOptions)
      return chunk.formatLogArguments(args, inspectOptions as InspectOptions)
    },
  }
}

/** Node 20.12's `util.styleText`: a single format is applied only where Node would colour stdout (FORCE_COLOR). */
export function makeStyleText(colors: Colors) {
  const check = (key: unknown): [number, number] => {
    const codes = typeof key === 'string' ? colors[key] : undefined
    if (codes == null) {
      const allowed = Object.keys(colors).map((name) => `'${name}'`).join(', ')
      throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', `The argument 'format' must be one of: ${allowed}. Received ${typeof key === 'string' ? `'${key}'` : String(key)}`)
    }
    return codes
  }
  const sgr = (code: number): string => `\u001b[${code}m`
  return function styleText(format: unknown, text: unknown, { validateStream = true }: { validateStream?: boolean } = {}): string {
    if (typeof text !== 'string') throw invalidArgType('text', 'string', text)
    if (Array.isArray(format)) {
      let left = ''
      let right = ''
      for (const key of format) {
        const [open, close] = check(key)
        left += sgr(open)
        right = `${sgr(close)}${right}`
      }
      return `${left}${text}${right}`
    }
    const [open, close] = check(format)
    if (validateStream && !forceColor()) return text
    return `${sgr(open)}${text}${sgr(close)}`
  }
}

/** Whether Node would colour a non-TTY stream: only when FORCE_COLOR asks for it. */
function forceColor(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
  const value = env?.FORCE_COLOR
  return value !== undefined && value !== '0' && value !== 'false'
}
