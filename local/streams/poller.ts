/**
 * Event source mappings on DynamoDB Local's streams: every shard of each mapped table's stream is
 * read in order, records are filtered by the mapping's patterns (before the function is involved, as
 * Lambda does), cut into batches and delivered (delivery.ts). Lambda polls a shard four times a second
 * when it is idle; so does this. Shards open at start are read from LATEST (the mappings' starting
 * position) or TRIM_HORIZON; shards that appear later from their start, so nothing written is missed.
 * The initial iterators are taken before start() resolves: a write after the runtime is ready is seen.
 *
 * DynamoDB Local numbers stream records across all the streams of its (shared) database, so an
 * iterator taken on an empty shard points before the shard's first record once another table has
 * written, and reading it fails with TrimmedDataAccessException. A reader that has delivered nothing
 * yet then starts over from the shard's oldest record (all written since it started, as the shard
 * was empty); later, every failure resumes after the last record delivered. At least once, in order.
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { EventSink } from '../host/events';
import type { FunctionPool } from '../lambda/function-pool';
import { sleepUnless } from '../process/wait';
import type { StreamSourceModel } from '../template/stream-sources-model';
import { deliverBatch } from './delivery';
import { compileFilters } from './event-filter';
import { lambdaRecord } from './records';

export interface StreamPollerOptions {
  readonly sources: readonly StreamSourceModel[];
  /** Physical table names by logical id. */
  readonly tableNames: Readonly<Record<string, string>>;
  readonly pools: ReadonlyMap<string, FunctionPool>;
  readonly dynamoDb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly retryDelaysMs: readonly number[];
  readonly emit: EventSink;
  /** Pause between reads of a shard that had nothing new. @default 250 */
  readonly idlePollMs?: number;
  /** How often the shard list is read again (shards roll over). @default 30 s */
  readonly discoverEveryMs?: number;
}

export async function startStreamPollers(opts: StreamPollerOptions): Promise<{ stop(): Promise<void> }> {
  const stopping = new AbortController();
  const loops: Promise<void>[] = [];
  for (const source of opts.sources) {
    const pool = opts.pools.get(source.function.logicalId);
    if (!pool) continue;
    const table = await opts.dynamoDb.send(new DescribeTableCommand({ TableName: opts.tableNames[source.table] }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${opts.tableNames[source.table]} has no stream for ${source.logicalId}`);
    const poller = new SourcePoller(source, streamArn, pool, opts, stopping.signal);
    await poller.start();
    loops.push(poller.discoverForever());
  }
  return {
    async stop() {
      stopping.abort();
      await Promise.all(loops);
    },
  };
}

class SourcePoller {
  private readonly shardLoops = new Map<string, Promise<void>>();
  private readonly matches: (record: unknown) => boolean;
  private readonly warned = new Set<string>();

  constructor(
    private readonly source: StreamSourceModel,
    private readonly streamArn: string,
    private readonly pool: FunctionPool,
    private readonly opts: StreamPollerOptions,
    private readonly signal: AbortSignal,
  ) {
    this.matches = compileFilters(source.filterPatterns);
  }

  /** Positions a reader on every shard open now. */
  async start(): Promise<void> {
    for (const shard of await this.shards()) {
      if (shard.SequenceNumberRange?.EndingSequenceNumber !== undefined && this.source.startingPosition === 'LATEST') {
        this.shardLoops.set(shard.ShardId as string, Promise.resolve());
        continue;
      }
      await this.follow(shard, this.source.startingPosition);
    }
  }

  async discoverForever(): Promise<void> {
    while (!this.signal.aborted) {
      await sleepUnless(this.opts.discoverEveryMs ?? 30_000, this.signal);
      if (this.signal.aborted) break;
      try {
        for (const shard of await this.shards()) if (!this.shardLoops.has(shard.ShardId as string)) await this.follow(shard, 'TRIM_HORIZON');
      } catch (error) {
        this.warnOnce('discover', `reading the shards of ${this.source.logicalId}'s stream failed: ${(error as Error).message}`);
      }
    }
    await Promise.all(this.shardLoops.values());
  }

  private async shards(): Promise<Shard[]> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const page = await this.opts.streams.send(new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: start }));
      shards.push(...(page.StreamDescription?.Shards ?? []));
      start = page.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return shards;
  }

  private async follow(shard: Shard, type: ShardIteratorType): Promise<void> {
    const shardId = shard.ShardId as string;
    const iterator = await this.iterator(shardId, type);
    this.shardLoops.set(shardId, this.read(shardId, iterator));
  }

  private async iterator(shardId: string, type: ShardIteratorType, afterSequence?: string): Promise<string | undefined> {
    const answer = await this.opts.streams.send(
      new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: afterSequence }),
    );
    return answer.ShardIterator;
  }

  /** Reads one shard until it is closed and drained, or the runtime stops. */
  private async read(shardId: string, first: string | undefined): Promise<void> {
    let iterator = first;
    let last: string | undefined;
    while (iterator && !this.signal.aborted) {
      let page;
      try {
        page = await this.opts.streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
      } catch (error) {
        if (this.signal.aborted) return;
        if ((error as Error).name !== 'TrimmedDataAccessException') {
          this.warnOnce(shardId, `reading ${this.source.logicalId}'s stream failed (${(error as Error).message}); retrying`);
          await sleepUnless(1_000, this.signal);
        }
        // Going on after the last record delivered; before any, from the shard's oldest record (see resumeType).
        iterator = await this.iterator(shardId, last ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON', last).catch(() => iterator);
        continue;
      }
      const records = page.Records ?? [];
      last = records.at(-1)?.dynamodb?.SequenceNumber ?? last;
      const matching = records.map((r) => lambdaRecord(r, this.source.eventSourceArn)).filter((r) => this.matches(r));
      for (let i = 0; i < matching.length; i += this.source.batchSize) {
        await deliverBatch(matching.slice(i, i + this.source.batchSize), {
          pool: this.pool,
          maxRetries: this.source.maxRetries,
          bisectOnError: this.source.bisectOnError,
          maxRecordAgeSeconds: this.source.maxRecordAgeSeconds,
          delaysMs: this.opts.retryDelaysMs,
          signal: this.signal,
          onFailure: (batch, failure, attempts) =>
            this.opts.emit({
              type: 'warning',
              message: `${this.source.function.name} failed on ${batch.length} record(s) of ${this.source.logicalId} after ${attempts} attempt(s), which are dropped (${failure.errorType}: ${failure.errorMessage})`,
            }),
        });
      }
      iterator = page.NextShardIterator;
      if (records.length === 0) await sleepUnless(this.opts.idlePollMs ?? 250, this.signal);
    }
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.opts.emit({ type: 'warning', message });
  }
}
