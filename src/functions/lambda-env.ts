import type { FunctionConfig } from '../config/function-config.js'
import { TASK_ROOT } from './code-package.js'

/**
 * The process environment a function sees: Lambda's reserved and default variables
 * (lambda-interfaces §4.5), then the function's own (which may not override reserved ones;
 * config validation rejects that). Per-environment and per-invocation variables
 * (AWS_LAMBDA_LOG_STREAM_NAME, _X_AMZN_TRACE_ID) are added by the environment and the runtime.
 */
export function lambdaEnvironment(config: FunctionConfig, version: string, region: string): Record<string, string> {
  return Object.freeze({
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    PATH: '/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin',
    LD_LIBRARY_PATH: '/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib',
    NODE_PATH: '/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    ...config.env,
    _HANDLER: config.handler,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
    AWS_LAMBDA_FUNCTION_NAME: config.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(config.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: version,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${config.name}`,
    AWS_LAMBDA_LOG_FORMAT: config.logFormat === 'json' ? 'JSON' : 'Text',
    ...(config.logFormat === 'json' ? { AWS_LAMBDA_LOG_LEVEL: config.applicationLogLevel } : {}),
    LAMBDA_TASK_ROOT: TASK_ROOT,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
  })
}

export function functionArn(region: string, accountId: string, name: string, qualifier?: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`
}
