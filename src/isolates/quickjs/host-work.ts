/**
 * Bounds on the work a guest may ask of the host in one synchronous call (hashing, compression).
 * Such a call runs on the environment's thread, where nothing can interrupt native code: so the
 * host slices its work and checks the phase's deadline between slices, refuses up front what it
 * cannot slice and would clearly outlast the deadline, and never returns more bytes than the
 * function's memory can hold.
 */
export interface HostWorkLimits {
  /** The most bytes one call may hand back to the guest: its memory size. */
  readonly maxOutputBytes: number
  /** Throws once the current phase (INIT, restore, invocation) is past its deadline. */
  checkDeadline(): void
  /** Throws if `units` of unsliceable work, done at `unitsPerMs`, would outlast the remaining time. */
  checkWork(units: number, unitsPerMs: number, operation: string): void
}

/**
 * `onDeadline` runs when host work finds the deadline passed: the environment then treats the
 * guest as interrupted (Sandbox.Timedout), whatever it does with the error it gets.
 */
export function hostWorkLimits(maxOutputBytes: number, remainingMs: () => number, onDeadline: () => void): HostWorkLimits {
  const passed = (): Error => {
    onDeadline()
    return deadlineError()
  }
  return {
    maxOutputBytes,
    checkDeadline() {
      if (remainingMs() <= 0) throw passed()
    },
    checkWork(units, unitsPerMs, operation) {
      const remaining = remainingMs()
      if (remaining <= 0) throw passed()
      const needMs = units / unitsPerMs
      if (needMs > remaining) {
        throw nodeError(RangeError, `${operation} of this cost (~${Math.ceil(needMs)} ms) would outlast the ${Math.floor(remaining)} ms left before the function's deadline`, 'ERR_THAW_WORK_EXCEEDS_DEADLINE')
      }
    },
  }
}

function deadlineError(): Error {
  return nodeError(Error, "The function's deadline passed while the host was working for it", 'ERR_THAW_DEADLINE_PASSED')
}

/** An error shaped like Node's: its class, message, and an own enumerable `code` (and `errno`). */
export function nodeError(
  type: ErrorConstructor | TypeErrorConstructor | RangeErrorConstructor,
  message: string,
  code: string,
  errno?: number,
): Error {
  const error = new type(message) as Error & { code?: string; errno?: number }
  if (errno !== undefined) error.errno = errno
  error.code = code
  return error
}
