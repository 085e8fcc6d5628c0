/**
 * The tracker on staged chunks (an editor's uploads into an owner's namespace), against an in-memory
 * versioned bucket and table that answer the SDK calls the way S3 and DynamoDB do: conditional
 * writes, exact versions, notifications for every object created. Cases first, then a seeded
 * randomized run that delivers the notifications duplicated, reordered and concurrently, with calls
 * failing before or after they take effect and failed invocations retried (TOTE_TRACKER_SEED=<seed>
 * replays one; TOTE_TRACKER_RUNS sets how many).
 */
import './env';
import { Readable } from 'node:stream';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client, type CopyObjectCommandInput } from '@aws-sdk/client-s3';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, type BatchGetCommandInput, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { S3_LAYOUT } from '@contract/limits';
import { handler } from '../../../lambdas/chunk-tracker/handler';
import { EDITOR, lambdaContext, OWNER, sha256, VIEWER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);

const BUCKET = 'chunk-bucket';
/** A second non-owner uploader (the viewer's id serves: only ids matter here). */
const OTHER = VIEWER;

interface Version {
  readonly id: string;
  readonly body: Buffer;
  readonly metadata: Record<string, string>;
}

/** What S3 and DynamoDB hold, and the notifications S3 owes the tracker. */
class World {
  readonly objects = new Map<string, Version[]>();
  readonly items = new Map<string, Record<string, unknown>>();
  readonly notices: { key: string; versionId: string }[] = [];
  private versions = 0;
  /** Set by the randomized test: a call fails now and then, before or after taking effect (a lost answer). */
  fault: (() => 'before' | 'after' | undefined) | undefined;

  /** Runs one storage or table call, failing it the way `fault` says. */
  private call<T>(effect: () => T): T {
    const when = this.fault?.();
    if (when === 'before') throw Object.assign(new Error('injected failure'), { name: 'InternalError' });
    const result = effect();
    if (when === 'after') throw Object.assign(new Error('injected lost answer'), { name: 'InternalError' });
    return result;
  }

  /** A PUT with If-None-Match: *: false (412) when the key has a current version. */
  put(key: string, body: Buffer, metadata: Record<string, string> = {}): boolean {
    const versions = this.objects.get(key) ?? [];
    if (versions.length > 0) return false;
    const version = { id: `v${++this.versions}`, body, metadata };
    this.objects.set(key, [...versions, version]);
    this.notices.push({ key, versionId: version.id });
    return true;
  }

  current(key: string): Version | undefined {
    return this.objects.get(key)?.at(-1);
  }

  install(): void {
    s3.on(GetObjectCommand).callsFake((input: { Key: string; VersionId?: string }) => this.call(() => {
      const versions = this.objects.get(input.Key) ?? [];
      const version = input.VersionId === undefined ? versions.at(-1) : versions.find((v) => v.id === input.VersionId);
      if (!version) throw new NoSuchKey({ message: 'no such key', $metadata: {} });
      return { Body: Readable.from([version.body]), ContentLength: version.body.length, Metadata: version.metadata, VersionId: version.id };
    }));
    s3.on(DeleteObjectCommand).callsFake((input: { Key: string; VersionId?: string }) => this.call(() => {
      const versions = this.objects.get(input.Key) ?? [];
      this.objects.set(input.Key, input.VersionId === undefined ? versions.slice(0, -1) : versions.filter((v) => v.id !== input.VersionId));
      return {};
    }));
    s3.on(CopyObjectCommand).callsFake((input: CopyObjectCommandInput) => this.call(() => {
      const [source, query] = decodeURIComponent(input.CopySource!).slice(BUCKET.length + 1).split('?versionId=');
      const version = (this.objects.get(source) ?? []).find((v) => query === undefined || v.id === query);
      if (!version) throw new NoSuchKey({ message: 'no such source', $metadata: {} });
      if (!this.put(input.Key!, version.body, version.metadata)) {
        throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), { name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
      }
      return { VersionId: this.current(input.Key!)!.id };
    }));
    ddb.on(PutCommand).callsFake((input: PutCommandInput) => this.call(() => {
      const item = input.Item as Record<string, unknown>;
      const id = `${item.pk}|${item.sk}`;
      if (input.ConditionExpression === 'attribute_not_exists(pk)' && this.items.has(id)) {
        throw new ConditionalCheckFailedException({ message: 'exists', $metadata: {} });
      }
      this.items.set(id, item);
      return {};
    }));
    ddb.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => this.call(() => {
      const [table, request] = Object.entries(input.RequestItems ?? {})[0];
      const found = (request.Keys ?? []).map((k) => this.items.get(`${k.pk}|${k.sk}`)).filter((i) => i !== undefined);
      return { Responses: { [table]: found }, UnprocessedKeys: {} };
    }));
  }

  registered(hash: string): Record<string, unknown> | undefined {
    return this.items.get(`CHUNKS#${OWNER}|${hash}`);
  }

  held(uploaderId: string, hash: string): boolean {
    return this.items.has(`HELD#${OWNER}#${uploaderId}|${hash}`);
  }
}

const event = (...notices: { key: string; versionId?: string }[]): S3Event =>
  ({
    Records: notices.map((n) => ({
      eventName: 'ObjectCreated:Put',
      s3: { bucket: { name: BUCKET }, object: { key: n.key, size: 1, ...(n.versionId ? { versionId: n.versionId } : {}) } },
    })),
  }) as unknown as S3Event;

/** Delivers every notice owed (those the deliveries cause too) in order; a failed invocation is retried, as Lambda does. */
async function deliverAll(world: World): Promise<void> {
  while (world.notices.length > 0) await deliver(world, world.notices.shift()!);
}

async function deliver(world: World, notice: { key: string; versionId: string }): Promise<void> {
  try {
    await handler(event(notice), lambdaContext('chunk-tracker'));
  } catch {
    world.notices.push(notice);
  }
}

let world: World;
beforeEach(() => {
  ddb.reset();
  s3.reset();
  world = new World();
  world.install();
});

const secret = Buffer.from("the owner's secret");
const secretHash = sha256(secret);
const staged = (uploaderId: string, hash: string) => S3_LAYOUT.stagedKey(OWNER, uploaderId, hash);
const chunkKey = (hash: string) => S3_LAYOUT.chunkKey(OWNER, hash);

describe('chunk tracker on staged chunks', () => {
  it("proves an editor's good bytes, copies them into the owner's namespace, registers them and clears staging", async () => {
    world.put(staged(EDITOR, secretHash), secret);

    await deliverAll(world);

    expect(world.current(chunkKey(secretHash))?.body).toEqual(secret);
    expect(world.registered(secretHash)).toMatchObject({ size: secret.length });
    expect(world.held(EDITOR, secretHash)).toBe(true);
    expect(world.current(staged(EDITOR, secretHash))).toBeUndefined();
  });

  it('proves bytes the owner already holds without copying or touching the owner\'s chunk', async () => {
    world.put(chunkKey(secretHash), secret);
    await deliverAll(world);
    const ownersVersion = world.current(chunkKey(secretHash));
    world.put(staged(EDITOR, secretHash), Buffer.from(secret));

    await deliverAll(world);

    expect(world.objects.get(chunkKey(secretHash))).toEqual([ownersVersion]);
    expect(s3.commandCalls(CopyObjectCommand)).toHaveLength(0);
    expect(world.held(EDITOR, secretHash)).toBe(true);
    expect(world.current(staged(EDITOR, secretHash))).toBeUndefined();
  });

  it('proves nothing for bytes that do not match the hash they are staged under, and deletes them', async () => {
    world.put(chunkKey(secretHash), secret);
    await deliverAll(world);
    world.put(staged(EDITOR, secretHash), Buffer.from('a guess, not the secret'));

    await deliverAll(world);

    expect(world.held(EDITOR, secretHash)).toBe(false);
    expect(world.current(staged(EDITOR, secretHash))).toBeUndefined();
    expect(world.current(chunkKey(secretHash))?.body).toEqual(secret);
  });

  it('replaces an unregistered bad object at the chunk key (a lost notification) by the verified staged bytes', async () => {
    world.put(chunkKey(secretHash), Buffer.from('partial body of a killed PUT'));
    world.notices.length = 0;
    world.put(staged(EDITOR, secretHash), secret);

    await deliverAll(world);

    expect(world.objects.get(chunkKey(secretHash))?.map((v) => v.body)).toEqual([secret]);
    expect(world.registered(secretHash)).toBeDefined();
    expect(world.held(EDITOR, secretHash)).toBe(true);
  });

  it('keeps the compression the editor declared when it puts the chunk in place', async () => {
    const { gzipSync } = await import('node:zlib');
    world.put(staged(EDITOR, secretHash), gzipSync(secret), { 'tote-compression': 'gzip' });

    await deliverAll(world);

    expect(world.current(chunkKey(secretHash))?.metadata).toEqual({ 'tote-compression': 'gzip' });
    expect(world.registered(secretHash)).toMatchObject({ size: secret.length, compression: 'gzip' });
  });
});

/** mulberry32: small, seedable, good enough to pick test steps. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('chunk tracker under duplicated, reordered and concurrent notifications (seeded)', () => {
  const seeds = process.env.TOTE_TRACKER_SEED
    ? [Number(process.env.TOTE_TRACKER_SEED)]
    : Array.from({ length: Number(process.env.TOTE_TRACKER_RUNS ?? 60) }, (_, i) => 1000 + i);

  it.each(seeds.map((seed) => [seed]))('seed %i: every chunk ends verified and in place, proofs only for bytes sent, staging empty', async (seed) => {
    const random = prng(seed);
    world.fault = () => (random() < 0.08 ? (random() < 0.5 ? 'before' : 'after') : undefined);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const contents = ['a', 'b', 'c'].map((name) => Buffer.from(`chunk ${name} of seed ${seed}`));
    const goodFrom = new Map<string, Set<string>>();
    const sentGood = (who: string, hash: string) => goodFrom.set(hash, new Set([...(goodFrom.get(hash) ?? []), who]));

    // Uploads and deliveries interleave: each round puts a few objects, then delivers a random selection of
    // the notices owed so far (some twice, in any order, several at once); a notice may be held back for later.
    const owed: { key: string; versionId: string }[] = [];
    for (let round = 0; round < 6; round++) {
      for (let n = Math.floor(random() * 4); n > 0; n--) {
        const body = pick(contents);
        const hash = sha256(body);
        const good = random() < 0.7;
        const who = pick([OWNER, EDITOR, OTHER]);
        const key = who === OWNER ? chunkKey(hash) : staged(who, hash);
        if (world.put(key, good ? body : Buffer.from(`garbage ${random()}`)) && good) sentGood(who, hash);
      }
      owed.push(...world.notices.splice(0));
      const batch = owed.filter(() => random() < 0.6);
      const duplicated = [...batch, ...batch.filter(() => random() < 0.4)].sort(() => random() - 0.5);
      await Promise.all(duplicated.map((notice) => deliver(world, notice)));
      for (const notice of batch) owed.splice(owed.indexOf(notice), 1);
      owed.push(...world.notices.splice(0));
    }
    // In the end S3 delivers everything it owes, late ones included, retrying failures until they pass.
    world.notices.unshift(...owed.sort(() => random() - 0.5));
    await deliverAll(world);
    world.fault = undefined;
    await deliverAll(world);

    for (const body of contents) {
      const hash = sha256(body);
      const versions = world.objects.get(chunkKey(hash)) ?? [];
      const anyGood = (goodFrom.get(hash)?.size ?? 0) > 0;
      expect({ seed, hash, versions: versions.length }).toEqual({ seed, hash, versions: anyGood ? 1 : 0 });
      if (anyGood) {
        expect(versions[0].body).toEqual(body);
        expect(world.registered(hash)).toMatchObject({ size: body.length });
      }
      if (world.registered(hash)) expect(world.current(chunkKey(hash))?.body).toEqual(body);
      for (const who of [EDITOR, OTHER]) {
        expect({ seed, who, hash, held: world.held(who, hash) }).toEqual({ seed, who, hash, held: goodFrom.get(hash)?.has(who) ?? false });
        expect(world.objects.get(staged(who, hash)) ?? []).toEqual([]);
      }
    }
  });
});
