// The smallest useful Lambda handler: an async ES module.
let invocations = 0

export const handler = async (event, context) => {
  invocations += 1
  console.log('hello from', context.functionName)
  return {
    message: `Hello, ${event.name ?? 'world'}!`,
    invocations,
    requestId: context.awsRequestId,
  }
}
