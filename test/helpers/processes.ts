/** Helpers for tests about real child processes (process runtimes). */

/** Whether a process with this pid still exists (signal 0 checks without signalling). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Polls `condition` until it holds (true) or a generous limit passes (false). */
export async function eventually(condition: () => boolean, limitMs = 10_000): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < limitMs; await new Promise((resolve) => setTimeout(resolve, 10))) {
    if (condition()) return true
  }
  return condition()
}
