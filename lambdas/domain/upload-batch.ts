/**
 * Starting many small uploads at once (POST /upload-batches). Each file gets exactly the session and
 * answer its own POST /uploads would give it, but the reads and writes behind them are batched across
 * the files, a unit of 50 at a time: one BatchGetItem call each for the path entries, the sessions and
 * the chunk registry, then BatchWriteItem calls for the new sessions. So 1,000 files cost a few dozen
 * calls to DynamoDB and one round trip for the client, instead of thousands.
 */
import { LIMITS } from '@contract/limits';
import { pathKey } from '@contract/paths';
import type { BatchStartRequest, BatchStartResponse, StartUploadRequest, StartUploadResponse } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { batchDeferred, validationFailed } from '@shared/errors';
import type { UploadSession } from '@repo/items';
import { itemError, settle, type Settled } from './batch-items';
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

/** A file whose request is well formed, by its place in the request. */
interface Valid {
  readonly index: number;
  readonly file: Prepared;
}

/**
 * Files read, written (their sessions) and signed as one unit of the time budget: small, so the unit
 * begun last before the budget ends finishes well inside the reserve even on a loaded store.
 */
const UNIT_FILES = 50;
/** Units under way at once: each touches only its own sessions. */
const PARALLEL_UNITS = 2;

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
  const valid = prepared.flatMap((p, index) => (p.ok ? [{ index, file: p.value }] : []));
  const units: Valid[][] = [];
  for (let i = 0; i < valid.length; i += UNIT_FILES) units.push(valid.slice(i, i + UNIT_FILES));

  // Files of identical content at the same path share one session: the first unit to meet it writes it.
  const claimed = new Set<string>();
  let marked: Promise<void> | undefined;
  const startUnit = async (unit: readonly Valid[]): Promise<{ index: number; answer: Settled<StartUploadResponse> }[]> => {
    const [entries, sessions, registered] = await Promise.all([
      deps.files.getPathEntries(ownerId, unit.map((v) => v.file.path)),
      deps.sessions.getMany(unit.map((v) => v.file.uploadId)),
      deps.chunks.rely(ownerId, unit.flatMap((v) => v.file.req.chunks.map((c) => c.hash)), now),
    ]);
    const targets = await Promise.all(
      unit.map(({ file }) => settle((): Target => ({ uploadId: file.uploadId, ownerId, path: file.path, current: currentAt(entries.get(pathKey(file.path))) }))),
    );
    const fresh: UploadSession[] = await Promise.all(
      targets.flatMap((t, k) => {
        if (!t.ok || claimed.has(t.value.uploadId)) return [];
        claimed.add(t.value.uploadId);
        const existing = sessions.get(t.value.uploadId);
        return existing !== undefined && isReusable(existing, t.value.current) ? [] : [newSession(deps, t.value, unit[k].file.req, unit[k].file.contentHash, now)];
      }),
    );
    if (fresh.length > 0) await (marked ??= deps.namespaces.mark(ownerId, now));
    await deps.sessions.putMany(fresh);
    return Promise.all(
      unit.map(async ({ index, file }, k) => {
        const t = targets[k];
        if (!t.ok) return { index, answer: t };
        const missing = missingOf(file.req.chunks.map((c) => c.hash), registered);
        return { index, answer: { ok: true as const, value: await startAnswer(deps, t.value, file.req, missing, now) } };
      }),
    );
  };
  const started = await withinBudget(units, inTime, startUnit, PARALLEL_UNITS);

  const answers: Settled<StartUploadResponse>[] = prepared.map((p) => (p.ok ? { ok: false, error: itemError(batchDeferred()) } : p));
  for (const unit of started) for (const { index, answer } of unit ?? []) answers[index] = answer;
  const results: BatchStartResponse['results'] = answers.map((a) => (a.ok ? { ok: true, upload: a.value } : { ok: false, error: a.error }));
  return { results };
}
