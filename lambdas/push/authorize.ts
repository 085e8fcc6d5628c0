/**
 * The WebSocket API's Lambda REQUEST authorizer, at $connect: the Cognito access token offered in
 * Sec-WebSocket-Protocol (contract/push.ts) is verified like the HTTP API's (access tokens of the
 * CLI's and the web app's clients only). Refusals throw "Unauthorized", which API Gateway answers with 401.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { ENV } from '@contract/env';
import { tokenFromProtocols } from '@contract/push';
import { accessTokenVerifier } from '@shared/access-token';
import { optionalEnv, readConfig, requireEnv } from '@shared/config';
import { logger } from '@shared/logger';
import { headerOf, type SocketAuthorizerContext } from '@shared/socket';

const config = readConfig('userPoolId', 'userPoolClientId', 'userPoolWebClientId');
const verify = accessTokenVerifier({
  region: requireEnv('AWS_REGION'),
  userPoolId: config.userPoolId,
  clientIds: [config.userPoolClientId, config.userPoolWebClientId],
  cognitoEndpoint: optionalEnv(ENV.cognitoEndpoint),
});

export const handler = async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const token = tokenFromProtocols(headerOf(event.headers, 'Sec-WebSocket-Protocol'));
  let userId: string;
  try {
    if (token === undefined) throw new Error('no token offered');
    ({ userId } = await verify(token));
  } catch {
    logger.info('connection refused', { reason: token === undefined ? 'no token' : 'invalid token' });
    // The one error message API Gateway turns into 401 rather than 500.
    throw new Error('Unauthorized');
  }
  const context: SocketAuthorizerContext = { userId };
  return {
    principalId: userId,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] },
    context: { ...context },
  };
};
