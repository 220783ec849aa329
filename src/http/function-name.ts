import { ThawError } from '../errors.js'
import type { FunctionInfo } from '../functions/registry.js'

/** A function reference from a request path: the name, the qualifier, and the ARN's region/account if it had one. */
export interface FunctionReference {
  readonly name: string
  readonly qualifier: string | undefined
  readonly region: string | undefined
  readonly accountId: string | undefined
  /** The value as the caller sent it (decoded), for messages. */
  readonly given: string
}

/** Lambda's own limit on the FunctionName parameter (name, `name:qualifier` or an ARN). */
const MAX_FUNCTION_NAME_PARAMETER = 170
const QUALIFIER = /^[a-zA-Z0-9$_-]{1,128}$/

/**
 * The forms Lambda accepts: `name`, `name:qualifier`, `arn:aws:lambda:region:account:function:name[:qualifier]`
 * and the partial ARN `account:function:name[:qualifier]`.
 */
const FUNCTION_NAME =
  /^(?:arn:aws[a-zA-Z-]*:lambda:(?<region>[a-z]{2}(?:-gov)?-[a-z]+-\d):(?<account>\d{12}):function:|(?<partialAccount>\d{12}):function:)?(?<name>[a-zA-Z0-9_-]{1,64})(?::(?<qualifier>\$LATEST|[a-zA-Z0-9_-]{1,128}))?$/

/**
 * Parses a FunctionName (already percent-decoded) and merges the qualifier from the ARN with the
 * one from `?Qualifier=`: either may carry it, and when both do they must agree, as on Lambda.
 */
export function parseFunctionReference(functionName: string, queryQualifier: string | null): FunctionReference {
  if (functionName.length > MAX_FUNCTION_NAME_PARAMETER) {
    throw invalid(`The function name is longer than ${MAX_FUNCTION_NAME_PARAMETER} characters`, 'FunctionName')
  }
  const groups = FUNCTION_NAME.exec(functionName)?.groups
  if (groups === undefined || groups.name === undefined) {
    throw invalid(
      `${JSON.stringify(functionName)} is not a function name, name:qualifier, function ARN or partial ARN (123456789012:function:name)`,
      'FunctionName',
    )
  }
  if (queryQualifier !== null && !QUALIFIER.test(queryQualifier)) {
    throw invalid(`The qualifier ${JSON.stringify(queryQualifier)} must be 1-128 of letters, digits, "$", "_" and "-"`, 'Qualifier')
  }
  const inName = groups.qualifier
  if (inName !== undefined && queryQualifier !== null && inName !== queryQualifier) {
    throw invalid('The derived qualifier from the function name does not match the specified qualifier.', 'Qualifier')
  }
  return {
    name: groups.name,
    qualifier: inName ?? queryQualifier ?? undefined,
    region: groups.region,
    accountId: groups.account ?? groups.partialAccount,
    given: functionName,
  }
}

/**
 * An ARN for another region or account names a function this host does not have: Lambda answers
 * ResourceNotFoundException, with the ARN as asked for.
 */
/**
 * An ARN must name this host's region and the caller's account: the account of the access key
 * when it is 12 digits (as the management API reports ARNs), the host's otherwise.
 */
export function assertSameAccount(reference: FunctionReference, info: FunctionInfo, callerAccountId?: string): void {
  const [, , , region, hostAccountId] = info.functionArn.split(':')
  const otherRegion = reference.region !== undefined && reference.region !== region
  const otherAccount = reference.accountId !== undefined && reference.accountId !== (callerAccountId ?? hostAccountId)
  if (otherRegion || otherAccount) {
    throw new ThawError('THAW_FUNCTION_NOT_FOUND', `Function not found: ${reference.given}`, { field: 'FunctionName' })
  }
}

function invalid(message: string, field: string): ThawError {
  return new ThawError('THAW_INVALID_REQUEST', message, { field })
}
