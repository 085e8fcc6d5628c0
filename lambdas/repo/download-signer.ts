/**
 * CloudFront signed URLs for chunk and pack downloads (canned policy: one URL, one expiry). The private key
 * comes from Secrets Manager on first use; the public half is registered with the distribution.
 */
import { getSignedUrl } from '@aws-sdk/cloudfront-signer';
import { S3_LAYOUT } from '@contract/limits';
import type { ChunkRecord } from './items';

export class DownloadSigner {
  constructor(
    private readonly baseUrl: string,
    private readonly keyPairId: string,
    private readonly privateKey: () => Promise<string>,
  ) {}

  /**
   * A signing function bound to one key fetch and one expiry, for signing a page of chunks: a chunk's
   * URL is its chunk key's, a packed blob's is its pack's (the client reads the blob's range of it).
   */
  async forExpiry(expiresAt: Date): Promise<(ownerId: string, chunk: ChunkRecord) => string> {
    const privateKey = await this.privateKey();
    const base = this.baseUrl.replace(/\/+$/, '');
    return (ownerId, chunk) => {
      const key = chunk.pack === undefined ? S3_LAYOUT.chunkKey(ownerId, chunk.hash) : S3_LAYOUT.packKey(ownerId, chunk.pack.hash);
      return getSignedUrl({ url: `${base}/${key}`, keyPairId: this.keyPairId, privateKey, dateLessThan: expiresAt });
    };
  }
}
