import type { Logger } from 'pino'
import type { FunctionConfig } from '../config/function-config.js'
import { ThawError } from '../errors.js'
import type { Backend, EnvironmentSpec } from '../isolates/environment.js'
import { EnvironmentPool } from '../scheduler/environment-pool.js'
import { coldStarter, isRestoringBackend, snapshotStarter } from '../scheduler/environment-starters.js'
import { configHash } from '../snapshots/snapshot-key.js'
import type { SnapshotService } from '../snapshots/snapshot-service.js'
import type { CodePackage } from './code-package.js'
import { mountFilesystem } from './layers.js'
import { functionArn, lambdaEnvironment } from './lambda-env.js'
import { ModuleResolver } from './module-resolver.js'
import { BUILTIN_MODULES } from '../../runtime-api/builtin-modules.js'

const GUEST_BUILTINS: ReadonlySet<string> = new Set(Object.keys(BUILTIN_MODULES))

export const LATEST = '$LATEST'

/** What the host reports about a function version. */
export interface FunctionInfo {
  readonly name: string
  /** Qualified with the version, except for `$LATEST`. */
  readonly functionArn: string
  readonly runtime: FunctionConfig['runtime']
  readonly handler: string
  readonly version: string
  readonly memoryMb: number
  readonly timeoutMs: number
  readonly codeSha256: string
  readonly codeSize: number
  readonly lastModified: string
  /** `On` when new environments of this version are restored from a snapshot. */
  readonly snapStart: { readonly applyOn: FunctionConfig['snapStart']['applyOn']; readonly optimizationStatus: 'On' | 'Off' }
}

/** One version of a function, with its environments. */
export interface FunctionVersion {
  readonly config: FunctionConfig
  readonly info: FunctionInfo
  readonly spec: EnvironmentSpec
  readonly pool: EnvironmentPool
  readonly backend: Backend
}

interface FunctionRecord {
  latest: FunctionVersion
  readonly published: Map<string, FunctionVersion>
  lastPublished: number
}

export interface RegistryContext {
  readonly region: string
  readonly accountId: string
  readonly logger: Logger
  readonly snapshots: SnapshotService
}

/** The functions of one host, by name: `$LATEST` and the versions published from it. */
export class FunctionRegistry {
  readonly #functions = new Map<string, FunctionRecord>()
  readonly #context: RegistryContext

  constructor(context: RegistryContext) {
    this.#context = context
  }

  /** Creates a function or replaces its `$LATEST`; the old one's environments finish, then go. */
  put(config: FunctionConfig, pkg: CodePackage, backend: Backend): FunctionVersion {
    const latest = this.#version(config, mountFilesystem(pkg, config), backend, LATEST, config.snapStart.applyOn === 'All')
    const record = this.#functions.get(config.name)
    if (record === undefined) this.#functions.set(config.name, { latest, published: new Map(), lastPublished: 0 })
    else {
      record.latest.pool.close()
      record.latest = latest
    }
    return latest
  }

  /**
   * Publishes `$LATEST` as the next version number, or returns the newest version when nothing
   * changed since it was published (Lambda's rule). `prepare` runs before the version becomes
   * visible (SnapStart creates its snapshot there); if it throws, no version is created.
   */
  async publish(name: string, prepare: (version: FunctionVersion) => Promise<void>): Promise<FunctionVersion> {
    const record = this.#record(name)
    const { latest } = record
    const newest = record.published.get(String(record.lastPublished))
    const layersOf = (version: FunctionVersion) => version.spec.pkg.filesystem.opt?.sha256
    const unchanged =
      newest !== undefined &&
      newest.info.codeSha256 === latest.info.codeSha256 &&
      layersOf(newest) === layersOf(latest) &&
      configHash(newest.config) === configHash(latest.config)
    if (newest !== undefined && unchanged) {
      return newest
    }
    const number = String(record.lastPublished + 1)
    const applies = latest.config.snapStart.applyOn !== 'None'
    const version = this.#version(latest.config, latest.spec.pkg, latest.backend, number, applies)
    await prepare(version)
    record.lastPublished += 1
    record.published.set(number, version)
    return version
  }

  /** A version by name and qualifier (`$LATEST` or a version number). */
  get(name: string, qualifier: string = LATEST): FunctionVersion {
    const record = this.#record(name)
    const version = qualifier === LATEST ? record.latest : record.published.get(qualifier)
    if (version === undefined) throw this.#notFound(name, qualifier)
    return version
  }

  has(name: string): boolean {
    return this.#functions.has(name)
  }

  remove(name: string): void {
    const record = this.#record(name)
    for (const version of [record.latest, ...record.published.values()]) version.pool.close()
    this.#functions.delete(name)
  }

  /** Removes one published version; later versions keep their numbers, and a number is never reused. */
  removeVersion(name: string, version: string): void {
    const removed = this.get(name, version)
    removed.pool.close()
    this.#record(name).published.delete(version)
  }

  list(): FunctionInfo[] {
    return [...this.#functions.values()].map((record) => record.latest.info)
  }

  versions(name: string): FunctionInfo[] {
    const record = this.#record(name)
    return [record.latest.info, ...[...record.published.values()].map((version) => version.info)]
  }

  /** Every version of a function (or of all functions), for host-wide operations. */
  allVersions(name?: string): FunctionVersion[] {
    const records = name === undefined ? [...this.#functions.values()] : [this.#record(name)]
    return records.flatMap((record) => [record.latest, ...record.published.values()])
  }

  closeAll(): void {
    for (const name of [...this.#functions.keys()]) this.remove(name)
  }

  #version(config: FunctionConfig, pkg: CodePackage, backend: Backend, version: string, snapStart: boolean): FunctionVersion {
    const { region, accountId, logger, snapshots } = this.#context
    const spec: EnvironmentSpec = {
      config,
      pkg,
      resolver: new ModuleResolver(pkg, GUEST_BUILTINS),
      version,
      env: lambdaEnvironment(config, version, region),
    }
    const restores = snapStart && isRestoringBackend(backend)
    const log = logger.child({ function: config.name, version })
    const starter = restores ? snapshotStarter(backend, spec, snapshots, log) : coldStarter(backend, spec)
    const info: FunctionInfo = Object.freeze({
      name: config.name,
      functionArn: functionArn(region, accountId, config.name, version === LATEST ? undefined : version),
      runtime: config.runtime,
      handler: config.handler,
      version,
      memoryMb: config.memoryMb,
      timeoutMs: config.timeoutMs,
      codeSha256: pkg.sha256,
      codeSize: pkg.sizeBytes,
      lastModified: new Date().toISOString().replace('Z', '+0000'),
      snapStart: Object.freeze({ applyOn: config.snapStart.applyOn, optimizationStatus: restores ? ('On' as const) : ('Off' as const) }),
    })
    return { config, info, spec, backend, pool: new EnvironmentPool(starter, log) }
  }

  #record(name: string): FunctionRecord {
    const record = this.#functions.get(name)
    if (record === undefined) throw this.#notFound(name)
    return record
  }

  #notFound(name: string, qualifier?: string): ThawError {
    const { region, accountId } = this.#context
    const arn = functionArn(region, accountId, name, qualifier === undefined || qualifier === LATEST ? undefined : qualifier)
    return new ThawError('THAW_FUNCTION_NOT_FOUND', `Function not found: ${arn}`, { field: qualifier === undefined ? 'name' : 'qualifier' })
  }
}
