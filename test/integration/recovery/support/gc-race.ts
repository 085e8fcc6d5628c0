/**
 * The collector race, randomized and seeded: uploads (closed and open) that reuse stored chunks (by the
 * owner, and by an editor of a shared file, whose chunks go to its staging keys and are put in place by
 * the tracker, also while the collector deletes that chunk key), deletes, restores from the trash, version restores, purges, tracker
 * deliveries (late, and retried when the collector holds the key) and collector runs (sometimes two at
 * once) interleave step by step on one simulated clock that jumps minutes, hours and days. The
 * service's own domain code runs in-process against DynamoDB Local and a real S3 (race-world.ts).
 *
 * The owner's closed uploads send their missing chunks now and then as blobs in one pack (POST /packs,
 * the pack tracker), as the CLI does for small files; a pack's tracker run is a delivery like any other.
 *
 * Checked all along: no chunk, blob's pack or manifest named by a kept revision is ever marked for
 * deletion or has its bytes deleted; at the end every kept revision downloads byte-identical (a blob
 * read by its range in its pack) and nothing was purged before its retention; then, with every file
 * deleted and retention, grace and session expiry passed, the namespace holds no chunk, pack, manifest
 * or staged bytes at all (every version counted: staged chunks
 * whose notifications were lost are the collector's to sweep).
 */
import { randomUUID } from 'node:crypto';
import { contentHashOf } from '@contract/content-hash';
import { LIMITS, S3_LAYOUT } from '@contract/limits';
import type { ChunkRef, FileMetadata, StartUploadResponse } from '@contract/schemas';
import { isApiError } from '@shared/errors';
import type { Caller } from '@shared/identity';
import { commitUpload } from '@domain/commit';
import { collectNamespace, type CollectorStep } from '@domain/gc/collector';
import { migrate } from '@domain/gc/migration';
import { deleteFile } from '@domain/mutations';
import { commitOpenUpload, openRevisionUpload, openUpload } from '@domain/open-uploads';
import { trackPack } from '@domain/pack-tracker';
import { startPackUploads } from '@domain/packs';
import { trackStagedChunk } from '@domain/staged-chunks';
import { trackChunk } from '@domain/tracker';
import { purgeFromTrash, restoreFromTrash } from '@domain/trash';
import { startRevisionUpload, startUpload, uploadUrls } from '@domain/uploads';
import { restoreVersion } from '@domain/versions';
import { manifestHash } from '@repo/manifests';
import { PackBuilder } from '../../../../client/src/core/packing/pack-builder';
import { nodeSha256 } from '../../../../client/src/hashing/sha256';
import { seededRandom } from '../../faults/support/plans';
import { namespacePrefixes, versionsUnder } from './collector';
import { BIG_MANIFEST_CHUNKS, RaceModel, checkKept, chunkPool, namedByRevisions, poolChunk, type ModelFile } from './race-model';
import type { RaceWorld } from './race-world';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface RaceOptions {
  readonly seed: number;
  readonly steps: number;
  readonly retentionDays: number;
}

export interface RaceResult {
  readonly problems: readonly string[];
  readonly log: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
  /** What the namespace held in S3 at the very end (every version): must be nothing. */
  readonly endBytes: number;
  readonly endObjects: number;
}

type Op = AsyncGenerator<string, void>;

interface Content {
  readonly chunks: ChunkRef[];
  readonly contentHash: string;
  readonly size: number;
}

/** Errors the service answers when the world moved under a request; the op gives up (or tries again). */
const GIVE_UP = new Set(['NOT_FOUND', 'REVISION_CONFLICT', 'PATH_CONFLICT', 'FORBIDDEN', 'UPLOAD_NOT_FOUND', 'TRY_AGAIN']);

export async function runRace(world: RaceWorld, options: RaceOptions): Promise<RaceResult> {
  const rng = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)];
  let clock = Date.now();
  const now = () => new Date(clock);
  const owner: Caller = { userId: randomUUID(), device: 'owner-laptop' };
  const editor: Caller = { userId: randomUUID(), device: 'editor-phone' };
  const deps = { ...world.deps, retention: { days: options.retentionDays } };
  const model = new RaceModel(chunkPool(rng, 10), options.retentionDays);
  const pending: { key: string; versionId?: string }[] = [];
  const log: string[] = [];
  const counts: Record<string, number> = {};
  const count = (what: string) => (counts[what] = (counts[what] ?? 0) + 1);
  const note = (line: string) => log.push(`${new Date(clock).toISOString()} ${line}`);
  let paths = 0;

  const expect = (error: unknown, ...codes: string[]): string => {
    if (isApiError(error) && (GIVE_UP.has(error.code) || codes.includes(error.code))) return error.code;
    throw error;
  };

  /** Content made of these pool chunks, in this order. */
  async function contentOf(hashes: readonly string[]): Promise<Content> {
    const sizes = new Map(model.pool.map((c) => [c.hash, c.bytes.length]));
    const chunks = hashes.map((hash) => ({ hash, size: sizes.get(hash)! }));
    const contentHash = await contentHashOf(hashes);
    model.contents.set(contentHash, chunks);
    return { chunks, contentHash, size: chunks.reduce((sum, c) => sum + c.size, 0) };
  }

  /**
   * New content: pool chunks at random (often with one chunk nothing else has yet, so files come to
   * own chunks the collector may take once they go), or (`from`) chunks drawn from those given.
   */
  function randomContent(from?: readonly string[]): Promise<Content> {
    const fresh = from === undefined && rng() < 0.4 ? [poolChunk(rng, model.pool.length)] : [];
    model.pool.push(...fresh);
    const choices = from ?? model.pool.map((c) => c.hash);
    const n = rng() < 0.1 ? BIG_MANIFEST_CHUNKS : 1 + Math.floor(rng() * 4);
    return contentOf([...fresh.map((c) => c.hash), ...Array.from({ length: n }, () => pick(choices))]);
  }

  function recordCommit(file: FileMetadata): void {
    const known = model.files.get(file.fileId);
    const rev = { revision: file.revision, at: file.updatedAt, contentHash: file.contentHash };
    if (known) known.contents.push(rev);
    else model.files.set(file.fileId, { fileId: file.fileId, path: file.path, status: 'live', contents: [rev], editorMay: false });
  }

  /**
   * An upload as a client runs it: start (closed: the whole manifest; open: none of it, the chunks
   * named when URLs are asked for), PUT what is missing, ask to verify on 412, commit until registered.
   */
  async function* upload(who: Caller, target: { path: string } | { fileId: string }, makeContent: () => Promise<Content> = () => randomContent()): Op {
    const content = await makeContent();
    const label = 'path' in target ? target.path : `id:${target.fileId}`;
    const open = rng() < 0.35;
    for (let attempt = 0; attempt < 3; attempt++) {
      let started: StartUploadResponse;
      try {
        started = open ? await openStart(who, target, content.size) : 'path' in target ? await startUpload(deps, who, { path: target.path, ...content }, now()) : await startRevisionUpload(deps, who, target.fileId, content, now());
      } catch (error) {
        if (expect(error) === 'TRY_AGAIN') {
          yield `${label}: start says try again`;
          continue;
        }
        return;
      }
      const hashes = [...new Set(content.chunks.map((c) => c.hash))];
      yield `${label}: started ${open ? 'open' : 'closed'} (${started.missing.length} of ${hashes.length} chunks missing)`;
      if (open) {
        // The client has cut its chunks: it asks which are missing, and relies on the others from now.
        const asked = await uploadUrls({ ...deps, bucket: world.bucket }, who, started.uploadId, { hashes }, now()).catch((e: unknown) => (expect(e), undefined));
        if (asked === undefined) return;
        started = { ...started, ...asked };
        count('open uploads');
        yield `${label}: asked for URLs (${asked.missing.length} of ${hashes.length} chunks missing)`;
      }
      const refused: string[] = [];
      // As the CLI sends small files: the missing chunks as blobs of one pack, then the commit.
      const packed = !open && who.userId === owner.userId && started.missing.length > 0 && rng() < 0.5;
      if (packed) yield `${label}: ${await putPack([...new Set(started.missing)])}`;
      for (const put of packed ? [] : started.urls) {
        const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: model.pool.find((c) => c.hash === put.hash)!.bytes });
        await res.arrayBuffer();
        // The owner's chunks go to its namespace; an editor's to its staging keys, which the tracker puts in place.
        const key = who.userId === owner.userId ? S3_LAYOUT.chunkKey(owner.userId, put.hash) : S3_LAYOUT.stagedKey(owner.userId, who.userId, put.hash);
        // Now and then the tracker never takes a staged chunk (its deliveries failed for good): the collector must sweep it.
        if (res.status === 200 && key !== S3_LAYOUT.chunkKey(owner.userId, put.hash) && rng() < 0.15) count('staged notices lost');
        else if (res.status === 200) pending.push({ key, versionId: res.headers.get('x-amz-version-id') ?? undefined });
        else if (res.status === 412) {
          refused.push(put.hash);
          count('PUT refused (412)');
        } else throw new Error(`PUT of chunk ${put.hash} answered ${res.status}`);
        yield `${label}: PUT ${put.hash.slice(0, 8)} -> ${res.status}`;
      }
      if (refused.length > 0) {
        const again = await uploadUrls({ ...deps, bucket: world.bucket }, who, started.uploadId, { hashes: refused, verify: true }, now()).catch((e: unknown) => (expect(e), undefined));
        yield `${label}: verified ${refused.length} stored chunk(s), ${again?.missing.length ?? '?'} still missing`;
      }
      const expected = started.existing?.revision ?? 0;
      for (let tries = 0; tries < 8; tries++) {
        try {
          const manifest = { contentHash: content.contentHash, chunks: content.chunks };
          const file = open ? await commitOpenUpload(deps, who, started.uploadId, manifest, expected, now()) : await commitUpload(deps, who, started.uploadId, expected, now());
          recordCommit(file);
          count('commits');
          yield `${label}: committed revision ${file.revision}`;
          return;
        } catch (error) {
          if (expect(error, 'CHUNKS_MISSING') !== 'CHUNKS_MISSING') return;
          yield `${label}: commit waits for chunks`;
        }
      }
    }
  }

  /** Builds the owner's pack of these pool chunks (in this order) and PUTs it, as the CLI's pack sender does. */
  async function putPack(hashes: readonly string[]): Promise<string> {
    const builder = new PackBuilder({ createSha256: nodeSha256 });
    for (const hash of hashes) {
      const bytes = model.pool.find((c) => c.hash === hash)!.bytes;
      builder.add({ hash, plainLength: bytes.length, stored: bytes, compression: 'none' });
    }
    const pack = (await builder.seal())!;
    const { urls } = await startPackUploads(deps, owner, { packs: [{ hash: pack.hash, size: pack.bytes.length }] }, now());
    const res = await fetch(urls[0].url, { method: 'PUT', headers: urls[0].headers, body: pack.bytes });
    await res.arrayBuffer();
    count(`pack PUT ${res.status}`);
    // 412: the very same pack is stored (the same blobs in the same order); it brings nothing new, and
    // the commit waits for blobs that only a resend on another path would bring.
    if (res.status === 200) pending.push({ key: S3_LAYOUT.packKey(owner.userId, pack.hash), versionId: res.headers.get('x-amz-version-id') ?? undefined });
    else if (res.status !== 412) throw new Error(`PUT of pack ${pack.hash} answered ${res.status}`);
    return `PUT pack ${pack.hash.slice(0, 8)} of ${hashes.length} blob(s) -> ${res.status}`;
  }

  /** An open start: no chunk named yet, a fresh session key. */
  function openStart(who: Caller, target: { path: string } | { fileId: string }, size: number): Promise<StartUploadResponse> {
    const req = { size, chunks: [], sessionKey: randomUUID().replaceAll('-', '') };
    return 'path' in target ? openUpload(deps, who, { path: target.path, ...req }, now()) : openRevisionUpload(deps, who, target.fileId, req, now());
  }

  async function* simple(label: string, work: () => Promise<void>): Op {
    const kind = label.split(' ')[0];
    try {
      await work();
      count(kind);
      yield `${label}: done`;
    } catch (error) {
      count(`${kind} refused`);
      yield `${label}: ${expect(error)}`;
    }
  }

  function newOp(): Op | undefined {
    const live = model.byState('live');
    const trashed = model.byState('trash');
    const r = rng();
    if (r < 0.18 || live.length === 0) return upload(owner, { path: `/race/f${paths++}.bin` });
    if (r < 0.3) return upload(owner, { path: pick(live).path });
    if (r < 0.38) {
      const shared = live.filter((f) => f.editorMay);
      if (shared.length > 0) return upload(editor, { fileId: pick(shared).fileId });
      const file = pick(live);
      return simple(`share ${file.path}`, async () => {
        const outcome = await deps.transactions.write([deps.files.checkLive(file.fileId, owner.userId), deps.shares.put(shareRecord(file))]);
        if (outcome.ok) file.editorMay = true;
      });
    }
    if (r < 0.52) {
      const file = pick(live);
      return simple(`delete ${file.path}`, async () => {
        const deleted = await deleteFile(deps, owner, file.fileId, undefined, now());
        Object.assign(file, { status: 'trash', deletedAt: deleted.updatedAt, editorMay: false });
      });
    }
    if (r < 0.64 && trashed.length > 0) return restoreTrashed(pick(trashed), '');
    if (r < 0.76) {
      const file = pick(live);
      const version = pick(file.contents);
      return simple(`restore-version ${version.revision} of ${file.path}`, async () => {
        try {
          recordCommit(await restoreVersion(deps, owner, file.fileId, version.revision, {}, now()));
        } catch (error) {
          if (isApiError(error) && error.code === 'CHUNKS_MISSING') model.problems.push(`restoring kept revision ${version.revision} of ${file.path} found chunks missing: ${error.message}`);
          throw error;
        }
      });
    }
    if (trashed.length > 0) {
      const file = pick(trashed);
      return simple(`purge ${file.path}`, async () => {
        const { purged } = await purgeFromTrash(deps, owner, { fileId: file.fileId });
        if (purged === 1) file.status = 'purged';
      });
    }
    return undefined;
  }

  const shareRecord = (file: ModelFile) => ({
    recipientId: editor.userId,
    fileId: file.fileId,
    ownerId: owner.userId,
    role: 'editor' as const,
    recipientEmail: 'editor@example.com',
    ownerEmail: 'owner@example.com',
    sharedBy: owner.userId,
    sharedAt: now().toISOString(),
    updatedAt: now().toISOString(),
  });

  /**
   * Registered chunks no kept revision names and nobody touched since the collector's cutoff: what the
   * collector's sweep is about to choose. An upload made of them, right when the collector has finished
   * its scan, is a race the touch must win.
   */
  async function orphans(cutoff: string): Promise<string[]> {
    const named = await namedByRevisions(world, model);
    const doomed: string[] = [];
    for await (const page of world.deps.chunks.entries(owner.userId)) {
      for (const e of page) if (e.kind === 'chunk' && !e.deleting && e.touchedAt < cutoff && !named.chunks.has(e.hash)) doomed.push(e.hash);
    }
    return doomed;
  }

  /**
   * A collector run; after each mark and each deletion, no kept revision may name that object. An
   * adversarial one races an upload against its sweep.
   */
  async function* collector(adversarial: boolean): Op {
    const run = collectNamespace(deps, owner.userId, now);
    let cutoff = '';
    for (let step = await run.next(); !step.done; step = await run.next()) {
      const s: CollectorStep = step.value;
      if (s.step === 'scan-started') cutoff = s.cutoff;
      // After the scan and before the sweep reads the registry: the listing and the mark must see the touch.
      if (s.step === 'changes-rescanned' && adversarial && rng() < 0.5) yield* adversary(cutoff);
      // The collector's own choice, in its two windows: chosen from a page read earlier and about to be
      // marked (only the conditional mark can see a touch now), and marked with its bytes about to go
      // (a reliance now must find the mark and treat the object as missing).
      if ((s.step === 'marking' || s.step === 'marked') && adversarial && rng() < 0.5) yield* raceFor(s.key, s.step);
      // A file brought back from the trash in the middle of the scan: it moves from one listing to the other.
      if (s.step === 'file-scanned' && adversarial && rng() < 0.15) yield* restoreMidScan();
      if (s.step === 'marked' || s.step === 'bytes-deleted') await checkUnnamed(s.key, s.step);
      if (s.step === 'bytes-deleted') count('objects deleted');
      if (s.step === 'staging-swept') counts['staged objects swept'] = (counts['staged objects swept'] ?? 0) + s.objects;
      if (s.step === 'kept') count('marks refused (touched)');
      yield `collector: ${describe(s)}`;
    }
    count('collector runs');
  }

  /**
   * Between the collector's scan and its sweep: an upload (owner or editor) of exactly the chunks it is
   * about to delete, run to its commit now, or only started and left to finish later.
   */
  async function* adversary(cutoff: string): Op {
    const doomed = await orphans(cutoff);
    if (doomed.length === 0) return;
    count('adversarial uploads');
    const op = adversaryUpload(() => randomContent(doomed));
    if (rng() < 0.7) yield* toTheEnd(op);
    else {
      active.push(op);
      kinds.set(op, false);
      yield 'adversary: an upload of chunks about to be deleted started, to finish later';
    }
  }

  /**
   * An upload naming exactly the object the collector is about to mark (`marking`) or has marked
   * (`marked`), run to its end while the collector waits at that step: the chunk itself with other pool
   * chunks, or for a manifest the very content it lists. The mark must then be refused (the commit's
   * touch) or the upload must find the object missing; a kept revision naming a marked object is caught
   * by checkUnnamed at the collector's next step.
   */
  async function* raceFor(key: string, window: 'marking' | 'marked'): Op {
    const hash = /([0-9a-f]{64})(\.json)?$/.exec(key)?.[1] ?? '';
    const hashes = key.startsWith(S3_LAYOUT.chunkKey(owner.userId, ''))
      ? [hash, ...Array.from({ length: Math.floor(rng() * 3) }, () => pick(model.pool).hash)]
      : [...model.contents.values()].find((chunks) => manifestHash(chunks) === hash)?.map((c) => c.hash);
    if (hashes === undefined) return;
    count(`adversarial uploads while ${window}`);
    yield* toTheEnd(adversaryUpload(() => contentOf(hashes)));
  }

  /** The owner's new file, or now and then an editor's revision of a file shared with it. */
  function adversaryUpload(content: () => Promise<Content>): Op {
    const shared = model.byState('live').filter((f) => f.editorMay);
    return shared.length > 0 && rng() < 0.3 ? upload(editor, { fileId: pick(shared).fileId }, content) : upload(owner, { path: `/race/f${paths++}.bin` }, content);
  }

  /** Runs an operation to its end inside the current step of the collector, the tracker keeping up. */
  async function* toTheEnd(op: Op): Op {
    for (let next = await op.next(); !next.done; next = await op.next()) {
      yield `adversary: ${next.value}`;
      for (let n = pending.length; n > 0; n--) await deliver();
    }
  }

  function restoreTrashed(file: ModelFile, when: string): Op {
    return simple(`restore ${file.path}${when}`, async () => {
      const { results } = await restoreFromTrash(deps, owner, { fileId: file.fileId }, now());
      const [result] = results;
      if (result.ok) Object.assign(file, { status: 'live', path: result.restored.file.path, deletedAt: undefined });
    });
  }

  async function* restoreMidScan(): Op {
    const trashed = model.byState('trash');
    if (trashed.length === 0) return;
    count('restores during a scan');
    yield* restoreTrashed(pick(trashed), ' during the scan');
  }

  async function checkUnnamed(key: string, step: string): Promise<void> {
    const named = await namedByRevisions(world, model);
    const hash = /([0-9a-f]{64})(\.json)?$/.exec(key)?.[1] ?? '';
    if (named.manifests.has(key) || (key.startsWith('chunks/') && named.chunks.has(hash))) {
      model.problems.push(`${now().toISOString()}: ${key} was ${step} while a kept revision names it`);
    }
    if (key === S3_LAYOUT.packKey(owner.userId, hash)) {
      const inIt = [...(await world.deps.chunks.lookup(owner.userId, [...named.chunks])).values()].filter((c) => c.pack?.hash === hash);
      if (inIt.length > 0) model.problems.push(`${now().toISOString()}: ${key} was ${step} while kept revisions name its blob(s) ${inIt.map((c) => c.hash.slice(0, 12)).join(', ')}`);
    }
  }

  async function deliver(): Promise<void> {
    const [notice] = pending.splice(Math.floor(rng() * pending.length), 1);
    const tracker = { objects: world.deps.objects, registry: world.deps.chunks, held: world.deps.held };
    const ref = { bucket: world.bucket, ...notice };
    const outcome = await (notice.key.startsWith(S3_LAYOUT.stagingPrefix)
      ? trackStagedChunk(tracker, ref, now())
      : notice.key.startsWith(S3_LAYOUT.packPrefix)
        ? trackPack({ ...tracker, rejectedPacks: world.deps.rejectedPacks }, ref, now())
        : trackChunk(tracker, ref, now()));
    // Lambda retries a record the tracker failed: later, in this simulation.
    if (outcome === 'deferred') pending.push(notice);
    count(`tracker ${outcome}`);
    note(`tracker ${notice.key.slice(-64, -56)}: ${outcome}`);
  }

  // The one-time migration runs on the world's empty table first, as the scheduled function would.
  await migrate({ ...deps, walk: world.deps.walk }, now(), Date.now() + MINUTE);

  const active: Op[] = [];
  let collectors = 0;
  const advance = async (op: Op, isCollector: boolean) => {
    const next = await op.next();
    if (next.done) {
      active.splice(active.indexOf(op), 1);
      if (isCollector) collectors--;
    } else note(next.value);
  };
  const kinds = new Map<Op, boolean>();
  for (let step = 0; step < options.steps; step++) {
    const r = rng();
    if (r < 0.2 && active.length < 6) {
      const op = newOp();
      if (op) {
        active.push(op);
        kinds.set(op, false);
      }
    } else if (r < 0.26 && collectors < 2) {
      const op = collector(true);
      active.push(op);
      kinds.set(op, true);
      collectors++;
    } else if (r < 0.42 && pending.length > 0) {
      await deliver();
    } else if (r < 0.5) {
      const jump = rng();
      clock += jump < 0.7 ? rng() * 10 * MINUTE : jump < 0.93 ? 6 * HOUR + rng() * 30 * HOUR : 2 * DAY + rng() * 3 * DAY;
    } else if (active.length > 0) {
      const op = pick(active);
      await advance(op, kinds.get(op)!);
    }
  }
  /** Lets every operation in flight and every tracker notice finish. */
  async function settle(when: string): Promise<void> {
    for (let guard = 0; (active.length > 0 || pending.length > 0) && guard < 5_000; guard++) {
      if (pending.length > 0 && (active.length === 0 || rng() < 0.5)) await deliver();
      else if (active.length > 0) await advance(active[0], kinds.get(active[0])!);
    }
    if (active.length > 0 || pending.length > 0) model.problems.push(`${when}: ${active.length} operation(s) and ${pending.length} notice(s) never finished`);
  }
  await settle('after the race');
  await checkKept(world, model, owner.userId, now(), 'after the race');

  // Everything goes and retention, grace and the sessions' expiry pass, twice. The first time one
  // adversarial collector run has every object to delete, so its adversary races the mark and the
  // delete of many (what it commits must stay whole, and goes the second time); then the namespace
  // must end empty.
  for (const round of ['adversarial', 'final'] as const) {
    for (const file of model.byState('live')) {
      const deleted = await deleteFile(deps, owner, file.fileId, undefined, now());
      Object.assign(file, { status: 'trash', deletedAt: deleted.updatedAt });
    }
    clock += options.retentionDays * DAY + 2 * LIMITS.gcGraceSeconds * 1000 + LIMITS.uploadSessionTtlSeconds * 1000;
    for (const run of round === 'adversarial' ? [collector(true)] : [collector(false), collector(false)]) {
      while (!(await run.next()).done);
      await settle(`the ${round} collector run`);
    }
    if (round === 'adversarial') await checkKept(world, model, owner.userId, now(), 'after the adversarial run over everything');
  }
  const end = await namespaceVersions(world, owner.userId);
  if (end.bytes > 0 || end.objects > 0) {
    const entries: string[] = [];
    for await (const page of world.deps.chunks.entries(owner.userId)) entries.push(...page.map((e) => `${e.id.slice(0, 12)} touched ${e.touchedAt}${e.deleting ? ' deleting' : ''}`));
    const files = await Promise.all([...model.files.values()].map(async (f) => `${f.path} ${f.status}: ${(await world.deps.files.listRevisions(f.fileId, { manifests: false })).length} revision item(s)`));
    model.problems.push(
      `after everything was deleted and retention passed (${now().toISOString()}), the namespace still holds ${end.bytes} bytes in ${end.objects} object version(s): ${end.keys.join(', ')}; ` +
        `registry: ${entries.join('; ') || 'empty'}; files: ${files.join('; ')}`,
    );
  }
  return { problems: model.problems, log, counts, endBytes: end.bytes, endObjects: end.objects };
}

function describe(step: CollectorStep): string {
  switch (step.step) {
    case 'scan-started':
      return `scan at ${step.at}, cutoff ${step.cutoff}`;
    case 'versions-purged':
      return `purged revisions ${step.revisions.join(',')} of ${step.fileId.slice(0, 8)}`;
    case 'trash-purged':
    case 'file-scanned':
      return `${step.step} ${step.fileId.slice(0, 8)}`;
    case 'sessions-scanned':
      return `${step.open} open session(s)`;
    case 'changes-rescanned':
      return `${step.files} file(s) changed during the scan`;
    case 'bytes-deleted':
      return `deleted ${step.bytes} bytes of ${step.key}`;
    case 'staging-swept':
      return `deleted ${step.objects} abandoned staged object(s), ${step.bytes} bytes`;
    default:
      return `${step.step} ${step.key}`;
  }
}

/** Every version and delete marker under the namespace's chunk and manifest prefixes. */
async function namespaceVersions(world: RaceWorld, ownerId: string): Promise<{ bytes: number; objects: number; keys: string[] }> {
  const found = await Promise.all(Object.values(namespacePrefixes(ownerId)).map((prefix) => versionsUnder(world.s3, world.bucket, prefix)));
  return { bytes: found.reduce((n, f) => n + f.bytes, 0), objects: found.reduce((n, f) => n + f.objects, 0), keys: found.flatMap((f) => f.keys) };
}
