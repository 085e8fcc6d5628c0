/**
 * The collector's staging sweep (lambdas/domain/gc/collector.ts sweepStaging): an editor's staged chunk
 * that the tracker never took (its deliveries failed for good) is deleted, every version of it, once the
 * session TTL and the grace period have passed since it was written; a staged chunk of an editor with a
 * live session is never deleted, however old. The race world (support/race-world.ts) has no bucket
 * notifications, so the tracker never takes a staged object here: the test decides what is abandoned.
 * The service's own upload and collector code runs against the runtime's DynamoDB Local and real S3.
 */
import './support/quiet-logs';
import { randomBytes, randomUUID } from 'node:crypto';
import { contentHashOf } from '@contract/content-hash';
import { LIMITS, S3_LAYOUT } from '@contract/limits';
import type { Caller } from '@shared/identity';
import { commitUpload } from '@domain/commit';
import { collectNamespace, type CollectorSummary } from '@domain/gc/collector';
import { migrate } from '@domain/gc/migration';
import { startRevisionUpload, startUpload } from '@domain/uploads';
import { getTarget } from '../harness/target';
import { targetHasRealS3 } from '../harness/s3-backend';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { sha256 } from '../harness/uploads';
import { namespacePrefixes, versionsUnder } from './support/collector';
import { createRaceWorld, type RaceWorld } from './support/race-world';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** How long after its write a staged object nobody's session needs becomes the collector's. */
const ABANDONED_AFTER_MS = LIMITS.uploadSessionTtlSeconds * 1000 + LIMITS.gcGraceSeconds * 1000;
const onLocalRealS3 = targetHasRealS3() && process.env.TOTE_LOCAL_RUNTIME_JSON ? describe : describe.skip;

onLocalRealS3('the collector sweeps abandoned staged chunks', () => {
  let world: RaceWorld;
  beforeAll(async () => {
    world = await createRaceWorld((await getTarget()).local!);
  }, SETUP_TIMEOUT_MS);
  afterAll(() => world?.close());

  test('an editor\'s staged chunk nobody committed goes after session TTL + grace; a live session\'s never does', async () => {
    // Prepare: the owner's empty file, shared with two editors; each starts a revision upload and PUTs one chunk to its staging key
    const deps = { ...world.deps, retention: { days: 30 } };
    const owner: Caller = { userId: randomUUID(), device: 'owner' };
    const [gone, live]: Caller[] = [{ userId: randomUUID(), device: 'gone' }, { userId: randomUUID(), device: 'live' }];
    const written = Date.now();
    await migrate({ ...deps, walk: world.deps.walk }, new Date(written), written + MINUTE);
    const empty = await startUpload(deps, owner, { path: '/staged/doc.bin', size: 0, contentHash: await contentHashOf([]), chunks: [] });
    const file = await commitUpload(deps, owner, empty.uploadId, 0);
    for (const editor of [gone, live]) {
      const at = new Date().toISOString();
      const share = { recipientId: editor.userId, fileId: file.fileId, ownerId: owner.userId, role: 'editor' as const, recipientEmail: `${editor.device}@example.com`, ownerEmail: 'owner@example.com', sharedBy: owner.userId, sharedAt: at, updatedAt: at };
      expect((await deps.transactions.write([deps.files.checkLive(file.fileId, owner.userId), deps.shares.put(share)])).ok).toBe(true);
    }
    const later = written + ABANDONED_AFTER_MS + HOUR;
    // The abandoned editor's session starts now and expires; the live one's starts just before the late run, so it is live then.
    await stage(gone, new Date(written));
    await stage(live, new Date(later - MINUTE));
    const staged = async (editor: Caller) => (await versionsUnder(world.s3, world.bucket, `${namespacePrefixes(owner.userId).staging}${editor.userId}/`)).objects;
    expect([await staged(gone), await staged(live)]).toEqual([1, 1]);

    // Act: a run now, one an hour before the abandoned object's grace ends, one an hour after
    const now = await collect(owner, new Date());
    const [goneNow, liveNow] = [await staged(gone), await staged(live)];
    const early = await collect(owner, new Date(written + ABANDONED_AFTER_MS - HOUR));
    const [goneEarly, liveEarly] = [await staged(gone), await staged(live)];
    const late = await collect(owner, new Date(later));

    // Assess
    expect([goneNow, liveNow, now.stagedDeleted]).toEqual([1, 1, 0]);
    expect([goneEarly, liveEarly, early.stagedDeleted]).toEqual([1, 1, 0]);
    expect([await staged(gone), await staged(live), late.stagedDeleted]).toEqual([0, 1, 1]);
    expect(late.bytesFreed).toBeGreaterThan(0);

    /** An editor's revision upload of one fresh chunk, started at `at`, its chunk PUT (to its staging key) and never committed. */
    async function stage(editor: Caller, at: Date): Promise<void> {
      const bytes = randomBytes(1500);
      const hash = sha256(bytes);
      const started = await startRevisionUpload(deps, editor, file.fileId, { size: bytes.length, contentHash: await contentHashOf([hash]), chunks: [{ hash, size: bytes.length }] }, at);
      expect(started.urls.map((u) => u.hash)).toEqual([hash]);
      const res = await fetch(started.urls[0].url, { method: 'PUT', headers: started.urls[0].headers, body: bytes });
      await res.arrayBuffer();
      expect({ status: res.status, staged: new URL(started.urls[0].url).pathname.endsWith(S3_LAYOUT.stagedKey(owner.userId, editor.userId, hash)) }).toEqual({ status: 200, staged: true });
    }

    async function collect(who: Caller, at: Date): Promise<CollectorSummary> {
      const run = collectNamespace(deps, who.userId, () => at);
      for (;;) {
        const step = await run.next();
        if (step.done) return step.value;
      }
    }
  }, 120_000);
});
