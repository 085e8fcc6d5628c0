/** GET /health (no auth): liveness, plus where to sign in and where the push channel is, so a client needs only the API URL. */
import { ENV } from '@contract/env';
import type { HealthResponse } from '@contract/schemas';
import { optionalEnv, readConfig, requireEnv } from '@shared/config';
import { publicHandler } from '@shared/public-handler';
import { json } from '@shared/http';

const config = readConfig('userPoolId', 'userPoolClientId', 'userPoolWebClientId');
const region = requireEnv('AWS_REGION');
const cognitoEndpoint = optionalEnv(ENV.cognitoEndpoint);
const pushUrl = optionalEnv(ENV.pushUrl);

const body: HealthResponse = {
  status: 'ok',
  auth: {
    region,
    userPoolId: config.userPoolId,
    userPoolClientId: config.userPoolClientId,
    webClientId: config.userPoolWebClientId,
    ...(cognitoEndpoint ? { cognitoEndpoint } : {}),
  },
  ...(pushUrl ? { push: { url: pushUrl } } : {}),
};

export const handler = publicHandler(async () => json(body));
