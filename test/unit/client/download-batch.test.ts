/**
 * The batch protocol of the transfer core (core/transfer/download-batch.ts) against a scripted API:
 * a request per thousand files, answers matched to files by position, per-file failures recorded
 * while the others go on, a bounded number of files in flight, and a global error stopping it all.
 */
import { LIMITS } from '@contract/limits';
import type { DownloadBatchRequest, DownloadResponse } from '@contract/schemas';
import type { TransferEvent } from '../../../client/src/core/events';
import { ToteError } from '../../../client/src/core/errors';
import { DownloadBatches, type BatchDownload } from '../../../client/src/core/transfer/download-batch';
import { FileOutcomes } from '../../../client/src/core/transfer/outcomes';

const page = (fileId: string) => ({ file: { fileId }, chunks: [], urlsExpireAt: '2026-01-01T00:00:00.000Z' }) as unknown as DownloadResponse;

/** Answers every id but those starting with `missing` with a page; records each request's ids. */
function scriptedApi(requests: string[][]) {
  return {
    call: async (_route: 'downloadBatch', input: { body: DownloadBatchRequest }) => {
      const ids = input.body.files.map((f) => ('fileId' in f ? f.fileId : f.path));
      requests.push(ids);
      return { results: ids.map((id) => (id.startsWith('missing') ? { ok: false as const, error: { code: 'NOT_FOUND', message: 'not found' } } : { ok: true as const, download: page(id) })) };
    },
  };
}

function files(ids: string[], run: (page: DownloadResponse) => Promise<string>): BatchDownload<string>[] {
  return ids.map((id) => ({ label: `/local/${id}`, ref: { fileId: id }, run }));
}

describe('DownloadBatches', () => {
  it(`asks for ${LIMITS.batchMaxFiles} files per request, runs each with its own page, and records refused files in place`, async () => {
    const requests: string[][] = [];
    const events: TransferEvent[] = [];
    const outcomes = new FileOutcomes<string>((e) => events.push(e));
    let inFlight = 0;
    let most = 0;
    const batches = new DownloadBatches({ api: scriptedApi(requests) as never, concurrency: 4, fetch }, outcomes);
    const ids = Array.from({ length: 2 * LIMITS.batchMaxFiles + 1 }, (_, i) => (i % 500 === 7 ? `missing-${i}` : `f${i}`));

    await batches.add(
      files(ids, async (p) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        return p.file.fileId;
      }),
    );
    await batches.finish();

    expect(requests.map((r) => r.length)).toEqual([LIMITS.batchMaxFiles, LIMITS.batchMaxFiles, 1]);
    expect(outcomes.results.sort()).toEqual(ids.filter((id) => !id.startsWith('missing')).sort());
    expect(outcomes.failed).toEqual(ids.filter((id) => id.startsWith('missing')).map((id) => ({ localPath: `/local/${id}`, code: 'NOT_FOUND', message: 'not found' })));
    expect(events.filter((e) => e.type === 'warning')).toHaveLength(outcomes.failed.length);
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
  });

  it('keeps going past a file that fails on its own, and stops at an error that concerns every file', async () => {
    const requests: string[][] = [];
    const outcomes = new FileOutcomes<string>(() => undefined);
    const batches = new DownloadBatches({ api: scriptedApi(requests) as never, concurrency: 2, fetch }, outcomes);
    const started: string[] = [];

    await batches.add(
      files(['a', 'b', 'c', 'd', 'e', 'f'], async (p) => {
        const id = p.file.fileId;
        started.push(id);
        if (id === 'b') throw new ToteError('CHUNK_CORRUPT', 'bad bytes');
        if (id === 'c') throw new ToteError('NETWORK', 'offline');
        return id;
      }),
    );
    const finished = batches.finish();

    await expect(finished).rejects.toMatchObject({ code: 'NETWORK' });
    expect(outcomes.failed).toEqual([expect.objectContaining({ localPath: '/local/b', code: 'CHUNK_CORRUPT' })]);
    expect(started).not.toContain('f');
  });

  it('asks again for the files a request ran out of time for, and gives up on them only when a request gets none done', async () => {
    const requests: string[][] = [];
    // Signs the first 3 files of each request and defers the rest; 'stuck' files are always deferred.
    const api = {
      call: async (_route: 'downloadBatch', input: { body: DownloadBatchRequest }) => {
        const ids = input.body.files.map((f) => ('fileId' in f ? f.fileId : f.path));
        requests.push(ids);
        const deferred = { ok: false as const, error: { code: 'BATCH_DEFERRED', message: 'ask again' } };
        return { results: ids.map((id, i) => (i < 3 && !id.startsWith('stuck') ? { ok: true as const, download: page(id) } : deferred)) };
      },
    };
    const outcomes = new FileOutcomes<string>(() => undefined);
    const batches = new DownloadBatches({ api: api as never, concurrency: 2, fetch }, outcomes);
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'stuck-1', 'stuck-2'];

    await batches.add(files(ids, async (p) => p.file.fileId));
    await batches.finish();

    expect(requests).toEqual([ids, ids.slice(3), ids.slice(6), ['stuck-1', 'stuck-2']]);
    expect(outcomes.results.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(outcomes.failed.map((f) => [f.localPath, f.code])).toEqual([
      ['/local/stuck-1', 'BATCH_DEFERRED'],
      ['/local/stuck-2', 'BATCH_DEFERRED'],
    ]);
  });
});
