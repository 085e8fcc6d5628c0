import type { Context } from 'aws-lambda';

let invocations = 0;

/** The context Lambda hands each invocation; Powertools reads these fields onto every log line. */
export function lambdaContext(functionName = 'tote-test'): Context {
  invocations += 1;
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `request-${invocations}`,
  } as Context;
}
