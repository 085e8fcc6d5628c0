/**
 * What a test talks to: the API base URL, where to sign in (read from GET /health, as the CLI does),
 * and where the CloudFront signing key lives. The same tests run against the local runtime and any
 * deployment named by TARGET_ENV.
 */
import type { HealthResponse } from '@contract/schemas';
import type { LocalRuntimeInfo } from './runtime-process';
import { DEFAULT_SIGNING_KEY_SECRET, TARGET_ENV } from './target-env';

export interface Target {
  readonly apiUrl: string;
  readonly auth: HealthResponse['auth'];
  readonly signingKey: { readonly secretsEndpoint?: string; readonly secretId: string };
  /** Present when the harness started a local runtime: its emulator endpoints and resource names. */
  readonly local?: LocalRuntimeInfo;
}

let cached: Promise<Target> | undefined;

export function getTarget(): Promise<Target> {
  cached ??= loadTarget();
  return cached;
}

/** The target a runtime of a test's own serves (startRuntimeProcess), shaped like the shared one. */
export function targetOf(info: LocalRuntimeInfo): Target {
  return {
    apiUrl: info.apiUrl,
    auth: { region: info.region, userPoolId: info.userPoolId, userPoolClientId: info.userPoolClientId, cognitoEndpoint: info.cognitoEndpoint },
    signingKey: { secretsEndpoint: info.secretsEndpoint, secretId: info.signingKeySecretName },
    local: info,
  };
}

async function loadTarget(): Promise<Target> {
  const apiUrl = process.env[TARGET_ENV.apiUrl]?.replace(/\/+$/, '');
  if (!apiUrl) throw new Error(`${TARGET_ENV.apiUrl} is not set: run the integration project through jest (its global setup sets it)`);
  const res = await fetch(`${apiUrl}/health`);
  if (res.status !== 200) throw new Error(`GET ${apiUrl}/health answered ${res.status}`);
  const health = (await res.json()) as HealthResponse;
  const local = process.env[TARGET_ENV.localRuntime];
  return {
    apiUrl,
    auth: health.auth,
    signingKey: {
      secretsEndpoint: process.env[TARGET_ENV.secretsEndpoint] || undefined,
      secretId: process.env[TARGET_ENV.signingKeySecret] || DEFAULT_SIGNING_KEY_SECRET,
    },
    local: local ? (JSON.parse(local) as LocalRuntimeInfo) : undefined,
  };
}
