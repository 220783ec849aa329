/**
 * Errors as Lambda's Node runtime (aws-lambda-nodejs-runtime-interface-client) shapes them.
 */

export interface RapidError {
  errorType: string
  errorMessage: string
  trace: string[]
}

/** A `Runtime.*` error raised by the runtime itself; its name is the errorType. */
export class RuntimeError extends Error {
  constructor(errorType: string, message: string, cause?: unknown) {
    super(message)
    this.name = errorType
    if (cause !== undefined) this.cause = cause
  }
}

function isErrorLike(value: unknown): value is Error {
  return value instanceof Error || (value !== null && typeof value === 'object' && 'name' in value && 'message' in value && 'stack' in value)
}

/** Node's stack starts with "Name: message"; QuickJS's holds only the frames. */
export function stackLines(error: Error): string[] {
  const frames = typeof error.stack === 'string' ? error.stack.split('\n').filter((line) => line.trim() !== '') : []
  const header = error.message === '' ? String(error.name) : `${String(error.name)}: ${String(error.message)}`
  return frames[0]?.startsWith(header) === true ? frames : [header, ...frames]
}

/** The runtime's `toRapidResponse`: what an error posted to the Runtime API looks like. */
export function toRapidError(error: unknown): RapidError {
  try {
    if (isErrorLike(error)) {
      return { errorType: String(error.name), errorMessage: String(error.message), trace: stackLines(error) }
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] }
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    }
  }
}
