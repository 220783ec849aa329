// A CommonJS handler in the callback style: the response is sent once the event loop is empty.
exports.handler = function (event, context, callback) {
  console.info('received', event)
  setTimeout(() => {
    callback(null, { doubled: (event.value ?? 0) * 2, remainingMs: context.getRemainingTimeInMillis() > 0 })
  }, 10)
}
