import { ThawError } from '../errors.js'

/** Lambda's synchronous payload limit (request and response). */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024

/** The event of an invocation as JSON text: the raw payload checked, or the event serialised; within the limit. */
export function encodePayload(event: unknown, raw: string | undefined): string {
  let payload: string
  if (raw !== undefined) {
    if (typeof raw !== 'string') throw new ThawError('THAW_INVALID_CONFIG', 'payload must be a string of JSON', { field: 'payload' })
    payload = raw === '' ? '{}' : raw
    try {
      JSON.parse(payload)
    } catch {
      throw new ThawError('THAW_INVALID_REQUEST_CONTENT', 'Could not parse request body into json: the payload is not valid JSON', {
        field: 'payload',
      })
    }
  } else {
    try {
      payload = event === undefined ? '{}' : (JSON.stringify(event) ?? 'null')
    } catch (cause) {
      throw new ThawError('THAW_INVALID_REQUEST_CONTENT', `The event cannot be serialised to JSON: ${(cause as Error).message}`, {
        field: 'event',
        cause,
      })
    }
  }
  if (Buffer.byteLength(payload) > MAX_SYNC_PAYLOAD_BYTES) {
    throw new ThawError('THAW_REQUEST_TOO_LARGE', `Request must be smaller than ${MAX_SYNC_PAYLOAD_BYTES} bytes for the InvokeFunction operation`, {
      field: raw === undefined ? 'event' : 'payload',
    })
  }
  return payload
}
