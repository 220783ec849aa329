import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { ERROR_CODES, isThawError, type ThawErrorCode } from '../errors.js'

/**
 * A service error on the wire, as Lambda sends it and the AWS SDK v3 (awsRestJson1) parses it:
 * the code in `x-amzn-ErrorType`, a JSON body with `Type` and the message.
 */
export interface ServiceError {
  readonly errorType: string
  readonly httpStatus: number
  readonly message: string
  /** Extra modelled members, e.g. `Reason` for TooManyRequestsException. */
  readonly members?: Readonly<Record<string, string>>
}

/**
 * The exceptions whose SDK shape names the member `Message`; every other Lambda exception uses
 * `message` (checked against @aws-sdk/client-lambda's schemas). Sending the modelled key means the
 * typed exception's member is filled, not only the generic `.message`.
 */
const CAPITAL_MESSAGE: ReadonlySet<string> = new Set([
  'ResourceNotFoundException',
  'ServiceException',
  'CodeSigningConfigNotFoundException',
  'KMSNotFoundException',
])

/** A ThawError becomes its Lambda exception; anything else is a ServiceException (a bug, not the caller's fault). */
export function toServiceError(error: unknown): ServiceError {
  if (isThawError(error, 'THAW_TOO_MANY_REQUESTS')) {
    // The only throttle Thaw has is reserved concurrency; the SDK reads Reason onto the exception.
    return { errorType: error.errorType, httpStatus: error.httpStatus, message: error.message, members: { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' } }
  }
  if (isThawError(error)) return { errorType: error.errorType, httpStatus: error.httpStatus, message: error.message }
  return { errorType: 'ServiceException', httpStatus: 500, message: 'An internal error occurred in the Thaw HTTP front end' }
}

export function serviceError(code: ThawErrorCode, message: string): ServiceError {
  const { errorType, httpStatus } = ERROR_CODES[code]
  return { errorType, httpStatus, message }
}

export function sendServiceError(res: ServerResponse, error: ServiceError): void {
  const body = JSON.stringify({
    Type: error.httpStatus >= 500 ? 'Service' : 'User',
    [CAPITAL_MESSAGE.has(error.errorType) ? 'Message' : 'message']: error.message,
    ...error.members,
  })
  if (res.headersSent) {
    // Too late for a status: cut the response short so the client sees a failure, not a truncated success.
    res.destroy()
    return
  }
  res.writeHead(error.httpStatus, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': error.errorType,
    'x-amzn-requestid': randomUUID(),
  })
  res.end(body)
}
