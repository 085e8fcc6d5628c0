import type { Context } from 'aws-lambda';

let invocations = 0;

/**
 * The context Lambda hands each invocation; Powertools reads these fields onto every log line.
 * `remainingMs` is the time left at the start (29 s, the API's Lambda timeout, unless a test says).
 */
export function lambdaContext(functionName = 'tote-test', remainingMs = 29_000): Context {
  invocations += 1;
  const deadline = Date.now() + remainingMs;
  return {
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `request-${invocations}`,
  } as Context;
}
