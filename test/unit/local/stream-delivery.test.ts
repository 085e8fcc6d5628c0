/**
 * Stream batches delivered as an event source mapping does: one synchronous invocation when it
 * works; on failure halves (bisect) down to the record that fails, retried up to the mapping's limit
 * and then reported; records past the maximum age are reported without more tries.
 */
import type { FunctionPool, InvokeResult } from '../../../local/lambda/function-pool';
import { deliverBatch, type DeliveryOptions } from '../../../local/streams/delivery';
import type { LambdaStreamRecord } from '../../../local/streams/records';

const record = (id: string, createdSecondsAgo = 0): LambdaStreamRecord => ({
  eventID: id,
  eventSource: 'aws:dynamodb',
  awsRegion: 'us-east-1',
  eventSourceARN: 'arn',
  dynamodb: { ApproximateCreationDateTime: Math.floor(Date.now() / 1000) - createdSecondsAgo },
});

/** A function that fails any batch holding a record in `poison`, recording the batches it saw. */
function poisoned(poison: readonly string[]) {
  const batches: string[][] = [];
  const pool = {
    invoke: async (event: { Records: LambdaStreamRecord[] }): Promise<InvokeResult> => {
      const ids = event.Records.map((r) => r.eventID as string);
      batches.push(ids);
      return ids.some((id) => poison.includes(id)) ? { ok: false, errorType: 'Error', errorMessage: 'bad record' } : { ok: true, payload: null };
    },
  } as unknown as FunctionPool;
  return { pool, batches };
}

function options(pool: FunctionPool, overrides: Partial<DeliveryOptions> = {}) {
  const failures: string[][] = [];
  const opts: DeliveryOptions = {
    pool,
    maxRetries: 2,
    bisectOnError: false,
    maxRecordAgeSeconds: -1,
    delaysMs: [1],
    signal: new AbortController().signal,
    onFailure: (records) => failures.push(records.map((r) => r.eventID as string)),
    ...overrides,
  };
  return { opts, failures };
}

describe('deliverBatch', () => {
  it('invokes once with the whole batch when the function succeeds', async () => {
    // Prepare
    const { pool, batches } = poisoned([]);
    const { opts, failures } = options(pool);
    // Act
    await deliverBatch([record('a'), record('b')], opts);
    // Assess
    expect(batches).toEqual([['a', 'b']]);
    expect(failures).toEqual([]);
  });

  it('retries a failing batch up to the limit, then reports it', async () => {
    // Prepare
    const { pool, batches } = poisoned(['b']);
    const { opts, failures } = options(pool);
    // Act
    await deliverBatch([record('a'), record('b')], opts);
    // Assess
    expect(batches).toEqual([['a', 'b'], ['a', 'b'], ['a', 'b']]);
    expect(failures).toEqual([['a', 'b']]);
  });

  it('bisects a failing batch down to the failing record, delivering the rest', async () => {
    // Prepare
    const { pool, batches } = poisoned(['c']);
    const { opts, failures } = options(pool, { bisectOnError: true, maxRetries: 0 });
    // Act
    await deliverBatch(['a', 'b', 'c', 'd'].map((id) => record(id)), opts);
    // Assess
    expect(batches).toEqual([['a', 'b', 'c', 'd'], ['a', 'b'], ['c', 'd'], ['c'], ['d']]);
    expect(failures).toEqual([['c']]);
  });

  it('stops retrying records older than the maximum record age', async () => {
    // Prepare
    const { pool, batches } = poisoned(['a']);
    const { opts, failures } = options(pool, { maxRetries: -1, maxRecordAgeSeconds: 60 });
    // Act
    await deliverBatch([record('a', 120)], opts);
    // Assess
    expect(batches).toEqual([['a']]);
    expect(failures).toEqual([['a']]);
  });
});
