/**
 * Commits an upload. The chunk tracker registers chunks asynchronously after storage accepts them,
 * so a commit right after the last PUT may hear 409 CHUNKS_MISSING: then chunks this client never
 * sent are sent now; chunks storage answered 412 for (it holds bytes under the key that nobody
 * registered, e.g. the partial body of a killed run) are sent again at once with fresh URLs, which
 * makes the service verify what it holds; for chunks this client did send the commit is retried with
 * growing pauses for a while; if they are still missing after that, they are sent once more with
 * fresh URLs before giving up with UPLOAD_INCOMPLETE.
 */
import type { CommitManifest, FileMetadata } from '@contract/schemas';
import type { ApiClient } from '../api/client';
import { hasCode, throwIfCancelled, ToteError } from '../errors';
import type { TransferEventSink } from '../events';
import { sleep as realSleep } from '../retry/retry';
import type { ChunkSender } from './chunk-sender';

export interface CommitContext {
  readonly api: ApiClient;
  readonly uploadId: string;
  readonly remotePath: string;
  /** The revision this upload replaces (0: the path must be free). */
  readonly expectedRevision: number;
  /** The whole manifest, for an open upload (a closed one declared it at its start). */
  readonly manifest?: CommitManifest;
  readonly sender: ChunkSender;
  readonly emit: TransferEventSink;
  /** How long to wait for sent chunks to be registered, before and after the resend. */
  readonly patienceMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Cancels the commit between its attempts (CANCELLED). */
  readonly signal?: AbortSignal;
}

const POLL_FIRST_MS = 250;
const POLL_MAX_MS = 2_000;

/** The pause before asking again the `polls`-th time (from 0) whether the tracker has registered what was sent. */
export const commitPollDelayMs = (polls: number) => Math.min(POLL_MAX_MS, POLL_FIRST_MS * 2 ** polls);

export async function commitUpload(ctx: CommitContext): Promise<FileMetadata> {
  const now = ctx.now ?? Date.now;
  const sleep = ctx.sleep ?? realSleep;
  let waitStarted = now();
  let polls = 0;
  let resent = false;
  const reverified = new Set<string>();
  for (;;) {
    throwIfCancelled(ctx.signal);
    let missing: string[];
    try {
      const body = { expectedRevision: ctx.expectedRevision, ...(ctx.manifest ? { manifest: ctx.manifest } : {}) };
      return await ctx.api.call('commitUpload', { params: { uploadId: ctx.uploadId }, body });
    } catch (error) {
      if (!hasCode(error, 'CHUNKS_MISSING')) throw error;
      missing = missingHashes(error.details);
    }
    const neverSent = missing.filter((h) => !ctx.sender.confirmed.has(h));
    if (neverSent.length > 0) {
      await ctx.sender.sendAll(neverSent);
      continue;
    }
    const heldUnregistered = missing.filter((h) => ctx.sender.outcomes.get(h) === 'present' && !reverified.has(h));
    if (heldUnregistered.length > 0) {
      heldUnregistered.forEach((h) => reverified.add(h));
      await ctx.sender.resendAll(heldUnregistered);
      continue;
    }
    const waited = now() - waitStarted;
    if (waited < ctx.patienceMs) {
      ctx.emit({ type: 'upload.waiting', remotePath: ctx.remotePath, missing: missing.length, waitedMs: waited });
      await sleep(commitPollDelayMs(polls++));
      continue;
    }
    if (!resent && missing.length > 0) {
      resent = true;
      await ctx.sender.resendAll(missing);
      waitStarted = now();
      polls = 0;
      continue;
    }
    throw new ToteError('UPLOAD_INCOMPLETE', diagnosis(missing, ctx.sender), { subject: ctx.remotePath, details: { missing } });
  }
}

function diagnosis(missing: readonly string[], sender: ChunkSender): string {
  const first = missing[0] ?? 'unknown';
  // A conditional PUT answered 412 for a chunk the service still lacks: storage holds other bytes
  // under its key that the tracker never registered nor removed, and nothing may overwrite them.
  if (missing.length > 0 && missing.every((h) => sender.outcomes.get(h) === 'present')) {
    return `storage holds an object for ${missing.length} chunk(s) that the service neither registered nor removed when asked (first: ${first}); ` +
      'a conditional PUT cannot replace it: check the chunk tracker and the service logs';
  }
  return `${missing.length} chunk(s) were sent but never registered by the service (first: ${first}); ` +
    'storage may have rejected them or the chunk tracker is not running';
}

function missingHashes(details: Record<string, unknown> | undefined): string[] {
  const list = details?.missing;
  return Array.isArray(list) ? list.filter((h): h is string => typeof h === 'string') : [];
}
