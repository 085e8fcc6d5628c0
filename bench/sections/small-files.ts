/**
 * Many small files: writing a folder of them, counting the requests a device makes, and a folder of
 * them up by `put <folder>` (many-small.ts times every way; the sweep times uploads by concurrency).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { timed } from '../measure';
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

/** Uploads a fresh folder of small files (`name`d) with `concurrency` transfers; files per second, API and storage requests. */
export async function uploadSmallFiles(service: Service, spec: SmallFiles, name: string, concurrency: number, remote: string) {
  const root = join(service.workDir, name);
  writeSmallFiles(root, spec);
  const counter = countingFetch(service.target.apiUrl);
  const device = await service.device(name, { concurrency, fetch: counter.fetch });
  const put = await timed(() => device.client.put(root, remote));
  if (put.value.failed.length > 0 || put.value.files.length !== spec.count) {
    throw new Error(`${put.value.failed.length} of ${spec.count} small files failed: ${put.value.failed[0]?.message}`);
  }
  return { filesPerSecond: spec.count / put.seconds, seconds: put.seconds, apiRequests: counter.count(), storageRequests: counter.storage() };
}
