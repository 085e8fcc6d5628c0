/**
 * Starting many small uploads at once (POST /upload-batches). Each file gets exactly the session and
 * answer its own POST /uploads would give it, but the reads and writes behind them are batched across
 * the files: one BatchGetItem pass for the path entries, one for the sessions, one for the chunk
 * registry, one BatchWriteItem pass for the new sessions. So 1,000 files cost a handful of calls to
 * DynamoDB and one round trip for the client, instead of a thousand of each.
 */
import { LIMITS } from '@contract/limits';
import { pathKey } from '@contract/paths';
import type { BatchStartRequest, BatchStartResponse, StartUploadRequest } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { validationFailed } from '@shared/errors';
import type { UploadSession } from '@repo/items';
import { settle } from './batch-items';
import { filePath } from './paths';
import { checkDeclaredContent } from './declared-content';
import { currentAt, isReusable, newSession, startAnswer, unregistered, uploadIdFor, type PathUploadDeps } from './uploads';

interface Prepared {
  readonly req: StartUploadRequest;
  readonly path: string;
  readonly contentHash: string;
  readonly uploadId: string;
}

export async function startUploadBatch(deps: PathUploadDeps, caller: Caller, body: BatchStartRequest, now = new Date()): Promise<BatchStartResponse> {
  const chunkCount = body.uploads.reduce((n, u) => n + u.chunks.length, 0);
  if (chunkCount > LIMITS.batchMaxChunks) {
    throw validationFailed(`the uploads list ${chunkCount} chunks in all, more than the ${LIMITS.batchMaxChunks} one batch may`, {
      field: 'body.uploads',
    });
  }
  const ownerId = caller.userId;
  const prepared = await Promise.all(
    body.uploads.map((req) =>
      settle(async (): Promise<Prepared> => {
        const path = filePath(req.path);
        const contentHash = await checkDeclaredContent(req);
        return { req, path, contentHash, uploadId: uploadIdFor(ownerId, path, contentHash, req.chunks) };
      }),
    ),
  );
  const valid = prepared.flatMap((p) => (p.ok ? [p.value] : []));
  const [entries, sessions, registered] = await Promise.all([
    deps.files.getPathEntries(ownerId, valid.map((p) => p.path)),
    deps.sessions.getMany(valid.map((p) => p.uploadId)),
    deps.chunks.lookup(ownerId, valid.flatMap((p) => p.req.chunks.map((c) => c.hash))),
  ]);

  const targets = await Promise.all(
    prepared.map((p) =>
      p.ok ? settle(() => ({ uploadId: p.value.uploadId, ownerId, path: p.value.path, current: currentAt(entries.get(pathKey(p.value.path))), contentHash: p.value.contentHash })) : p,
    ),
  );
  // Files of identical content at the same path share one session: write it once.
  const fresh = new Map<string, UploadSession>();
  for (const [i, t] of targets.entries()) {
    if (!t.ok || fresh.has(t.value.uploadId)) continue;
    const existing = sessions.get(t.value.uploadId);
    if (existing === undefined || !isReusable(existing, t.value.current)) {
      fresh.set(t.value.uploadId, await newSession(deps, t.value, body.uploads[i], t.value.contentHash, now));
    }
  }
  await deps.sessions.putMany([...fresh.values()]);

  const results = await Promise.all(
    targets.map(async (t, i) => {
      if (!t.ok) return { ok: false as const, error: t.error };
      const req = body.uploads[i];
      const missing = unregistered(req.chunks.map((c) => c.hash), registered);
      return { ok: true as const, upload: await startAnswer(deps, t.value, req, missing, now) };
    }),
  );
  return { results };
}
