/**
 * What the app needs before it can show anything: where the API is (`/config.json`, written beside
 * the app when it is published: locally by the runtime, in AWS by `npm run publish:web`) and, from the
 * API's health route, which user pool and app client to sign in with.
 */
import { ApiClient } from './api/client';
import { CognitoGateway } from './auth/cognito';
import { WebError } from './errors';

export interface WebConfig {
  readonly apiUrl: string;
}

export interface Boot {
  readonly config: WebConfig;
  readonly gateway: CognitoGateway;
}

export async function boot(): Promise<Boot> {
  const response = await fetch('/config.json', { cache: 'no-store' }).catch(() => undefined);
  const config = response?.ok ? ((await response.json()) as Partial<WebConfig>) : undefined;
  if (typeof config?.apiUrl !== 'string') throw new WebError('UNAVAILABLE', 'this copy of Tote has no /config.json naming its API');
  const health = await new ApiClient({ endpoint: config.apiUrl }).call('health', {});
  return { config: { apiUrl: config.apiUrl }, gateway: new CognitoGateway(health.auth) };
}
