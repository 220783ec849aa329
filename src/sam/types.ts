import type { DeployOptions } from '../config/function-config.js'
import { ThawError } from '../errors.js'

/**
 * What a SAM template (or a functions folder) turns into: the host's DeployOptions for each
 * function, plus the settings `thaw serve` applies around the host (function URLs, aliases,
 * concurrency), and the warnings about everything Thaw read but does not apply.
 */

/**
 * A `provided*` function: a custom runtime run as a process (src/isolates/process/, not
 * sandboxed). Its handler is whatever the template says (`bootstrap` often has no dot), so it is
 * not held to the Node handler format.
 */
export type ProvidedDeployOptions = Omit<DeployOptions, 'runtime'> & { runtime: 'provided' }

export type TemplateDeployOptions = DeployOptions | ProvidedDeployOptions

/** Lambda's function URL configuration (CreateFunctionUrlConfig), in Thaw's spelling. */
export interface FunctionUrlConfig {
  readonly authType: 'NONE' | 'AWS_IAM'
  readonly invokeMode: 'BUFFERED' | 'RESPONSE_STREAM'
  readonly cors?: FunctionUrlCors
}

export interface FunctionUrlCors {
  readonly allowCredentials?: boolean
  readonly allowHeaders?: readonly string[]
  readonly allowMethods?: readonly string[]
  readonly allowOrigins?: readonly string[]
  readonly exposeHeaders?: readonly string[]
  readonly maxAgeSeconds?: number
}

/** Settings the host does not have: `thaw serve` applies them after deploying. */
export interface ServeSettings {
  readonly functionUrl?: FunctionUrlConfig
  /** SAM publishes a version on every deploy and points this alias at it. */
  readonly autoPublishAlias?: string
  /** Caps the function's concurrent environments; 0 disables it (PutFunctionConcurrency). */
  readonly reservedConcurrentExecutions?: number
  /** Environments kept initialised for the AutoPublishAlias (SAM sets it on that alias). */
  readonly provisionedConcurrentExecutions?: number
}

export interface TemplateFunction {
  /** The resource's logical id in the template, or the folder name in directory mode. */
  readonly logicalId: string
  /** The template's Runtime as written (`nodejs20.x`, `provided.al2023`); `nodejs` in directory mode. */
  readonly declaredRuntime: string
  readonly deploy: Readonly<TemplateDeployOptions>
  readonly serve: ServeSettings
}

export interface TemplateWarning {
  /** The logical id (or `Globals`, or the folder name) the warning is about. */
  readonly resource: string
  /** The property (`Policies`, `Layers.1`), when the warning is about one. */
  readonly property?: string
  /** The full path, e.g. `Resources.Hello.Properties.Policies`. */
  readonly path: string
  readonly message: string
}

export interface LoadedFunctions {
  /** `template` for a SAM template, `directory` for a functions folder. */
  readonly source: { readonly kind: 'template' | 'directory'; readonly path: string }
  readonly functions: readonly TemplateFunction[]
  readonly warnings: readonly TemplateWarning[]
}

/** The one error this module throws: the message starts with the template path at fault. */
export function templateError(path: string, message: string, cause?: unknown): ThawError {
  return new ThawError('THAW_INVALID_TEMPLATE', path === '' ? message : `${path}: ${message}`, {
    ...(path === '' ? {} : { field: path }),
    ...(cause === undefined ? {} : { cause }),
  })
}
