/**
 * node:assert's AssertionError with Node 20's messages: a compact port of
 * lib/internal/assert/assertion_error.js (MIT, Node.js contributors). Values are shown with the
 * guest's inspect (compact: false, sorted, unlimited depth, as Node does) and compared line by
 * line into the `+ actual - expected` diff.
 *
 * Differences: the stack is not trimmed to the caller (QuickJS has no Error.captureStackTrace),
 * and the guest never colours the output (Node does not either when stderr is not a TTY).
 */
type Inspect = (value: unknown, options?: Record<string, unknown>) => string

const kReadableOperator: Record<string, string> = {
  deepStrictEqual: 'Expected values to be strictly deep-equal:',
  strictEqual: 'Expected values to be strictly equal:',
  strictEqualObject: 'Expected "actual" to be reference-equal to "expected":',
  deepEqual: 'Expected values to be loosely deep-equal:',
  notDeepStrictEqual: 'Expected "actual" not to be strictly deep-equal to:',
  notStrictEqual: 'Expected "actual" to be strictly unequal to:',
  notStrictEqualObject: 'Expected "actual" not to be reference-equal to "expected":',
  notDeepEqual: 'Expected "actual" not to be loosely deep-equal to:',
  notIdentical: 'Values have same structure but are not reference-equal:',
  notDeepEqualUnequal: 'Expected values not to be loosely deep-equal:',
}

/** Short primitives are shown as `a !== b` rather than as a diff. */
const kMaxShortLength = 12

export interface AssertionErrorOptions {
  message?: unknown
  actual?: unknown
  expected?: unknown
  operator?: string
  stackStartFn?: Function
  stackStartFunction?: Function
}

function copyError(source: Error): Error {
  const target = Object.assign(Object.create(Object.getPrototypeOf(source) as object) as Error, source)
  Object.defineProperty(target, 'message', { value: source.message })
  return target
}

function truncateLines(lines: string[]): string[] {
  if (lines.length > 50) {
    lines[46] = '...'
    lines.length = 47
  }
  return lines
}

export function makeAssertionError(inspect: Inspect) {
  const inspectValue = (value: unknown): string =>
    inspect(value, { compact: false, customInspect: false, depth: 1000, maxArrayLength: Infinity, showHidden: false, sorted: true, getters: true })

  /** The `+ actual - expected` view of two values (Node's createErrDiff). */
  function createErrDiff(actual: unknown, expected: unknown, operatorName: string, message = ''): string {
    let operator = operatorName
    let other = ''
    let res = ''
    let end = ''
    let skipped = false
    const actualInspected = inspectValue(actual)
    const actualLines = actualInspected.split('\n')
    const expectedLines = inspectValue(expected).split('\n')
    let i = 0
    let indicator = ''
    const header = (): string => message || (kReadableOperator[operator] as string)

    if (
      operator === 'strictEqual' &&
      ((typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null) ||
        (typeof actual === 'function' && typeof expected === 'function'))
    ) {
      operator = 'strictEqualObject'
    }

    if (actualLines.length === 1 && expectedLines.length === 1 && actualLines[0] !== expectedLines[0]) {
      const actualRaw = actualLines[0] as string
      const expectedRaw = expectedLines[0] as string
      const inputLength = actualRaw.length + expectedRaw.length
      if (inputLength <= kMaxShortLength) {
        if (
          (typeof actual !== 'object' || actual === null) &&
          (typeof expected !== 'object' || expected === null) &&
          (actual !== 0 || expected !== 0)
        ) {
          return `${header()}\n\n${actualRaw} !== ${expectedRaw}\n`
        }
      } else if (operator !== 'strictEqualObject' && inputLength < 80) {
        // Not a TTY: Node assumes 80 columns and marks the first difference.
        while (actualRaw[i] === expectedRaw[i]) i++
        if (i > 2) {
          indicator = `\n  ${' '.repeat(i)}^`
          i = 0
        }
      }
    }

    // Drop the identical trailing lines (keeping up to three for context).
    let a = actualLines[actualLines.length - 1]
    let b = expectedLines[expectedLines.length - 1]
    while (a === b) {
      if (i++ < 3) end = `\n  ${a}${end}`
      else other = a as string
      actualLines.pop()
      expectedLines.pop()
      if (actualLines.length === 0 || expectedLines.length === 0) break
      a = actualLines[actualLines.length - 1]
      b = expectedLines[expectedLines.length - 1]
    }

    const maxLines = Math.max(actualLines.length, expectedLines.length)
    // Same structure, yet not equal: e.g. deepStrictEqual({ a: Symbol() }, { a: Symbol() }).
    if (maxLines === 0) return `${kReadableOperator.notIdentical}\n\n${truncateLines(actualInspected.split('\n')).join('\n')}\n`

    if (i >= 5) {
      end = `\n...${end}`
      skipped = true
    }
    if (other !== '') {
      end = `\n  ${other}${end}`
      other = ''
    }

    let printedLines = 0
    let identical = 0
    const msg = `${header()}\n+ actual - expected`
    const skippedMsg = ' ... Lines skipped'
    let lines = actualLines
    let plusMinus = '+'
    let maxLength = expectedLines.length
    if (actualLines.length < maxLines) {
      lines = expectedLines
      plusMinus = '-'
      maxLength = actualLines.length
    }

    /** Before a difference: the identical lines just above it (collapsed beyond five). */
    const flushIdentical = (source: string[], index: number): void => {
      if (identical > 2) {
        if (identical > 3) {
          if (identical > 4) {
            if (identical === 5) {
              res += `\n  ${source[index - 3]}`
              printedLines++
            } else {
              res += '\n...'
              skipped = true
            }
          }
          res += `\n  ${source[index - 2]}`
          printedLines++
        }
        res += `\n  ${source[index - 1]}`
        printedLines++
      }
      identical = 0
    }

    for (i = 0; i < maxLines; i++) {
      if (maxLength < i + 1) {
        // Only one side has lines left.
        flushIdentical(lines, i)
        if (lines === actualLines) res += `\n${plusMinus} ${lines[i]}`
        else other += `\n${plusMinus} ${lines[i]}`
        printedLines++
      } else {
        const expectedLine = expectedLines[i] as string
        let actualLine = actualLines[i] as string
        // Lines differing only by a trailing comma are identical.
        let divergingLines = actualLine !== expectedLine && (!actualLine.endsWith(',') || actualLine.slice(0, -1) !== expectedLine)
        if (divergingLines && expectedLine.endsWith(',') && expectedLine.slice(0, -1) === actualLine) {
          divergingLines = false
          actualLine += ','
        }
        if (divergingLines) {
          flushIdentical(actualLines, i)
          // Consecutive diverging lines show as +++--- rather than +-+-+-.
          res += `\n+ ${actualLine}`
          other += `\n- ${expectedLine}`
          printedLines += 2
        } else {
          res += other
          other = ''
          identical++
          if (identical <= 2) {
            res += `\n  ${actualLine}`
            printedLines++
          }
        }
      }
      // Show about 50 lines at most.
      if (printedLines > 50 && i < maxLines - 2) return `${msg}${skippedMsg}\n${res}\n...${other}\n...`
    }
    return `${msg}${skipped ? skippedMsg : ''}\n${res}${other}${end}${indicator}`
  }

  function generatedMessage(operator: string | undefined, actualInput: unknown, expectedInput: unknown): string {
    let actual = actualInput
    let expected = expectedInput
    // Errors on both sides are shown without their stacks.
    if (actual instanceof Error && 'stack' in actual && expected instanceof Error && 'stack' in expected) {
      actual = copyError(actual)
      expected = copyError(expected)
    }
    if (operator === 'deepStrictEqual' || operator === 'strictEqual') return createErrDiff(actual, expected, operator)
    if (operator === 'notDeepStrictEqual' || operator === 'notStrictEqual') {
      let base = kReadableOperator[operator] as string
      const res = truncateLines(inspectValue(actual).split('\n'))
      if (operator === 'notStrictEqual' && ((typeof actual === 'object' && actual !== null) || typeof actual === 'function')) {
        base = kReadableOperator.notStrictEqualObject as string
      }
      if (res.length === 1) return `${base}${(res[0] as string).length > 5 ? '\n\n' : ' '}${res[0]}`
      return `${base}\n\n${res.join('\n')}\n`
    }
    let res = inspectValue(actual)
    let other = inspectValue(expected)
    const knownOperator = kReadableOperator[operator as string]
    if (operator === 'notDeepEqual' && res === other) {
      res = `${knownOperator}\n\n${res}`
      return res.length > 1024 ? `${res.slice(0, 1021)}...` : res
    }
    if (res.length > 512) res = `${res.slice(0, 509)}...`
    if (other.length > 512) other = `${other.slice(0, 509)}...`
    if (operator === 'deepEqual') {
      res = `${knownOperator}\n\n${res}\n\nshould loosely deep-equal\n\n`
    } else {
      const newOp = kReadableOperator[`${operator}Unequal`]
      if (newOp) res = `${newOp}\n\n${res}\n\nshould not loosely deep-equal\n\n`
      else other = ` ${operator} ${other}`
    }
    return `${res}${other}`
  }

  const addEllipsis = (string: string): string => {
    const lines = string.split('\n', 11)
    if (lines.length > 10) {
      lines.length = 10
      return `${lines.join('\n')}\n...`
    }
    return string.length > 512 ? `${string.slice(512)}...` : string
  }

  class AssertionError extends Error {
    generatedMessage!: boolean
    code!: string
    actual: unknown
    expected: unknown
    operator: string | undefined

    constructor(options: AssertionErrorOptions) {
      if (options === null || typeof options !== 'object') {
        const received = options === null || options === undefined ? String(options) : `type ${typeof options} (${String(options)})`
        throw Object.assign(new TypeError(`The "options" argument must be of type object. Received ${received}`), { code: 'ERR_INVALID_ARG_TYPE' })
      }
      const { message, operator, actual, expected } = options
      if (message != null) {
        super(operator === 'deepStrictEqual' || operator === 'strictEqual' ? createErrDiff(actual, expected, operator, String(message)) : String(message))
      } else {
        super(generatedMessage(operator, actual, expected))
      }
      this.generatedMessage = !message
      Object.defineProperty(this, 'name', { value: 'AssertionError', enumerable: false, writable: true, configurable: true })
      this.code = 'ERR_ASSERTION'
      this.actual = actual
      this.expected = expected
      this.operator = operator
    }

    override toString(): string {
      return `${this.name} [${this.code}]: ${this.message}`
    }

    /** Long strings in actual / expected are shortened; the values are shown at depth 0 (Node's inspect of an AssertionError). */
    [Symbol.for('nodejs.util.inspect.custom')](_depth: number, options: Record<string, unknown>): string {
      const { actual, expected } = this
      if (typeof actual === 'string') this.actual = addEllipsis(actual)
      if (typeof expected === 'string') this.expected = addEllipsis(expected)
      try {
        return inspect(this, { ...options, customInspect: false, depth: 0 })
      } finally {
        this.actual = actual
        this.expected = expected
      }
    }
  }
  return AssertionError
}

export type AssertionErrorClass = ReturnType<typeof makeAssertionError>
