/**
 * Many small files: a folder of them up (`put <folder>`, which uses the batch endpoints), and down
 * (every file fetched with `get`, as many at once as the client's transfers), counted in files per
 * second and in API requests.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { fixed, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';

export interface SmallFiles {
  readonly count: number;
  readonly bytes: number;
  /** Files per folder (a folder listing pages at 1,000). */
  readonly perFolder: number;
}

/** A fetch that counts the requests made to the API (`count`) and, apart, those to storage (`storage`). */
export function countingFetch(apiUrl: string): { fetch: typeof fetch; count: () => number; storage: () => number } {
  const origin = new URL(apiUrl).origin;
  let requests = 0;
  let storage = 0;
  return {
    fetch: (input, init) => {
      if (new URL(input instanceof Request ? input.url : String(input)).origin === origin) requests += 1;
      else storage += 1;
      return fetch(input, init);
    },
    count: () => requests,
    storage: () => storage,
  };
}

/** Writes the files (random bytes, so no two share a chunk) under `root`, in folders of `perFolder`. */
export function writeSmallFiles(root: string, spec: SmallFiles): void {
  for (let i = 0; i < spec.count; i++) {
    const folder = join(root, `d${String(Math.floor(i / spec.perFolder)).padStart(3, '0')}`);
    if (i % spec.perFolder === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `f${String(i).padStart(5, '0')}.bin`), randomBytes(spec.bytes));
  }
}

/**
 * Uploads a fresh folder of small files (`name`d) with `concurrency` transfers, small files in packs or
 * not (`packs`, default the client's); files per second, API and storage requests, and the tail: from
 * the last byte PUT to the last file committed (the tracker's registering, and the commits waiting for it).
 */
export async function uploadSmallFiles(service: Service, spec: SmallFiles, name: string, concurrency: number, remote: string, packs?: boolean) {
  const root = join(service.workDir, name);
  writeSmallFiles(root, spec);
  const counter = countingFetch(service.target.apiUrl);
  const device = await service.device(name, { concurrency, fetch: counter.fetch, ...(packs === undefined ? {} : { packs }) });
  const put = await timed(() => device.client.put(root, remote));
  if (put.value.failed.length > 0 || put.value.files.length !== spec.count) {
    throw new Error(`${put.value.failed.length} of ${spec.count} small files failed: ${put.value.failed[0]?.message}`);
  }
  const lastAt = (match: (e: (typeof device.events)[number]) => boolean) => Math.max(...device.times.filter((_, i) => match(device.events[i])));
  const tailSeconds = (lastAt((e) => e.type === 'upload.done') - lastAt((e) => e.type === 'upload.chunk' && e.outcome === 'sent')) / 1000;
  return { filesPerSecond: spec.count / put.seconds, seconds: put.seconds, apiRequests: counter.count(), storageRequests: counter.storage(), tailSeconds };
}

export async function smallFiles(service: Service, spec: SmallFiles, concurrency: number): Promise<Table> {
  const remote = '/bench/small';
  const up = await uploadSmallFiles(service, spec, 'small-up', concurrency, remote);

  const counter = countingFetch(service.target.apiUrl);
  const device = await service.device('small-down', { concurrency, fetch: counter.fetch });
  const target = join(service.workDir, 'small-down');
  const down = await timed(async () => {
    const folders = (await device.client.ls(remote)).filter((e) => e.kind === 'folder');
    const limit = pLimit(concurrency);
    let files = 0;
    for (const folder of folders) {
      const local = join(target, folder.name);
      mkdirSync(local, { recursive: true });
      const entries = (await device.client.ls(folder.path)).filter((e) => e.kind === 'file');
      await Promise.all(entries.map((e) => limit(() => device.client.get(`id:${e.fileId}`, join(local, e.name)))));
      files += entries.length;
    }
    return files;
  });
  if (down.value !== spec.count) throw new Error(`downloaded ${down.value} of ${spec.count} small files`);

  return {
    title: `${spec.count.toLocaleString('en')} files of ${spec.bytes / 1024} KiB`,
    columns: ['Measure', 'Up', 'Down'],
    rows: [
      ['Files per second', fixed(up.filesPerSecond, 0), fixed(spec.count / down.seconds, 0)],
      ['Time, s', fixed(up.seconds), fixed(down.seconds)],
      ['API requests', String(up.apiRequests), String(counter.count())],
    ],
    note:
      `Up: \`put\` of a folder (${spec.count / spec.perFolder} folders of ${spec.perFolder}), hashed, started, committed through the batch ` +
      `endpoints, ${concurrency} chunk transfers in flight. Down: each file by \`get\` (metadata, one download page, one chunk, verified, ` +
      `written to a temp file, flushed and renamed), ${concurrency} files at a time; for \`get <folder>\` through batches see its own table.`,
  };
}
