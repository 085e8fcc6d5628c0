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
   * URL is its chunk key's, a packed blob's is its pack's (the client reads the blob's range of it),
   * with `rangeOnly` signed for that range alone (the edge serves nothing else with it).
   */
  async forExpiry(expiresAt: Date): Promise<(ownerId: string, chunk: ChunkRecord, rangeOnly: boolean) => string> {
    const privateKey = await this.privateKey();
    const base = this.baseUrl.replace(/\/+$/, '');
    return (ownerId, chunk, rangeOnly) => {
      const { pack } = chunk;
      const url =
        pack === undefined
          ? `${base}/${S3_LAYOUT.chunkKey(ownerId, chunk.hash)}`
          : `${base}/${S3_LAYOUT.packKey(ownerId, pack.hash)}${rangeOnly ? `?range=${pack.offset}-${pack.offset + chunk.storedSize - 1}` : ''}`;
      return getSignedUrl({ url, keyPairId: this.keyPairId, privateKey, dateLessThan: expiresAt });
    };
  }
}
