import type { Host } from '../../host.js'

/**
 * The management API's bookkeeping lives beside a host, not in it (none of it changes how a
 * function runs): one instance per host, made on first use and collected with the host, so every
 * server over the same host sees the same state.
 */
export function perHost<T>(create: () => T): (host: Host) => T {
  const instances = new WeakMap<Host, T>()
  return (host) => {
    let instance = instances.get(host)
    if (instance === undefined) {
      instance = create()
      instances.set(host, instance)
    }
    return instance
  }
}

/** The key of a function's `$LATEST`, version or alias in these tables: `name:qualifier`. */
export function qualifiedKey(functionName: string, qualifier: string): string {
  return `${functionName}:${qualifier}`
}
