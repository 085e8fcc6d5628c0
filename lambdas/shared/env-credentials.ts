/**
 * The credential chain every function's bundle uses in place of the SDK's default one
 * (`@aws-sdk/credential-provider-node`, swapped at build time in lib/constructs/service-function.ts).
 * Lambda hands a function its role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN, the first link of the default chain; the rest of that chain (SSO, shared ini
 * files, login, processes, web identity, instance metadata) cannot apply in Lambda, yet bundled it
 * costs every function about 100 KiB and its share of the cold start (it brings STS, SSO and their
 * protocols). The local runtime sets the same variables. Without them the SDK says so on the first call.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init: Parameters<typeof fromEnv>[0] = {}) => fromEnv(init);
