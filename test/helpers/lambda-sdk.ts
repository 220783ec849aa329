/**
 * The AWS SDK's Lambda client as the HTTP tests use it: pointed at a local server, one attempt
 * (a retry would hide the first answer), the account given as a 12-digit access key (Thaw's
 * rule). And one assertion for its typed errors.
 */
import { LambdaClient } from '@aws-sdk/client-lambda'
import type { Test } from 'tap'

export function lambdaClientFor(t: Test, endpoint: string, accessKeyId = 'AKIDEXAMPLE'): LambdaClient {
  const client = new LambdaClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey: 'secret' }, maxAttempts: 1 })
  t.teardown(() => client.destroy())
  return client
}

/** Rejects with the SDK's typed exception and the HTTP status it came with; returns the error. */
export async function rejectsWith(
  t: Test,
  promise: Promise<unknown>,
  type: new (...args: never[]) => Error,
  status: number,
  message?: RegExp,
): Promise<unknown> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  t.type(error, type, `rejects with ${type.name}`)
  t.equal((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, status, `status ${status}`)
  if (message !== undefined) t.match((error as Error).message, message)
  return error
}
