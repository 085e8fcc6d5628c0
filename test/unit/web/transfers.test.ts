import { ApiClient } from '../../../web/src/api/client';
import { WebError } from '../../../web/src/errors';
import { Transfers, type Progress } from '../../../web/src/transfer/transfers';

/** Work that runs until the test lets it finish (or its signal aborts it). */
function controllable() {
  const started: { progress: Progress; finish: (summary?: string) => void; fail: (e: unknown) => void; signal: AbortSignal }[] = [];
  const work = (progress: Progress, signal: AbortSignal) =>
    new Promise<string | void>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new WebError('CANCELLED', 'cancelled')));
      started.push({ progress, finish: resolve, fail: reject, signal });
    });
  return { started, work };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('web transfers (progress, cancel, errors)', () => {
  const transfers = () => new Transfers(new ApiClient({ endpoint: 'http://api.invalid' }));

  it('runs three at a time; the rest wait their turn', async () => {
    // Prepare
    const t = transfers();
    const { started, work } = controllable();
    // Act
    const done = [1, 2, 3, 4, 5].map((n) => t.start('upload', `f${n}`, 100, work));
    await settle();
    const runningAtFirst = started.length;
    started[0].finish();
    await settle();
    // Assess
    expect(runningAtFirst).toBe(3);
    expect(started).toHaveLength(4);
    expect(t.list().map((v) => v.status)).toEqual(['done', 'preparing', 'preparing', 'preparing', 'queued']);
    started.slice(1).forEach((s) => s.finish());
    await settle();
    started[4]?.finish();
    expect((await Promise.all(done)).map((v) => v.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
  });

  it('reports bytes done, a rate and a time left per transfer and in total', async () => {
    // Prepare
    const t = transfers();
    const { started, work } = controllable();
    const clock = jest.spyOn(performance, 'now');
    void t.start('download', 'big.bin', 1_000_000, work);
    await settle();
    // Act
    clock.mockReturnValue(1_000);
    started[0].progress.phase('sending');
    started[0].progress.done(0);
    clock.mockReturnValue(3_000);
    started[0].progress.done(400_000);
    const [view] = t.list();
    const totals = t.totals();
    clock.mockRestore();
    // Assess
    expect(view).toMatchObject({ status: 'sending', doneBytes: 400_000, rate: 200_000, etaSeconds: 3 });
    expect(totals).toEqual({ totalBytes: 1_000_000, doneBytes: 400_000, rate: 200_000, etaSeconds: 3, active: 1 });
  });

  it('cancels a running transfer through its signal and a waiting one before it starts', async () => {
    // Prepare
    const t = transfers();
    const { started, work } = controllable();
    const views = [1, 2, 3, 4].map((n) => t.start('upload', `f${n}`, 10, work));
    await settle();
    // Act
    t.cancel(1);
    t.cancel(4);
    const [first, , , fourth] = await Promise.all([views[0], Promise.resolve(), Promise.resolve(), views[3]]);
    // Assess
    expect(started[0].signal.aborted).toBe(true);
    expect(first.status).toBe('cancelled');
    expect(fourth.status).toBe('cancelled');
    expect(started).toHaveLength(3);
  });

  it('keeps a failure with its code until finished transfers are cleared', async () => {
    // Prepare
    const t = transfers();
    const { started, work } = controllable();
    const view = t.start('upload', 'f', 10, work);
    await settle();
    // Act
    started[0].fail(new WebError('CHUNKS_MISSING', 'the service lacks 2 chunks'));
    const failed = await view;
    t.clearFinished();
    // Assess
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'CHUNKS_MISSING', message: 'the service lacks 2 chunks' });
    expect(t.list()).toEqual([]);
  });
});
