import type { Logger } from 'pino'
import type { FunctionConfig } from '../config/function-config.js'
import { ThawError } from '../errors.js'
import type { Backend } from '../isolates/environment.js'
import { EnvironmentPool } from '../scheduler/environment-pool.js'
import type { CodePackage } from './code-package.js'
import { functionArn, lambdaEnvironment } from './lambda-env.js'
import { ModuleResolver } from './module-resolver.js'

/** What the host reports about a deployed function. */
export interface FunctionInfo {
  readonly name: string
  readonly functionArn: string
  readonly runtime: FunctionConfig['runtime']
  readonly handler: string
  readonly version: string
  readonly memoryMb: number
  readonly timeoutMs: number
  readonly codeSha256: string
  readonly codeSize: number
  readonly lastModified: string
}

/** A deployed function version with its environments. */
export interface DeployedFunction {
  readonly config: FunctionConfig
  readonly info: FunctionInfo
  readonly pool: EnvironmentPool
}

export interface RegistryContext {
  readonly region: string
  readonly accountId: string
  readonly logger: Logger
}

/** The functions of one host, by name. Only `$LATEST` exists until versions are published. */
export class FunctionRegistry {
  readonly #functions = new Map<string, DeployedFunction>()
  readonly #context: RegistryContext

  constructor(context: RegistryContext) {
    this.#context = context
  }

  /** Creates or replaces `$LATEST`; the old version's environments finish their work, then go. */
  put(config: FunctionConfig, pkg: CodePackage, backend: Backend): DeployedFunction {
    const { region, accountId, logger } = this.#context
    const version = '$LATEST'
    const spec = {
      config,
      pkg,
      resolver: new ModuleResolver(pkg),
      version,
      env: lambdaEnvironment(config, version, region),
    }
    const info: FunctionInfo = Object.freeze({
      name: config.name,
      functionArn: functionArn(region, accountId, config.name),
      runtime: config.runtime,
      handler: config.handler,
      version,
      memoryMb: config.memoryMb,
      timeoutMs: config.timeoutMs,
      codeSha256: pkg.sha256,
      codeSize: pkg.sizeBytes,
      lastModified: new Date().toISOString().replace('Z', '+0000'),
    })
    const deployed = { config, info, pool: new EnvironmentPool(backend, spec, logger.child({ function: config.name })) }
    this.#functions.get(config.name)?.pool.close()
    this.#functions.set(config.name, deployed)
    return deployed
  }

  get(name: string): DeployedFunction {
    const deployed = this.#functions.get(name)
    if (deployed === undefined) {
      const arn = functionArn(this.#context.region, this.#context.accountId, name)
      throw new ThawError('THAW_FUNCTION_NOT_FOUND', `Function not found: ${arn}`, { field: 'name' })
    }
    return deployed
  }

  has(name: string): boolean {
    return this.#functions.has(name)
  }

  remove(name: string): void {
    this.get(name).pool.close()
    this.#functions.delete(name)
  }

  list(): FunctionInfo[] {
    return [...this.#functions.values()].map((deployed) => deployed.info)
  }

  closeAll(): void {
    for (const deployed of this.#functions.values()) deployed.pool.close()
    this.#functions.clear()
  }
}
