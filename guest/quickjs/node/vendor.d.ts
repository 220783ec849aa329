// Types for the untyped polyfill packages bundled into the guest's node:* chunks (only what we use).

declare module 'events/' {
  interface PackageEmitter {
    prototype: object
    defaultMaxListeners: number
    listenerCount(emitter: unknown, type: string | symbol): number
  }
  const EventEmitter: PackageEmitter
  export default EventEmitter
}

declare module 'string_decoder/' {
  export const StringDecoder: new (encoding?: string) => {
    encoding: string
    write(buffer: unknown): string
    end(buffer?: unknown): string
  }
}

declare module 'readable-stream/lib/stream.js' {
  const Stream: Record<string, unknown>
  export default Stream
}

declare module 'stream' {
  const Stream: unknown
  export default Stream
}
