/** Secrets through Powertools parameters: fetched on first use, then cached so warm invocations skip the call. */
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';

const SECRET_CACHE_SECONDS = 300;

export async function readSecretString(secretId: string): Promise<string> {
  const value = await getSecret(secretId, { maxAge: SECRET_CACHE_SECONDS });
  if (typeof value !== 'string' || value.length === 0) throw new Error(`secret ${secretId} has no string value`);
  return value;
}
