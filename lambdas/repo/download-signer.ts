/**
 * CloudFront signed URLs for chunk downloads (canned policy: one URL, one expiry). The private key
 * comes from Secrets Manager on first use; the public half is registered with the distribution.
 */
import { getSignedUrl } from '@aws-sdk/cloudfront-signer';
import { S3_LAYOUT } from '@contract/limits';

export class DownloadSigner {
  constructor(
    private readonly baseUrl: string,
    private readonly keyPairId: string,
    private readonly privateKey: () => Promise<string>,
  ) {}

  /** A signing function bound to one key fetch and one expiry, for signing a page of chunks. */
  async forExpiry(expiresAt: Date): Promise<(ownerId: string, hash: string) => string> {
    const privateKey = await this.privateKey();
    const base = this.baseUrl.replace(/\/+$/, '');
    return (ownerId, hash) =>
      getSignedUrl({ url: `${base}/${S3_LAYOUT.chunkKey(ownerId, hash)}`, keyPairId: this.keyPairId, privateKey, dateLessThan: expiresAt });
  }
}
