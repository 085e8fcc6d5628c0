/**
 * Starting many small uploads at once (POST /upload-batches). Each file gets exactly the session and
 * answer its own POST /uploads would give it, but the reads and writes behind them are batched across
 * the files: one BatchGetItem pass for the path entries, one for the sessions, one for the chunk
 * registry, then BatchWriteItem passes for the new sessions, a unit of files at a time. So 1,000 files
 * cost a handful of calls to DynamoDB and one round trip for the client, instead of a thousand of each.
 */
import { LIMITS } from '@contract/limits';
import { pathKey } from '@contract/paths';
import type { BatchStartRequest, BatchStartResponse, StartUploadRequest } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { batchDeferred, validationFailed } from '@shared/errors';
import type { UploadSession } from '@repo/items';
import { itemError, settle } from './batch-items';
import { noDeadline, withinBudget, type InTime } from './budget';
import { filePath } from './paths';
import { checkDeclaredContent } from './declared-content';
import { currentAt, isReusable, missingOf, newSession, startAnswer, uploadIdFor, type PathUploadDeps, type Target } from './uploads';

interface Prepared {
  readonly req: StartUploadRequest;
  readonly path: string;
  readonly contentHash: string;
  readonly uploadId: string;
}

/** A file that passed every check, by its place in the request. */
interface Startable {
  readonly index: number;
  readonly target: Target & { readonly contentHash: string };
}

/** Files whose sessions are written (one BatchWriteItem pass) and URLs signed as one unit of the time budget. */
const UNIT_FILES = 100;
/** Units under way at once: their writes touch only their own sessions. */
const PARALLEL_UNITS = 4;

/**
 * Starts each file whole (its session written, its URLs signed) or not at all: files the time budget
 * (budget.ts) leaves no room for answer BATCH_DEFERRED, and nothing of theirs is written.
 */
export async function startUploadBatch(
  deps: PathUploadDeps,
  caller: Caller,
  body: BatchStartRequest,
  now = new Date(),
  inTime: InTime = noDeadline,
): Promise<BatchStartResponse> {
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
    deps.chunks.rely(ownerId, valid.flatMap((p) => p.req.chunks.map((c) => c.hash)), now),
  ]);

  const targets = await Promise.all(
    prepared.map((p) =>
      p.ok ? settle(() => ({ uploadId: p.value.uploadId, ownerId, path: p.value.path, current: currentAt(entries.get(pathKey(p.value.path))), contentHash: p.value.contentHash })) : p,
    ),
  );
  const startable: Startable[] = targets.flatMap((t, index) => (t.ok ? [{ index, target: t.value }] : []));
  const units: Startable[][] = [];
  for (let i = 0; i < startable.length; i += UNIT_FILES) units.push(startable.slice(i, i + UNIT_FILES));

  // Files of identical content at the same path share one session: the first unit to meet it writes it.
  const claimed = new Set<string>();
  let marked: Promise<void> | undefined;
  const startUnit = async (unit: readonly Startable[]) => {
    const fresh: UploadSession[] = await Promise.all(
      unit.flatMap(({ index, target }) => {
        if (claimed.has(target.uploadId)) return [];
        claimed.add(target.uploadId);
        const existing = sessions.get(target.uploadId);
        return existing !== undefined && isReusable(existing, target.current) ? [] : [newSession(deps, target, body.uploads[index], target.contentHash, now)];
      }),
    );
    if (fresh.length > 0) await (marked ??= deps.namespaces.mark(ownerId, now));
    await deps.sessions.putMany(fresh);
    return Promise.all(
      unit.map(async ({ index, target }) => {
        const req = body.uploads[index];
        const missing = missingOf(req.chunks.map((c) => c.hash), registered);
        return { index, upload: await startAnswer(deps, target, req, missing, now) };
      }),
    );
  };
  const started = await withinBudget(units, inTime, startUnit, PARALLEL_UNITS);

  const results: BatchStartResponse['results'] = targets.map((t) => (t.ok ? { ok: false, error: itemError(batchDeferred()) } : { ok: false, error: t.error }));
  for (const answers of started) for (const { index, upload } of answers ?? []) results[index] = { ok: true, upload };
  return { results };
}
