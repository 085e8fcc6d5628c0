/**
 * Commits an upload. The service answers 202 pending while its chunk tracker has yet to register
 * chunks storage already holds (it registers each some time after its PUT), and 409 CHUNKS_MISSING
 * only for chunks storage lacks. Lacking chunks this client never sent are sent now; ones it sent
 * that storage lost since (the tracker deletes bytes that do not match their hash) are sent once
 * more. Pending chunks are waited for, asking again as the service says with growing pauses; ones
 * storage answered 412 for (it holds bytes under the key that nobody registered, e.g. the partial
 * body of a killed run) are sent again at once with fresh URLs, which makes the service verify what
 * it holds; if any are still pending after a while, they are sent once more the same way before
 * giving up with UPLOAD_INCOMPLETE.
 */
import type { CommitManifest, CommitResponse, FileMetadata } from '@contract/schemas';
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
  /** How long to wait for stored chunks to be registered, before and after the resend. */
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
  let resentPending = false;
  const reverified = new Set<string>();
  const resentLost = new Set<string>();
  for (;;) {
    throwIfCancelled(ctx.signal);
    let answer: CommitResponse;
    try {
      const body = { expectedRevision: ctx.expectedRevision, ...(ctx.manifest ? { manifest: ctx.manifest } : {}) };
      answer = await ctx.api.call('commitUpload', { params: { uploadId: ctx.uploadId }, body });
    } catch (error) {
      if (!hasCode(error, 'CHUNKS_MISSING')) throw error;
      await sendAbsent(ctx, listedHashes(error.details), resentLost);
      continue;
    }
    if (answer.status !== 'pending') return answer;
    const { pending } = answer;
    const heldUnregistered = pending.filter((h) => ctx.sender.outcomes.get(h) === 'present' && !reverified.has(h));
    if (heldUnregistered.length > 0) {
      heldUnregistered.forEach((h) => reverified.add(h));
      await ctx.sender.resendAll(heldUnregistered);
      continue;
    }
    const waited = now() - waitStarted;
    if (waited < ctx.patienceMs) {
      ctx.emit({ type: 'upload.waiting', remotePath: ctx.remotePath, missing: answer.pendingCount, waitedMs: waited });
      await sleep(Math.max(answer.retryAfterMs, commitPollDelayMs(polls++)));
      continue;
    }
    if (!resentPending) {
      resentPending = true;
      await ctx.sender.resendAll(pending);
      waitStarted = now();
      polls = 0;
      continue;
    }
    throw new ToteError('UPLOAD_INCOMPLETE', neverRegistered(pending, ctx.sender), { subject: ctx.remotePath, details: { missing: pending } });
  }
}

/** Chunks storage lacks: those never sent go now, those it accepted and lost since go once more (`resent` remembers which). */
async function sendAbsent(ctx: CommitContext, absent: readonly string[], resent: Set<string>): Promise<void> {
  const neverSent = absent.filter((h) => !ctx.sender.confirmed.has(h));
  const lost = absent.filter((h) => ctx.sender.confirmed.has(h));
  const lostTwice = lost.filter((h) => resent.has(h));
  if (lostTwice.length > 0) {
    const message =
      `storage accepted ${lostTwice.length} chunk(s) twice and holds neither copy (first: ${lostTwice[0]}); ` +
      'the service deletes bytes that do not match their hash: was the file changed while it was sent?';
    throw new ToteError('UPLOAD_INCOMPLETE', message, { subject: ctx.remotePath, details: { missing: lostTwice } });
  }
  if (neverSent.length > 0) await ctx.sender.sendAll(neverSent);
  if (lost.length > 0) {
    lost.forEach((h) => resent.add(h));
    await ctx.sender.resendAll(lost);
  }
}

function neverRegistered(pending: readonly string[], sender: ChunkSender): string {
  const first = pending[0] ?? 'unknown';
  // A conditional PUT answered 412 for a chunk the service still lacks: storage holds other bytes
  // under its key that the tracker never registered nor removed, and nothing may overwrite them.
  if (pending.length > 0 && pending.every((h) => sender.outcomes.get(h) === 'present')) {
    return `storage holds an object for ${pending.length} chunk(s) that the service neither registered nor removed when asked (first: ${first}); ` +
      'a conditional PUT cannot replace it: check the chunk tracker and the service logs';
  }
  return `storage holds ${pending.length} chunk(s) the service never registered (first: ${first}); the chunk tracker may not be running`;
}

function listedHashes(details: Record<string, unknown> | undefined): string[] {
  const list = details?.missing;
  return Array.isArray(list) ? list.filter((h): h is string => typeof h === 'string') : [];
}
