/**
 * A function's environment as the local runtime runs it: the template's variables (resolved to local
 * names), the SDK's standard endpoint variables pointing at the emulators, and what Lambda itself sets.
 * Handlers need no local-only code paths: the same variables steer them on LocalStack.
 */
import { ENV } from '@contract/env';
import { BATCH_BUDGET_ENV, LOCAL_REGION } from '../config';
import type { FunctionModel } from '../template/functions';

export interface LocalEndpoints {
  readonly dynamodb: string;
  readonly s3: string;
  readonly secretsManager: string;
  readonly cognito: string;
  /** The local CloudFront edge, replacing the distribution's https address. */
  readonly edgeUrl: string;
  /** The local Lambda endpoint (Invoke API). */
  readonly lambda: string;
  /** Where each API (by the id its Ref resolves to) is served locally, `http://host:port`: replaces its execute-api addresses. */
  readonly executeApi: Readonly<Record<string, string>>;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export function functionEnvironment(fn: FunctionModel, endpoints: LocalEndpoints): Record<string, string> {
  const env: Record<string, string> = { ...fn.environment };
  // The distribution's DomainName resolves to the edge's host:port, but the edge speaks plain http.
  if (ENV.downloadBaseUrl in env) env[ENV.downloadBaseUrl] = endpoints.edgeUrl;
  // radosgw 16 and s3rver accept a PUT's x-amz-checksum-sha256 without checking it: verifiers read chunks back.
  if (ENV.storeVerifiesChecksums in env) env[ENV.storeVerifiesChecksums] = 'false';
  const batchBudget = process.env[BATCH_BUDGET_ENV];
  if (batchBudget) env[ENV.batchBudgetMs] = batchBudget;
  for (const [name, value] of Object.entries(env)) env[name] = localExecuteApiUrl(value, endpoints.executeApi);
  return {
    ...env,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: endpoints.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: endpoints.credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager,
    AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda,
    [ENV.cognitoEndpoint]: endpoints.cognito,
    [ENV.s3ForcePathStyle]: 'true',
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
    AWS_LAMBDA_LOG_STREAM_NAME: 'local',
    // As Lambda says for an on-demand environment; Powertools reports cold starts only then.
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    // Lambda runs these bundles on its own Node; the SDK's notice about the local Node version is noise here.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

const EXECUTE_API_URL = /^(wss|https):\/\/([A-Za-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\/.*)?$/;

/**
 * `wss://<api>.execute-api.<region>.amazonaws.com/<stage>` (a WebSocket URL) or its `https://` form
 * (the management endpoint) -> the same path on the local server of that API, over ws/http.
 */
export function localExecuteApiUrl(value: string, servers: Readonly<Record<string, string>>): string {
  const match = EXECUTE_API_URL.exec(value);
  const local = match ? servers[match[2]] : undefined;
  if (!match || !local) return value;
  const base = match[1] === 'wss' ? local.replace(/^http/, 'ws') : local;
  return `${base}${match[3] ?? ''}`;
}
