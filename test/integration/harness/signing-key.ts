/**
 * The CloudFront signing key, read where the download handler reads it (Secrets Manager), so tests can
 * sign URLs of their own: expired ones, custom policies. Against AWS this needs read access to the secret.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Target } from './target';

export async function signingPrivateKey(target: Target): Promise<string> {
  const client = new SecretsManagerClient({ region: target.auth.region, endpoint: target.signingKey.secretsEndpoint });
  try {
    const secret = await client.send(new GetSecretValueCommand({ SecretId: target.signingKey.secretId }));
    if (!secret.SecretString) throw new Error(`secret ${target.signingKey.secretId} has no string value`);
    return secret.SecretString;
  } finally {
    client.destroy();
  }
}
