/**
 * The WebSocket API's Lambda REQUEST authorizer, at $connect: the Cognito access token offered in
 * Sec-WebSocket-Protocol (contract/push.ts) is verified like the HTTP API's (access tokens of the
 * CLI's and the web app's clients only), then its account passes the same check as every HTTP route
 * (domain/account-check.ts). A WebSocket authorizer cannot send a body, so the refusal's status
 * carries it, as on HTTP: "Unauthorized" (a bad token, or ACCOUNT_DELETED) is API Gateway's 401, a
 * Deny policy (ACCOUNT_DISABLED) its 403.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { ENV } from '@contract/env';
import { tokenFromProtocols } from '@contract/push';
import { accessTokenVerifier, type VerifiedAccessToken } from '@shared/access-token';
import { accountCheck } from '@shared/account-gate';
import { optionalEnv, readConfig, requireEnv } from '@shared/config';
import { isApiError } from '@shared/errors';
import { logger } from '@shared/logger';
import { headerOf, type SocketAuthorizerContext } from '@shared/socket';

const config = readConfig('userPoolId', 'userPoolClientId', 'userPoolWebClientId');
const verify = accessTokenVerifier({
  region: requireEnv('AWS_REGION'),
  userPoolId: config.userPoolId,
  clientIds: [config.userPoolClientId, config.userPoolWebClientId],
  cognitoEndpoint: optionalEnv(ENV.cognitoEndpoint),
});
const accounts = accountCheck();

/** The one error message API Gateway turns into 401 rather than 500. */
const UNAUTHORIZED = 'Unauthorized';

const policy = (effect: 'Allow' | 'Deny', userId: string, methodArn: string): APIGatewayAuthorizerResult => ({
  principalId: userId,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: methodArn }] },
});

export const handler = async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const token = tokenFromProtocols(headerOf(event.headers, 'Sec-WebSocket-Protocol'));
  let verified: VerifiedAccessToken;
  try {
    if (token === undefined) throw new Error('no token offered');
    verified = await verify(token);
  } catch {
    logger.info('connection refused', { reason: token === undefined ? 'no token' : 'invalid token' });
    throw new Error(UNAUTHORIZED);
  }
  const { userId, issuedAt } = verified;
  try {
    await accounts.admit({ userId }, issuedAt);
  } catch (error) {
    if (!isApiError(error)) throw error;
    logger.info('connection refused', { reason: error.code, userId });
    if (error.code === 'ACCOUNT_DISABLED') return policy('Deny', userId, event.methodArn);
    throw new Error(UNAUTHORIZED);
  }
  const context: SocketAuthorizerContext = { userId };
  return { ...policy('Allow', userId, event.methodArn), context: { ...context } };
};
