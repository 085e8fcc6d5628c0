import { ToteError } from '../../../client/src/core/errors';
import { backoffDelay, RETRY_BACKOFF, retryDelayFor } from '../../../client/src/core/retry/backoff';
import { withRetry } from '../../../client/src/core/retry/retry';

describe('backoffDelay (full jitter)', () => {
  const shape = { baseMs: 100, capMs: 1_000 };

  it.each([
    [0, 100],
    [1, 200],
    [2, 400],
    [3, 800],
    [4, 1_000],
    [20, 1_000],
  ])('retry %i waits at most %i ms', (attempt, ceiling) => {
    expect(backoffDelay(attempt, shape, () => 0)).toBe(0);
    expect(backoffDelay(attempt, shape, () => 0.999999)).toBe(ceiling - 1);
    expect(backoffDelay(attempt, shape, () => 0.5)).toBe(Math.floor(ceiling / 2));
  });

  it('spreads delays over the whole window', () => {
    const delays = Array.from({ length: 2_000 }, () => backoffDelay(3, shape));
    expect(Math.min(...delays)).toBeLessThan(80);
    expect(Math.max(...delays)).toBeGreaterThan(720);
    expect(delays.every((d) => d >= 0 && d < 800)).toBe(true);
  });
});

describe('retry policy', () => {
  it.each(['NETWORK', 'UNAVAILABLE', 'INTERNAL', 'THROTTLED', 'CHUNK_CORRUPT'] as const)('retries %s', (code) => {
    expect(RETRY_BACKOFF[code]).toBeDefined();
    expect(retryDelayFor(code, 0, () => 0.5)).toBeGreaterThan(0);
  });

  it.each(['NOT_FOUND', 'VALIDATION_FAILED', 'REVISION_CONFLICT', 'URL_REJECTED', 'LOCAL_CHANGED', 'UNEXPECTED'] as const)(
    'does not retry %s',
    (code) => {
      expect(retryDelayFor(code, 0)).toBeUndefined();
    },
  );
});

describe('withRetry', () => {
  const noWait = { sleep: async () => undefined, random: () => 0.5 };

  it('retries transient failures, reports each retry, and returns the eventual result', async () => {
    const retries: [string, number, number][] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw new ToteError('UNAVAILABLE', 'try later');
        return 'ok';
      },
      { attempts: 5, ...noWait, onRetry: (e, attempt, delay) => retries.push([e.code, attempt, delay]) },
    );
    expect(result).toBe('ok');
    expect(retries).toEqual([
      ['UNAVAILABLE', 1, 250],
      ['UNAVAILABLE', 2, 500],
    ]);
  });

  it('gives up after the allowed attempts with the last error', async () => {
    let calls = 0;
    const failing = withRetry(
      async () => {
        calls += 1;
        throw new ToteError('NETWORK', `down ${calls}`);
      },
      { attempts: 3, ...noWait },
    );
    await expect(failing).rejects.toMatchObject({ code: 'NETWORK', message: 'down 3' });
    expect(calls).toBe(3);
  });

  it('does not retry failures that are not transient, and codes unknown throws', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw new ToteError('NOT_FOUND', 'gone');
        },
        { attempts: 5, ...noWait },
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(withRetry(async () => Promise.reject(new TypeError('bug')), { attempts: 5, ...noWait })).rejects.toMatchObject({
      code: 'UNEXPECTED',
      message: 'bug',
    });
    expect(calls).toBe(1);
  });
});
