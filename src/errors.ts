/**
 * One error model for the host. A ThawError is a host-side failure (bad input, unknown function,
 * a closed host): it is thrown. A guest failure (the handler threw, timed out, ran out of memory)
 * is never thrown: it comes back as a value, `{ ok: false, error }`, in the invoke result.
 *
 * Every code is listed in docs/errors.md; test/errors-catalogue.test.ts keeps the two in step.
 */

export interface ErrorCodeInfo {
  /** Lambda's service exception name, where Lambda has one (what the AWS SDK will see). */
  readonly errorType: string
  /** The HTTP status Lambda answers with for this errorType. */
  readonly httpStatus: number
  readonly description: string
}

export const ERROR_CODES = {
  THAW_INVALID_CONFIG: {
    errorType: 'InvalidParameterValueException',
    httpStatus: 400,
    description: 'A deploy, host or invoke option is invalid; `field` names it.',
  },
  THAW_INVALID_CODE_PACKAGE: {
    errorType: 'InvalidParameterValueException',
    httpStatus: 400,
    description: 'The code package cannot be read: a bad zip, a missing folder, or over the size limit.',
  },
  THAW_FUNCTION_NOT_FOUND: {
    errorType: 'ResourceNotFoundException',
    httpStatus: 404,
    description: 'No function with that name is deployed on this host.',
  },
  THAW_INVALID_REQUEST_CONTENT: {
    errorType: 'InvalidRequestContentException',
    httpStatus: 400,
    description: 'The invoke payload is not valid JSON (or cannot be serialised to JSON).',
  },
  THAW_REQUEST_TOO_LARGE: {
    errorType: 'RequestTooLargeException',
    httpStatus: 413,
    description: 'The invoke payload is over the synchronous limit (6 MB), or an Event request over 1 MB.',
  },
  THAW_INVALID_REQUEST: {
    errorType: 'InvalidParameterValueException',
    httpStatus: 400,
    description: 'An HTTP request has a bad parameter: a malformed function name or ARN, an unknown invocation or log type, a bad client context.',
  },
  THAW_UNKNOWN_ROUTE: {
    errorType: 'UnknownOperationException',
    httpStatus: 404,
    description: 'No operation of the HTTP front end answers this method and path.',
  },
  THAW_HOST_CLOSED: {
    errorType: 'ServiceException',
    httpStatus: 500,
    description: 'The host is closing or closed; it accepts no new work.',
  },
  THAW_DISPOSED: {
    errorType: 'ServiceException',
    httpStatus: 500,
    description: 'A resource was used after it was disposed (a bug in the caller or in Thaw).',
  },
  THAW_INVALID_STATE_TRANSITION: {
    errorType: 'InvalidStateTransition',
    httpStatus: 403,
    description: 'A Runtime API call arrived in a state that does not allow it (e.g. a second response).',
  },
  THAW_INVALID_REQUEST_ID: {
    errorType: 'InvalidRequestID',
    httpStatus: 400,
    description: 'A Runtime API call named a request id that is not the invocation in flight.',
  },
  THAW_RESPONSE_TOO_LARGE: {
    errorType: 'RequestEntityTooLarge',
    httpStatus: 413,
    description: 'A runtime posted a response over the 6 MB limit; the caller gets Function.ResponseSizeTooLarge.',
  },
  THAW_SNAPSHOT_FAILED: {
    errorType: 'SnapStartException',
    httpStatus: 400,
    description: 'Publishing a SnapStart version failed: its INIT failed while the snapshot was being made.',
  },
  THAW_SHARD_KILLED: {
    errorType: 'ServiceException',
    httpStatus: 500,
    description: 'A worker thread running environments was terminated (its watchdog stopped a stuck guest); the work it held is lost.',
  },
  THAW_BUILD_FAILED: {
    errorType: 'InvalidParameterValueException',
    httpStatus: 400,
    description: 'bundleFunction (`thaw build`) could not bundle the code: a syntax error, an import that does not resolve.',
  },
  THAW_ENGINE_FAILURE: {
    errorType: 'ServiceException',
    httpStatus: 500,
    description: 'The sandbox engine could not be loaded or started (missing guest artifact, Wasm failure).',
  },
  THAW_RESOURCE_CONFLICT: {
    errorType: 'ResourceConflictException',
    httpStatus: 409,
    description: 'The management API was asked to create a function that exists, or to change one while another change to it is in progress.',
  },
  THAW_PRECONDITION_FAILED: {
    errorType: 'PreconditionFailedException',
    httpStatus: 412,
    description: 'A management request carried a RevisionId that is not the current revision of the function.',
  },
  THAW_TOO_MANY_REQUESTS: {
    errorType: 'TooManyRequestsException',
    httpStatus: 429,
    description: 'A synchronous invoke would take a function over its reserved concurrency (0 disables it).',
  },
  THAW_INVALID_TEMPLATE: {
    errorType: 'ValidationError',
    httpStatus: 400,
    description: 'A SAM template (or functions folder) cannot be loaded: bad YAML, an invalid or unresolvable property; the message names its path.',
  },
  THAW_PROVISIONED_CONFIG_NOT_FOUND: {
    errorType: 'ProvisionedConcurrencyConfigNotFoundException',
    httpStatus: 404,
    description: 'A version or alias has no provisioned concurrency configuration (Get/DeleteProvisionedConcurrencyConfig).',
  },
} as const satisfies Record<string, ErrorCodeInfo>

export type ThawErrorCode = keyof typeof ERROR_CODES

export interface ThawErrorOptions {
  /** The option or field at fault, as the caller spelled it (`memoryMb`, `code.zip`). */
  readonly field?: string
  readonly cause?: unknown
}

export class ThawError extends Error {
  override readonly name = 'ThawError'
  readonly code: ThawErrorCode
  readonly field: string | undefined

  constructor(code: ThawErrorCode, message: string, options: ThawErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.field = options.field
  }

  /** Lambda's exception name for this error, e.g. `ResourceNotFoundException`. */
  get errorType(): string {
    return ERROR_CODES[this.code].errorType
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].httpStatus
  }

  toJSON(): { code: ThawErrorCode; errorType: string; message: string; field?: string } {
    return {
      code: this.code,
      errorType: this.errorType,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
    }
  }
}

export function isThawError(value: unknown, code?: ThawErrorCode): value is ThawError {
  return value instanceof ThawError && (code === undefined || value.code === code)
}

/**
 * The error a failed invocation carries, shaped as Lambda's Node runtime serialises it
 * (`trace`, not `stackTrace`). Platform errors such as Sandbox.Timedout have an empty trace.
 */
export interface FunctionError {
  readonly errorType: string
  readonly errorMessage: string
  readonly trace: readonly string[]
}

/** Turns anything a guest or a runtime posted into a FunctionError; never throws. */
export function toFunctionError(value: unknown): FunctionError {
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    const trace = Array.isArray(record.trace)
      ? record.trace
      : Array.isArray(record.stackTrace)
        ? record.stackTrace
        : []
    return {
      errorType: typeof record.errorType === 'string' ? record.errorType : 'Runtime.UnknownReason',
      errorMessage: typeof record.errorMessage === 'string' ? record.errorMessage : safeString(value),
      trace: trace.map((line) => (typeof line === 'string' ? line : safeString(line))),
    }
  }
  return { errorType: 'Runtime.UnknownReason', errorMessage: safeString(value), trace: [] }
}

function safeString(value: unknown): string {
  try {
    return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}
