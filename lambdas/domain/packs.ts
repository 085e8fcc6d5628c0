/**
 * The API's side of packs (lambdas/README.md, "Packs"): presigned PUTs for packs of the caller's own
 * namespace, and what a batch commit says about a pack the tracker rejected. Everything else about a
 * packed blob is a chunk's: the batch start answers it missing or not, the commit checks it is
 * registered, downloads sign its pack with its range.
 */
import type { BatchCommitRequest, BatchCommitResponse, StartPacksRequest, StartPacksResponse } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { packRejected } from '@shared/errors';
import type { ChunkPresigner } from '@repo/presigner';
import type { RejectedPacks } from '@repo/rejected-packs';
import { itemError } from './batch-items';
import { urlsExpireAt } from './uploads';

/** Packs go only to the caller's own namespace: an editor's uploads keep the staged-chunk path, which proves possession chunk by chunk. */
export async function startPackUploads(deps: { readonly presigner: ChunkPresigner }, caller: Caller, body: StartPacksRequest, now = new Date()): Promise<StartPacksResponse> {
  const urls = await Promise.all(body.packs.map((p) => deps.presigner.presignPackPut(caller.userId, p.hash)));
  return { urls, expiresAt: urlsExpireAt(now) };
}

/**
 * Answers PACK_REJECTED, in place of CHUNKS_MISSING, for commits whose named pack the tracker rejected:
 * their content will never arrive from that pack, and the client should send it again.
 */
export async function explainRejectedPacks(
  deps: { readonly rejectedPacks: RejectedPacks },
  caller: Caller,
  body: BatchCommitRequest,
  answer: BatchCommitResponse,
): Promise<BatchCommitResponse> {
  const suspects = answer.results.flatMap((r, i) => (!r.ok && r.error.code === 'CHUNKS_MISSING' && body.commits[i].pack !== undefined ? [body.commits[i].pack!] : []));
  if (suspects.length === 0) return answer;
  const rejected = await deps.rejectedPacks.lookup(caller.userId, suspects);
  return {
    results: answer.results.map((r, i) => {
      const reason = rejected.get(body.commits[i].pack ?? '');
      return !r.ok && r.error.code === 'CHUNKS_MISSING' && reason !== undefined ? { ok: false, error: itemError(packRejected(body.commits[i].pack!, reason)) } : r;
    }),
  };
}
