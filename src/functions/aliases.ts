import { randomUUID } from 'node:crypto'
import { ThawError } from '../errors.js'
import { LATEST } from './registry.js'

/** What the host reports about an alias: a name for a version, optionally shared with a second one. */
export interface AliasInfo {
  readonly functionName: string
  readonly name: string
  readonly functionVersion: string
  readonly description: string
  /** At most one other version, with the share (0..1) of invocations it gets. */
  readonly additionalVersionWeights: Readonly<Record<string, number>>
  /** Changes on every update, for optimistic locking (UpdateAlias's RevisionId). */
  readonly revisionId: string
}

export interface AliasSettings {
  readonly functionVersion: string
  readonly description?: string
  readonly additionalVersionWeights?: Readonly<Record<string, number>>
}

export interface AliasChanges extends Partial<AliasSettings> {
  /** When given, must be the alias's current revision. */
  readonly revisionId?: string
}

/** Lambda: 1-128 of letters, digits, `-`, `_`, and not all digits (that would read as a version). */
const ALIAS_NAME = /^(?!\d+$)[a-zA-Z0-9_-]{1,128}$/
const VERSION = /^(?:\$LATEST|[1-9]\d*)$/

export function isAliasName(qualifier: string): boolean {
  return qualifier !== LATEST && ALIAS_NAME.test(qualifier)
}

/**
 * The aliases of one host's functions. It checks the shape of a setting (names, weights); the host
 * checks that the versions named exist, since it owns the versions.
 */
export class AliasTable {
  readonly #byFunction = new Map<string, Map<string, AliasInfo>>()
  /** The alias's ARN, for Lambda's messages. */
  readonly #arnOf: (functionName: string, alias: string) => string

  constructor(arnOf: (functionName: string, alias: string) => string) {
    this.#arnOf = arnOf
  }

  create(functionName: string, name: string, settings: AliasSettings): AliasInfo {
    if (!ALIAS_NAME.test(name)) throw invalid(`Alias name ${JSON.stringify(name)} must be 1-128 of letters, digits, "-", "_", and not all digits`, 'Name')
    const aliases = this.#aliasesOf(functionName)
    if (aliases.has(name)) throw new ThawError('THAW_RESOURCE_CONFLICT', `Alias already exists: ${this.#arnOf(functionName, name)}`, { field: 'Name' })
    const alias = freeze(functionName, name, checked(settings))
    aliases.set(name, alias)
    return alias
  }

  /** The alias, or undefined: an invocation reports a missing alias as a missing function version. */
  find(functionName: string, name: string): AliasInfo | undefined {
    return this.#byFunction.get(functionName)?.get(name)
  }

  get(functionName: string, name: string): AliasInfo {
    const alias = this.find(functionName, name)
    if (alias === undefined) {
      throw new ThawError('THAW_FUNCTION_NOT_FOUND', `Alias not found: ${this.#arnOf(functionName, name)}`, { field: 'qualifier' })
    }
    return alias
  }

  update(functionName: string, name: string, changes: AliasChanges): AliasInfo {
    const current = this.get(functionName, name)
    if (changes.revisionId !== undefined && changes.revisionId !== current.revisionId) {
      throw new ThawError('THAW_PRECONDITION_FAILED', 'The Revision Id provided does not match the latest Revision Id. Call the GetAlias API to retrieve the latest Revision Id', {
        field: 'RevisionId',
      })
    }
    const alias = freeze(
      functionName,
      name,
      checked({
        functionVersion: changes.functionVersion ?? current.functionVersion,
        description: changes.description ?? current.description,
        additionalVersionWeights: changes.additionalVersionWeights ?? current.additionalVersionWeights,
      }),
    )
    this.#aliasesOf(functionName).set(name, alias)
    return alias
  }

  delete(functionName: string, name: string): void {
    this.get(functionName, name)
    this.#byFunction.get(functionName)?.delete(name)
  }

  /** By name; with `functionVersion`, only the aliases that may run that version. */
  list(functionName: string, functionVersion?: string): AliasInfo[] {
    const aliases = [...(this.#byFunction.get(functionName)?.values() ?? [])]
    return aliases
      .filter((alias) => functionVersion === undefined || versionsOf(alias).includes(functionVersion))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** The aliases that route to a version: such a version cannot be deleted. */
  aliasesOnVersion(functionName: string, version: string): AliasInfo[] {
    return this.list(functionName, version)
  }

  forgetFunction(functionName: string): void {
    this.#byFunction.delete(functionName)
  }

  #aliasesOf(functionName: string): Map<string, AliasInfo> {
    let aliases = this.#byFunction.get(functionName)
    if (aliases === undefined) {
      aliases = new Map()
      this.#byFunction.set(functionName, aliases)
    }
    return aliases
  }
}

/** Every version an alias can run: its own, then the weighted one. */
export function versionsOf(alias: AliasSettings): string[] {
  return [alias.functionVersion, ...Object.keys(alias.additionalVersionWeights ?? {})]
}

/**
 * The version one invocation runs: the additional version with its weight's probability, else the
 * alias's own. `random` is in [0, 1), so weight 0 never and weight 1 always picks the additional one.
 */
export function pickVersion(alias: AliasInfo, random: () => number): string {
  const [extra] = Object.entries(alias.additionalVersionWeights)
  if (extra === undefined) return alias.functionVersion
  return random() < extra[1] ? extra[0] : alias.functionVersion
}

function checked(settings: AliasSettings): Required<AliasSettings> {
  const { functionVersion, description = '', additionalVersionWeights = {} } = settings
  if (!VERSION.test(functionVersion)) throw invalid(`FunctionVersion ${JSON.stringify(functionVersion)} must be $LATEST or a version number`, 'FunctionVersion')
  if (description.length > 256) throw invalid('Description must be at most 256 characters', 'Description')
  const entries = Object.entries(additionalVersionWeights)
  if (entries.length > 1) throw invalid('RoutingConfig.AdditionalVersionWeights may name only one additional version', 'RoutingConfig')
  for (const [version, weight] of entries) {
    if (!/^[1-9]\d*$/.test(version)) throw invalid(`The additional version ${JSON.stringify(version)} must be a published version number`, 'RoutingConfig')
    if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) {
      throw invalid(`The weight of version ${version} must be a number from 0.0 to 1.0`, 'RoutingConfig')
    }
    if (version === functionVersion) throw invalid(`Version ${version} cannot be both the alias's version and its additional version`, 'RoutingConfig')
    // Lambda routes weighted traffic only between published, immutable versions.
    if (functionVersion === LATEST) throw invalid('$LATEST is not supported for an alias with a routing configuration', 'RoutingConfig')
  }
  return { functionVersion, description, additionalVersionWeights: Object.freeze({ ...additionalVersionWeights }) }
}

function freeze(functionName: string, name: string, settings: Required<AliasSettings>): AliasInfo {
  return Object.freeze({ functionName, name, ...settings, revisionId: randomUUID() })
}

function invalid(message: string, field: string): ThawError {
  return new ThawError('THAW_INVALID_CONFIG', message, { field })
}
