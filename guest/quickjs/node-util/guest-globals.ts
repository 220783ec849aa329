/** Typed access to the guest globals these modules use (the guest's tsconfig has no DOM or Node types). */
interface GuestConsole {
  log(...args: unknown[]): void
  warn(...args: unknown[]): void
  error(...args: unknown[]): void
}

export const guestConsole = (): GuestConsole => (globalThis as unknown as { console: GuestConsole }).console

/** process.nextTick when the guest has it, else a microtask. */
export function nextTick(run: () => void): void {
  const g = globalThis as unknown as { process?: { nextTick?: (fn: () => void) => void }; queueMicrotask: (fn: () => void) => void }
  if (typeof g.process?.nextTick === 'function') g.process.nextTick(run)
  else g.queueMicrotask(run)
}
