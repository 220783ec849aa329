import { ThawError } from '../../errors.js'
import { LATEST } from '../../functions/registry.js'
import type { FunctionUrlConfig as TemplateFunctionUrl } from '../../sam/types.js'
import { perHost, qualifiedKey } from './per-host.js'

export type FunctionUrlAuthType = 'NONE' | 'AWS_IAM'
export type FunctionUrlInvokeMode = 'BUFFERED' | 'RESPONSE_STREAM'

/** Lambda's Cors object, as the caller gave it (every member optional). */
export interface FunctionUrlCors {
  readonly AllowCredentials?: boolean
  readonly AllowHeaders?: readonly string[]
  readonly AllowMethods?: readonly string[]
  readonly AllowOrigins?: readonly string[]
  readonly ExposeHeaders?: readonly string[]
  readonly MaxAge?: number
}

/** One function URL: on `$LATEST` or on an alias (Lambda allows no version numbers here). */
export interface FunctionUrlConfig {
  readonly functionName: string
  readonly qualifier: string
  readonly authType: FunctionUrlAuthType
  readonly invokeMode: FunctionUrlInvokeMode
  readonly cors: FunctionUrlCors | undefined
  /** ISO-8601 strings: the SDK models CreationTime and LastModifiedTime as plain strings. */
  readonly creationTime: string
  readonly lastModifiedTime: string
}

export interface FunctionUrlSettings {
  readonly authType: FunctionUrlAuthType
  readonly invokeMode: FunctionUrlInvokeMode
  readonly cors: FunctionUrlCors | undefined
}

/**
 * Which functions get a function URL on `$LATEST` without anyone creating one: what a server was
 * started with (`functionUrls`; a template's FunctionUrlConfig, every function of a folder).
 * `true` is a URL with Lambda's defaults (AuthType NONE, BUFFERED, no CORS); a template's
 * FunctionUrlConfig gives its own settings. Asked on every lookup, so a reloaded template or a
 * function deployed later is seen.
 */
export type FunctionUrlPolicy = (functionName: string) => boolean | TemplateFunctionUrl

const DEFAULT_SETTINGS: FunctionUrlSettings = Object.freeze({ authType: 'NONE', invokeMode: 'BUFFERED', cors: undefined })

/**
 * The function URL configs of one host (shared by every server over it). Configs made through
 * the management API are kept here; default ones come from each server's policy and only get a
 * record here (their CreationTime) once seen, so two servers with different policies over one
 * host each keep their own. Deleting a default URL withdraws it for good (until the function is
 * removed), whatever the policy says.
 */
export class FunctionUrlConfigStore {
  readonly #explicit = new Map<string, FunctionUrlConfig>()
  /** CreationTime of each default `$LATEST` URL, from the first time it was looked up. */
  readonly #defaultsSeen = new Map<string, string>()
  /** Functions whose `$LATEST` URL was deleted through the API: no default comes back for them. */
  readonly #withdrawn = new Set<string>()

  find(functionName: string, qualifier: string, policy: FunctionUrlPolicy): FunctionUrlConfig | undefined {
    const explicit = this.#explicit.get(qualifiedKey(functionName, qualifier))
    if (explicit !== undefined) return explicit
    if (qualifier !== LATEST || this.#withdrawn.has(functionName)) return undefined
    const granted = policy(functionName)
    if (granted === false) return undefined
    let seen = this.#defaultsSeen.get(functionName)
    if (seen === undefined) {
      seen = new Date().toISOString()
      this.#defaultsSeen.set(functionName, seen)
    }
    const settings = granted === true ? DEFAULT_SETTINGS : templateSettings(granted)
    return Object.freeze({ functionName, qualifier, ...settings, creationTime: seen, lastModifiedTime: seen })
  }

  create(functionName: string, qualifier: string, settings: FunctionUrlSettings, policy: FunctionUrlPolicy, arn: string): FunctionUrlConfig {
    if (this.find(functionName, qualifier, policy) !== undefined) {
      throw new ThawError('THAW_RESOURCE_CONFLICT', `Failed to create function url config for [functionArn = ${arn}]. Error message:  FunctionUrlConfig exists for this Lambda function`, {
        field: 'Qualifier',
      })
    }
    const now = new Date().toISOString()
    return this.#put({ functionName, qualifier, ...settings, creationTime: now, lastModifiedTime: now })
  }

  /** Unnamed settings stay as they are. */
  update(functionName: string, qualifier: string, changes: Partial<FunctionUrlSettings>, policy: FunctionUrlPolicy): FunctionUrlConfig {
    const current = this.get(functionName, qualifier, policy)
    return this.#put({ ...current, ...changes, lastModifiedTime: new Date().toISOString() })
  }

  /** Lambda's answer when there is none: ResourceNotFoundException, with its generic message. */
  get(functionName: string, qualifier: string, policy: FunctionUrlPolicy): FunctionUrlConfig {
    const config = this.find(functionName, qualifier, policy)
    if (config === undefined) throw new ThawError('THAW_FUNCTION_NOT_FOUND', 'The resource you requested does not exist.', { field: 'Qualifier' })
    return config
  }

  delete(functionName: string, qualifier: string, policy: FunctionUrlPolicy): void {
    this.get(functionName, qualifier, policy)
    this.#explicit.delete(qualifiedKey(functionName, qualifier))
    // Otherwise a default URL would take the deleted one's place and the URL would keep answering.
    if (qualifier === LATEST) this.#withdrawn.add(functionName)
  }

  /** The function's URLs, `$LATEST` first, then its aliases by name. */
  list(functionName: string, qualifiers: readonly string[], policy: FunctionUrlPolicy): FunctionUrlConfig[] {
    return [LATEST, ...[...qualifiers].sort()]
      .map((qualifier) => this.find(functionName, qualifier, policy))
      .filter((config): config is FunctionUrlConfig => config !== undefined)
  }

  /**
   * A template's FunctionUrlConfig on a qualifier (SAM puts it on the AutoPublishAlias): created,
   * or replaced with the template's settings, keeping its creation time.
   */
  applyTemplate(functionName: string, qualifier: string, url: TemplateFunctionUrl): FunctionUrlConfig {
    const current = this.#explicit.get(qualifiedKey(functionName, qualifier))
    const now = new Date().toISOString()
    return this.#put({ functionName, qualifier, ...templateSettings(url), creationTime: current?.creationTime ?? now, lastModifiedTime: now })
  }

  /** A deleted alias takes its URL with it: one created again under the name has none. */
  forgetQualifier(functionName: string, qualifier: string): void {
    this.#explicit.delete(qualifiedKey(functionName, qualifier))
  }

  /** A removed function loses its URLs; one deployed again under the name starts afresh. */
  forgetFunction(functionName: string): void {
    for (const entry of [...this.#explicit.keys()]) if (entry.startsWith(`${functionName}:`)) this.#explicit.delete(entry)
    this.#defaultsSeen.delete(functionName)
    this.#withdrawn.delete(functionName)
  }

  #put(config: FunctionUrlConfig): FunctionUrlConfig {
    const frozen = Object.freeze({ ...config, ...(config.cors === undefined ? {} : { cors: Object.freeze({ ...config.cors }) }) })
    this.#explicit.set(qualifiedKey(config.functionName, config.qualifier), frozen)
    return frozen
  }
}

/** A template's FunctionUrlConfig (Thaw's spelling) as the API's settings. */
function templateSettings(url: TemplateFunctionUrl): FunctionUrlSettings {
  const { cors } = url
  return {
    authType: url.authType,
    invokeMode: url.invokeMode,
    cors:
      cors === undefined
        ? undefined
        : Object.freeze({
            ...(cors.allowCredentials === undefined ? {} : { AllowCredentials: cors.allowCredentials }),
            ...(cors.allowHeaders === undefined ? {} : { AllowHeaders: cors.allowHeaders }),
            ...(cors.allowMethods === undefined ? {} : { AllowMethods: cors.allowMethods }),
            ...(cors.allowOrigins === undefined ? {} : { AllowOrigins: cors.allowOrigins }),
            ...(cors.exposeHeaders === undefined ? {} : { ExposeHeaders: cors.exposeHeaders }),
            ...(cors.maxAgeSeconds === undefined ? {} : { MaxAge: cors.maxAgeSeconds }),
          }),
  }
}

export const functionUrlConfigsOf = perHost(() => new FunctionUrlConfigStore())
