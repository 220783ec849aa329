/**
 * The guest globals the filesystem uses, typed here (the guest builds without DOM or Node
 * types); the runtime installs them.
 */

interface GuestPlatform {
  crypto: { getRandomValues<T extends Uint8Array>(array: T): T }
  queueMicrotask(callback: () => void): void
}

export const platform = globalThis as unknown as GuestPlatform
