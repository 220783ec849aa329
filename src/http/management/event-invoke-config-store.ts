import { perHost, qualifiedKey } from './per-host.js'

/** Where an asynchronous invocation's record goes: an SQS, SNS, Lambda, EventBridge (or S3) ARN. */
export interface EventInvokeDestinations {
  readonly onSuccess?: string
  readonly onFailure?: string
}

/**
 * How Event (asynchronous) invocations of one function, version or alias are to be handled.
 * Stored and reported only: Thaw runs an Event invoke once, in the background, with no queue yet
 * to retry it, age it out or send its record anywhere; the coming queue will read these.
 */
export interface EventInvokeConfig {
  readonly functionName: string
  /** `$LATEST`, a version number or an alias. */
  readonly qualifier: string
  readonly maximumRetryAttempts?: number
  readonly maximumEventAgeInSeconds?: number
  readonly destinations: EventInvokeDestinations
  /** Epoch seconds (with milliseconds), as Lambda reports it. */
  readonly lastModified: number
}

export type EventInvokeSettings = Omit<EventInvokeConfig, 'functionName' | 'qualifier' | 'lastModified'>

/** The event-invoke configs of one host, by function and qualifier (shared by every server over it). */
export class EventInvokeConfigStore {
  readonly #configs = new Map<string, EventInvokeConfig>()

  get(functionName: string, qualifier: string): EventInvokeConfig | undefined {
    return this.#configs.get(qualifiedKey(functionName, qualifier))
  }

  /** Replaces whatever was there (PutFunctionEventInvokeConfig). */
  put(functionName: string, qualifier: string, settings: EventInvokeSettings): EventInvokeConfig {
    const config: EventInvokeConfig = Object.freeze({
      functionName,
      qualifier,
      ...settings,
      destinations: Object.freeze({ ...settings.destinations }),
      lastModified: Date.now() / 1000,
    })
    this.#configs.set(qualifiedKey(functionName, qualifier), config)
    return config
  }

  /** True when there was one to delete. */
  delete(functionName: string, qualifier: string): boolean {
    return this.#configs.delete(qualifiedKey(functionName, qualifier))
  }

  /** Every config of a function, in no particular order. */
  list(functionName: string): EventInvokeConfig[] {
    return [...this.#configs.values()].filter((config) => config.functionName === functionName)
  }

  /** A deleted version or alias takes its config with it. */
  forgetQualifier(functionName: string, qualifier: string): void {
    this.#configs.delete(qualifiedKey(functionName, qualifier))
  }

  /** A removed function loses its configs; one deployed again under the name starts afresh. */
  forgetFunction(functionName: string): void {
    for (const config of this.list(functionName)) this.#configs.delete(qualifiedKey(functionName, config.qualifier))
  }
}

export const eventInvokeConfigsOf = perHost(() => new EventInvokeConfigStore())
