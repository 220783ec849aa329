import { randomUUID } from 'node:crypto'
import { ThawError } from '../../errors.js'
import type { Host } from '../../host.js'
import { LATEST, type FunctionInfo } from '../../functions/registry.js'
import { functionArn } from '../../functions/lambda-env.js'
import { perHost, qualifiedKey } from './per-host.js'

/**
 * What the management API reports about a version but the host does not run on: the Runtime
 * string as the caller gave it (`nodejs20.x`; the host only knows `quickjs`), the Role, the
 * Architectures, and a version's own Description (PublishVersion may set one).
 */
export interface ApiSettings {
  readonly runtime: string
  readonly role: string
  readonly architectures: readonly string[]
  /** Set for a published version whose PublishVersion gave a Description. */
  readonly description?: string
}

/** What a function deployed without the management API (a template, a folder) reports. */
export function defaultSettings(accountId: string): ApiSettings {
  // Thaw's guest presents itself as Node 20 (AWS_EXECUTION_ENV=AWS_Lambda_nodejs20.x).
  return { runtime: 'nodejs20.x', role: `arn:aws:iam::${accountId}:role/thaw-local`, architectures: ['x86_64'] }
}

/**
 * The management API's own bookkeeping for one host. It lives beside the host (not in it) because
 * none of it changes how a function runs; it is kept per host so that every server over the same
 * host reports the same thing.
 */
export class ApiState {
  readonly #settings = new Map<string, ApiSettings>()
  /** A RevisionId per FunctionInfo: every deploy or publish makes a new info, hence a new revision. */
  readonly #revisions = new WeakMap<FunctionInfo, string>()
  /** Functions with a change in progress (Lambda answers ResourceConflictException meanwhile). */
  readonly #busy = new Set<string>()

  settings(info: FunctionInfo, accountId: string): ApiSettings {
    return this.#settings.get(qualifiedKey(info.name, info.version)) ?? this.#settings.get(qualifiedKey(info.name, LATEST)) ?? defaultSettings(accountId)
  }

  setLatest(name: string, settings: ApiSettings): void {
    this.#settings.set(qualifiedKey(name, LATEST), settings)
  }

  /** A new version keeps the settings `$LATEST` had when it was published. */
  recordPublished(info: FunctionInfo, accountId: string, description: string | undefined): void {
    if (this.#settings.has(qualifiedKey(info.name, info.version))) return // publish returned an existing version
    // `$LATEST` has no description of its own here (it is in its configuration); a version may.
    const latest = this.#settings.get(qualifiedKey(info.name, LATEST)) ?? defaultSettings(accountId)
    const { runtime, role, architectures } = latest
    this.#settings.set(qualifiedKey(info.name, info.version), { runtime, role, architectures, ...(description === undefined ? {} : { description }) })
  }

  forgetVersion(name: string, version: string): void {
    this.#settings.delete(qualifiedKey(name, version))
  }

  forgetFunction(name: string): void {
    for (const entry of [...this.#settings.keys()]) if (entry.startsWith(`${name}:`)) this.#settings.delete(entry)
  }

  revisionId(info: FunctionInfo): string {
    let revision = this.#revisions.get(info)
    if (revision === undefined) {
      revision = randomUUID()
      this.#revisions.set(info, revision)
    }
    return revision
  }

  /**
   * Runs a change to one function with nothing else changing it meanwhile. A second change while
   * one is in progress fails at once, as on Lambda, rather than queueing: the caller retries.
   */
  async exclusive<T>(host: Host, name: string, accountId: string, change: () => Promise<T>): Promise<T> {
    if (this.#busy.has(name)) {
      const arn = functionArn(host.region, accountId, name)
      throw new ThawError('THAW_RESOURCE_CONFLICT', `The operation cannot be performed at this time. An update is in progress for resource: ${arn}`, {
        field: 'FunctionName',
      })
    }
    this.#busy.add(name)
    try {
      return await change()
    } finally {
      this.#busy.delete(name)
    }
  }
}

export const apiStateOf = perHost(() => new ApiState())
