/** What every load generator of `bench http` is given, and what it reports. */

export interface LoadPlan {
  readonly origin: string
  readonly path: string
  readonly body: string
  readonly connections: number
  /** Unmeasured load first: JIT of both sides, connections opened. */
  readonly warmupMs: number
  readonly durationMs: number
}

export interface LoadResult {
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** Requests answered with anything but 200 without a function error, or not answered. */
  readonly errors: number
  readonly firstError: string | undefined
  /** Event-loop utilisation of a generator running in this process (0-1); undefined for a native one. */
  readonly generatorLoopUtilisation: number | undefined
}
