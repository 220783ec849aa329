/**
 * The `context` object a handler receives (lambda-interfaces §4.2), and the callback / succeed /
 * fail / done family with Lambda's Node semantics: the first completion wins; `callback(null, x)`
 * waits for the event loop to be empty while `callbackWaitsForEmptyEventLoop` is true.
 */

export interface InvocationHeaders {
  requestId: string
  deadlineMs: number
  invokedFunctionArn: string
  clientContext: string | undefined
  cognitoIdentity: string | undefined
  tenantId: string | undefined
}

export interface Completion {
  /** Post a success now. */
  succeed(result: unknown): void
  /** Post a failure now. */
  fail(error: unknown): void
  /** Post a success once the event loop is empty. */
  succeedWhenIdle(result: unknown): void
}

export interface LambdaContext {
  readonly callback: (error?: unknown, result?: unknown) => void
  readonly context: Record<string, unknown>
}

export function createLambdaContext(
  headers: InvocationHeaders,
  env: Record<string, string | undefined>,
  completion: Completion,
): LambdaContext {
  let waitsForEmptyEventLoop = true
  const callback = (error?: unknown, result?: unknown): void => {
    if (error !== undefined && error !== null) completion.fail(error)
    else if (waitsForEmptyEventLoop) completion.succeedWhenIdle(result)
    else completion.succeed(result)
  }
  const done = (error?: unknown, result?: unknown): void => {
    waitsForEmptyEventLoop = false
    callback(error, result)
  }
  const context: Record<string, unknown> = {
    awsRequestId: headers.requestId,
    invokedFunctionArn: headers.invokedFunctionArn,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parseJson(headers.clientContext),
    identity: parseJson(headers.cognitoIdentity),
    tenantId: headers.tenantId,
    getRemainingTimeInMillis: () => headers.deadlineMs - Date.now(),
    done,
    succeed: (result?: unknown) => done(null, result),
    fail: (error?: unknown) => done(error === undefined || error === null ? 'handled' : error, null),
  }
  Object.defineProperty(context, 'callbackWaitsForEmptyEventLoop', {
    enumerable: true,
    get: () => waitsForEmptyEventLoop,
    set: (value: unknown) => {
      waitsForEmptyEventLoop = Boolean(value)
    },
  })
  return { callback, context }
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
