import type { FunctionConfig } from '../../config/function-config.js'
import type { Host } from '../../host.js'
import { LATEST, type FunctionInfo } from '../../functions/registry.js'
import { functionArn } from '../../functions/lambda-env.js'
import { apiStateOf } from './api-state.js'

/** One version as the management API sees it: the host's view plus its configuration. */
export interface VersionView {
  readonly info: FunctionInfo
  readonly config: FunctionConfig
}

export function versionView(host: Host, name: string, qualifier?: string): VersionView {
  const info = host.getFunction(name, qualifier)
  return { info, config: host.getFunctionConfig(info.name, info.version) }
}

/**
 * Lambda's FunctionConfiguration for a version, shaped as @aws-sdk/client-lambda's schema reads
 * it. LastModified is the string form (`2024-01-01T00:00:00.000+0000`), not epoch seconds.
 * ARNs carry the caller's account (see accountIdOf), so a client sees the account it signed as.
 */
export function functionConfiguration(host: Host, { info, config }: VersionView, accountId: string): Record<string, unknown> {
  const state = apiStateOf(host)
  const settings = state.settings(info, accountId)
  const vars = Object.keys(config.env).length > 0 ? { Environment: { Variables: { ...config.env } } } : {}
  return {
    FunctionName: info.name,
    FunctionArn: functionArn(host.region, accountId, info.name, info.version === LATEST ? undefined : info.version),
    Runtime: settings.runtime,
    Role: settings.role,
    Handler: info.handler,
    CodeSize: deploymentPackageSize({ info, config }),
    Description: settings.description ?? config.description,
    // A host deploy may give milliseconds; Lambda speaks whole seconds.
    Timeout: Math.ceil(info.timeoutMs / 1000),
    MemorySize: info.memoryMb,
    LastModified: info.lastModified,
    CodeSha256: info.codeSha256,
    Version: info.version,
    ...vars,
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: state.revisionId(info),
    // Deploys complete before the reply, so a function is never Pending or InProgress here.
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: [...settings.architectures],
    EphemeralStorage: { Size: config.ephemeralStorageMb },
    SnapStart: { ApplyOn: info.snapStart.applyOn, OptimizationStatus: info.snapStart.optimizationStatus },
    LoggingConfig: {
      LogFormat: config.logFormat === 'json' ? 'JSON' : 'Text',
      ...(config.logFormat === 'json' ? { ApplicationLogLevel: config.applicationLogLevel, SystemLogLevel: 'INFO' } : {}),
      LogGroup: `/aws/lambda/${info.name}`,
    },
  }
}

/** Lambda's CodeSize is the deployment package as uploaded: the zip when there is one. */
export function deploymentPackageSize({ info, config }: VersionView): number {
  return 'zip' in config.code ? config.code.zip.byteLength : info.codeSize
}
