// A handler that throws: the caller gets Lambda's error object, not an exception.
class ValidationError extends Error {
  constructor(message) {
    super(message)
    this.name = 'ValidationError'
  }
}

export const handler = async (event) => {
  if (event.ok === true) return { ok: true }
  throw new ValidationError(`event.ok must be true, got ${JSON.stringify(event.ok)}`)
}
