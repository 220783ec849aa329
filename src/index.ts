/**
 * Thaw's public API. Everything a program embedding Thaw needs comes from here.
 *
 *   const host = await createHost()
 *   await host.deploy({ name: 'hello', runtime: 'quickjs', handler: 'index.handler', code: { dir: 'examples/hello' } })
 *   const result = await host.invoke('hello', { name: 'x' })
 *   await host.close()
 */
import { Host } from './host.js'
import type { HostOptions } from './config/host-options.js'

export function createHost(options: HostOptions = {}): Promise<Host> {
  return Host.create(options)
}

export { Host, MAX_SYNC_PAYLOAD_BYTES, type InvokeOptions } from './host.js'
export type { HostOptions } from './config/host-options.js'
export { LIMITS, RUNTIMES, type DeployOptions, type FunctionConfig, type RuntimeKind } from './config/function-config.js'
export type { FunctionInfo } from './functions/registry.js'
export type { AliasInfo, AliasSettings, AliasChanges } from './functions/aliases.js'
export type { ProvisionedConcurrencyInfo } from './functions/provisioned-concurrency.js'
export type { InvokeResult } from './scheduler/run-invocation.js'
export type { InvocationReport, InvocationStatus, LogFormat } from './telemetry/platform-log.js'
export { ERROR_CODES, ThawError, isThawError, type FunctionError, type ThawErrorCode } from './errors.js'
export { bundleFunction, type BundleOptions, type BundleResult } from './bundler/bundle-function.js'
export {
  loadFunctions,
  loadFunctionsDir,
  loadSamTemplate,
  parseSamTemplate,
  type FunctionUrlConfig,
  type FunctionUrlCors,
  type LoadedFunctions,
  type ProvidedDeployOptions,
  type SamTemplateOptions,
  type ServeSettings,
  type TemplateDeployOptions,
  type TemplateFunction,
  type TemplateWarning,
} from './sam/index.js'
export { startHttpServer, ThawHttpServer, type HttpServerOptions } from './http/server.js'
