/** Helpers of the folder tests: many empty files in two requests, folder requests, the change feed. */
import type { BatchCommitResponse, BatchStartResponse, ChangeEntry, ChangesResponse, FolderChangeResponse } from '@contract/schemas';
import { LIMITS } from '@contract/limits';
import { api, type ApiAnswer } from '../harness/api';
import type { Target } from '../harness/target';
import { sha256 } from '../harness/uploads';
import type { TestUser } from '../harness/users';

const EMPTY = { size: 0, contentHash: sha256(Buffer.alloc(0)), chunks: [] };

/**
 * Files per start and commit request. Not the limit (1,000): committing 1,000 files takes the commit
 * Lambda over its 29 s on a loaded machine (seen: 30.7 s at load 28, answered 500 by the gateway).
 */
const FILES_PER_BATCH = LIMITS.batchMaxFiles / 4;

/** Empty files at `paths`, in batches of start and commit requests (empty files need no chunk). */
export async function emptyFiles(target: Target, user: TestUser, paths: readonly string[]): Promise<void> {
  for (let i = 0; i < paths.length; i += FILES_PER_BATCH) {
    const uploads = paths.slice(i, i + FILES_PER_BATCH).map((path) => ({ path, ...EMPTY }));
    const started = await api<BatchStartResponse>(target, 'POST', '/upload-batches', { token: user.accessToken, body: { uploads } });
    if (started.status !== 200) fail(`POST /upload-batches answered ${started.status}: ${started.text}`);
    const ids = started.json.results.map((r) => (r.ok ? r.upload.uploadId : fail(`start answered ${JSON.stringify(r.error)}`)));
    const committing = performance.now();
    const committed = await api<BatchCommitResponse>(target, 'POST', '/upload-batches/commit', {
      token: user.accessToken,
      body: { commits: ids.map((uploadId) => ({ uploadId, expectedRevision: 0 })) },
    });
    if (committed.status !== 200) {
      fail(`POST /upload-batches/commit of files ${i + 1}-${i + uploads.length} answered ${committed.status} after ${Math.round(performance.now() - committing)} ms: ${committed.text}`);
    }
    const failed = committed.json.results.filter((r) => !r.ok);
    if (failed.length > 0) fail(`${failed.length} commits failed: ${JSON.stringify(failed[0])}`);
  }
}

function fail(message: string): never {
  throw new Error(message);
}

export const moveFolder = (target: Target, user: TestUser, fromPath: string, toPath: string): Promise<ApiAnswer<FolderChangeResponse>> =>
  api<FolderChangeResponse>(target, 'POST', '/folders/move', { token: user.accessToken, body: { fromPath, toPath } });

export const deleteFolder = (target: Target, user: TestUser, path: string): Promise<ApiAnswer<FolderChangeResponse>> =>
  api<FolderChangeResponse>(target, 'POST', '/folders/delete', { token: user.accessToken, body: { path } });

export const makeFolder = (target: Target, user: TestUser, path: string): Promise<ApiAnswer> =>
  api(target, 'POST', '/folders', { token: user.accessToken, body: { path } });

/** A change-feed cursor from now. */
export async function cursorNow(target: Target, user: TestUser): Promise<string> {
  return (await api<ChangesResponse>(target, 'GET', '/changes', { token: user.accessToken })).json.cursor;
}

/** Every entry after `cursor`. */
export async function changesAfter(target: Target, user: TestUser, cursor: string): Promise<ChangeEntry[]> {
  const entries: ChangeEntry[] = [];
  for (;;) {
    const page = await api<ChangesResponse>(target, 'GET', `/changes?cursor=${cursor}`, { token: user.accessToken });
    if (page.status !== 200) throw new Error(`GET /changes answered ${page.status}: ${page.text}`);
    entries.push(...page.json.entries);
    cursor = page.json.cursor;
    if (!page.json.hasMore) return entries;
  }
}
