import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import { ThawError } from '../../errors.js'
import { parseFunctionReference, type FunctionReference } from '../function-name.js'
import { accountIdOf } from '../caller-account.js'
import { readBody } from '../request-body.js'
import { decodeSegment, type RouteContext } from '../router.js'

/**
 * A CreateFunction or UpdateFunctionCode body carries the zip as base64 inside JSON: Lambda takes
 * 50 MB zipped by direct upload, which is about 67 MB of base64, plus the other members.
 */
export const MAX_MANAGEMENT_BODY_BYTES = 70 * 1024 * 1024

/** Reads a JSON object body; an empty body is `{}` (the SDK sends none for body-less operations). */
export async function readJsonObject(req: IncomingMessage, operation: string): Promise<Record<string, unknown>> {
  const text = (await readBody(req, MAX_MANAGEMENT_BODY_BYTES, operation)).toString('utf8')
  if (text.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new ThawError('THAW_INVALID_REQUEST_CONTENT', `Could not parse request body into json: ${(error as Error).message}`)
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ThawError('THAW_INVALID_REQUEST_CONTENT', 'Could not parse request body into json: the body is not a JSON object')
  }
  return parsed as Record<string, unknown>
}

/** A 2xx JSON reply as awsRestJson1 expects it; `undefined` means no body (204). */
export function sendJson(res: ServerResponse, status: number, body?: unknown): void {
  const headers = { 'x-amzn-requestid': randomUUID() }
  if (body === undefined) {
    res.writeHead(status, headers).end()
    return
  }
  const text = JSON.stringify(body)
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/** The query string of a request, parsed. */
export function queryOf(context: RouteContext): URLSearchParams {
  return new URLSearchParams(context.rawQuery)
}

/**
 * The `{FunctionName}` path label (first capture) with the `?Qualifier=`, checked against the
 * caller's account and the host's region: an ARN naming another one is a function this host
 * does not have.
 */
export function functionReferenceOf(context: RouteContext, accountId: string): FunctionReference {
  const reference = parseFunctionReference(decodeSegment(context.captures[0] ?? '', 'FunctionName'), queryOf(context).get('Qualifier'))
  const otherRegion = reference.region !== undefined && reference.region !== context.host.region
  const otherAccount = reference.accountId !== undefined && reference.accountId !== accountId
  if (otherRegion || otherAccount) {
    throw new ThawError('THAW_FUNCTION_NOT_FOUND', `Function not found: ${reference.given}`, { field: 'FunctionName' })
  }
  return reference
}

/** What every management handler starts from: who asks, and about which function. */
export interface FunctionRequest {
  readonly accountId: string
  readonly reference: FunctionReference
}

export function functionRequestOf(context: RouteContext): FunctionRequest {
  const accountId = accountIdOf(context.req, context.host)
  return { accountId, reference: functionReferenceOf(context, accountId) }
}
