/**
 * The CloudFront URL-signing key pair. On AWS the deployer creates it (README); locally it is generated
 * once (RSA 2048, as CloudFront requires) and kept in the data dir, so URLs issued before a restart
 * still verify after it. The private half goes to the Secrets Manager stand-in, the public half is the
 * template's SigningPublicKeyPem parameter.
 */
import { createHash, createPublicKey, generateKeyPair } from 'node:crypto';
import * as fs from 'node:fs';
import { promisify } from 'node:util';

export interface SigningKey {
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export async function ensureSigningKey(file: string): Promise<SigningKey> {
  if (!fs.existsSync(file)) {
    const { privateKey } = await promisify(generateKeyPair)('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    fs.writeFileSync(file, privateKey, { mode: 0o600, flag: 'wx' });
  }
  const privateKeyPem = fs.readFileSync(file, 'utf8');
  const publicKeyPem = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKeyPem, publicKeyPem };
}

/** A CloudFront-shaped key pair id ("K" + 13 upper-case characters), stable for a given public key. */
export function keyPairIdFor(publicKeyPem: string): string {
  const digest = createHash('sha256').update(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' })).digest();
  return 'K' + digest.toString('base64').replace(/[^A-Za-z0-9]/g, '').toUpperCase().slice(0, 13);
}
