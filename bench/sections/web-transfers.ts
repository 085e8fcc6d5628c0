/**
 * One file of random bytes up and down through the web app in Chromium (playwright-core, Debian's
 * chromium), through the CLI's client library, and through the SDK alone (baseline.ts), all on the
 * same runtime and S3 endpoint, in rounds whose medians are reported. The browser's upload is timed
 * from choosing the file to its transfer showing done (cut and hashed in the worker, sent, committed),
 * its download from the click to the browser's download starting (every chunk fetched, written into
 * the staging file and verified, the whole content proven). Fresh content for each transfer, so
 * nothing deduplicates. Memory, for the upload and the download apart, per Chromium process
 * (browser-memory.ts): the page's JS heap, the tab's renderer (the page and its workers), the browser
 * process, the network service, and all of them together as PSS, sampled every 100 ms. One more
 * download alone, of a larger file put by the CLI, shows whether a download's memory grows with the
 * file. The profile is on disk by default, as a person's browser has; `--web-profile memory` runs an
 * off-the-record one, as the tests do, whose storage lives in memory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DEFAULT_TRANSFER_TUNING } from '../../client/src/core/transfer/environment';
import { webUrlOf } from '../../test/integration/harness/web-url';
import { newTab, openBrowser, openOnDiskProfile, signIn } from '../../test/integration/web/browser';
import { baselineDownload, baselineUpload, removeBaselineObject } from '../baseline';
import { withFootprint, type Footprint } from '../browser-memory';
import { randomFile, sha256File } from '../files';
import { fixed, mbPerSecond, median, mib, MiB, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';

const TIMEOUT_MS = 30 * 60_000;

export type WebProfile = 'disk' | 'memory';

interface LargeDownload {
  readonly size: number;
  readonly seconds: number;
  readonly footprint: Footprint;
  readonly load: [number, number];
}

interface Round {
  readonly browser: { up: number; down: number; upMemory: Footprint; downMemory: Footprint; load: [number, number] };
  readonly cli: { up: number; down: number };
  readonly sdk: { up: number; down: number };
}

async function openTab(profile: WebProfile, workDir: string): Promise<{ page: Page; close: () => Promise<void> }> {
  if (profile === 'memory') {
    const browser = await openBrowser();
    return { page: (await newTab(browser)).page, close: () => browser.close() };
  }
  const dir = await mkdtemp(join(workDir, 'chromium-profile-'));
  const { context, page }: { context: BrowserContext; page: Page } = await openOnDiskProfile(dir);
  return { page, close: async () => { await context.close(); await rm(dir, { recursive: true, force: true }); } };
}

async function inBrowser(service: Service, path: string, sha256: string, profile: WebProfile): Promise<Round['browser']> {
  const tab = await openTab(profile, service.workDir);
  try {
    const { page } = tab;
    await signIn(page, webUrlOf(service.target), service.user.email, service.user.password);
    const name = path.split('/').pop() as string;
    const up = await withFootprint(page, () =>
      timed(async () => {
        await page.locator('#upload-files').setInputFiles(path);
        await page.locator('li.transfer[data-transfer-status="done"]').waitFor({ timeout: TIMEOUT_MS });
      }),
    );
    if ((await page.locator('li.transfer[data-transfer-status="failed"]').count()) > 0) throw new Error('the browser upload failed');
    await page.getByRole('button', { name: 'Clear finished' }).click();
    const down = await browserDownload(service, page, name, sha256);
    return { up: up.value.seconds, down: down.seconds, upMemory: up.footprint, downMemory: down.footprint, load: down.load };
  } finally {
    await tab.close();
  }
}

/** Downloads `name` (in the folder shown) in the page, timed from the click to the browser's download starting, and checks its bytes. */
async function browserDownload(service: Service, page: Page, name: string, sha256: string): Promise<{ seconds: number; footprint: Footprint; load: [number, number] }> {
  const down = await withFootprint(page, () =>
    timed(async () => {
      const started = page.waitForEvent('download', { timeout: TIMEOUT_MS });
      await page.getByRole('button', { name: `Download ${name}` }).click();
      return started;
    }),
  );
  const load = loadavg();
  const saved = join(service.workDir, 'web-copy.bin');
  await down.value.value.saveAs(saved);
  if ((await sha256File(saved)) !== sha256) throw new Error(`the browser downloaded other bytes than ${name} holds`);
  await rm(saved);
  return { seconds: down.value.seconds, footprint: down.footprint, load: [load[0], load[1]] };
}

/** A larger file put by the CLI, downloaded in a fresh tab: whether the download's memory grows with the file. */
async function largeDownload(service: Service, size: number, profile: WebProfile): Promise<LargeDownload> {
  const name = 'web-large.bin';
  const file = await randomFile(join(service.workDir, name), size, 97);
  const device = await service.device('web-bench-large');
  await device.client.put(file.path, `/${name}`);
  await rm(file.path);
  const tab = await openTab(profile, service.workDir);
  try {
    await signIn(tab.page, webUrlOf(service.target), service.user.email, service.user.password);
    return { size, ...(await browserDownload(service, tab.page, name, file.sha256)) };
  } finally {
    await tab.close();
  }
}

async function round(service: Service, size: number, n: number, profile: WebProfile): Promise<Round> {
  const seed = 101 + 3 * n;
  const [forBrowser, forCli, forSdk] = await Promise.all(
    ['web-up', 'cli-up', 'sdk-up'].map((name, i) => randomFile(join(service.workDir, `${name}-${n}.bin`), size, seed + i)),
  );
  const concurrency = DEFAULT_TRANSFER_TUNING.concurrency;
  const { s3, bucket } = await service.baselineBucket();
  const sdkUp = await timed(() => baselineUpload(s3, bucket, 'web-bench.bin', forSdk.path, concurrency));
  const sdkCopy = join(service.workDir, 'sdk-copy.bin');
  const sdkDown = await timed(() => baselineDownload(s3, bucket, 'web-bench.bin', sdkCopy, size, concurrency));
  await removeBaselineObject(s3, bucket, 'web-bench.bin');
  s3.destroy();
  await rm(sdkCopy);

  const device = await service.device(`web-bench-cli-${n}`);
  const cliUp = await timed(() => device.client.put(forCli.path, `/bench/cli-up-${n}.bin`));
  const cliCopy = join(service.workDir, 'cli-copy.bin');
  const cliDown = await timed(() => device.client.get(`/bench/cli-up-${n}.bin`, cliCopy));
  if ((await sha256File(cliCopy)) !== forCli.sha256) throw new Error('the CLI downloaded other bytes than it uploaded');
  await rm(cliCopy);

  const browser = await inBrowser(service, forBrowser.path, forBrowser.sha256, profile);
  await Promise.all([forBrowser, forCli, forSdk].map((f) => rm(f.path)));
  return { browser, cli: { up: cliUp.seconds, down: cliDown.seconds }, sdk: { up: sdkUp.seconds, down: sdkDown.seconds } };
}

/** `largeSize`: a file downloaded once more in the browser alone, to show whether memory grows with the size (0: none). */
export async function webTransfers(service: Service, size: number, largeSize: number, rounds: number, profile: WebProfile, log: (line: string) => void): Promise<Table> {
  const results: Round[] = [];
  const memory = (f: Footprint) =>
    `heap ${mib(f.heap)}, tab ${mib(f.tabBefore)} at the start, ${mib(f.tab)} at the peak, browser process ${mib(f.browser)}, network service ${mib(f.network)}, all Chromium (PSS) ${mib(f.chromium)}`;
  const rate = (seconds: number) => fixed(mbPerSecond(size, seconds));
  for (let n = 0; n < rounds; n++) {
    const r = await round(service, size, n, profile);
    log(`web round ${n + 1}: up browser ${rate(r.browser.up)} / CLI ${rate(r.cli.up)} / SDK ${rate(r.sdk.up)} MB/s, down ${rate(r.browser.down)} / ${rate(r.cli.down)} / ${rate(r.sdk.down)} MB/s`);
    log(`web round ${n + 1}: browser peaks up ${memory(r.browser.upMemory)}; down ${memory(r.browser.downMemory)}; load average ${r.browser.load.map((l) => fixed(l, 2)).join(' / ')} (1 / 5 min)`);
    results.push(r);
  }
  const large = largeSize > 0 ? await largeDownload(service, largeSize, profile) : undefined;
  if (large) log(`web large download: ${mib(large.size)} at ${fixed(mbPerSecond(large.size, large.seconds))} MB/s; peaks ${memory(large.footprint)}`);
  const med = (pick: (r: Round) => number) => median(results.map(pick));
  const all = (pick: (r: Round) => number) => results.map((r) => fixed(pick(r), 1)).join(' / ');
  const memoryRow = 'page JS heap / tab resident at the start, at the peak / browser process / network service resident / all Chromium PSS, peaks (median), MiB';
  const footprintKeys = ['heap', 'tabBefore', 'tab', 'browser', 'network', 'chromium'] as const;
  const peaks = (pick: (r: Round) => Footprint) => footprintKeys.map((k) => fixed(med((r) => pick(r)[k]) / MiB, 0)).join(' / ');
  const largeRows: string[][] = large
    ? [
        [`Download alone of ${mib(large.size)} put by the CLI, MB/s`, fixed(mbPerSecond(large.size, large.seconds)), '', ''],
        [`Download alone of ${mib(large.size)}: ${memoryRow.replace(' (median)', '')}`, footprintKeys.map((k) => fixed(large.footprint[k] / MiB, 0)).join(' / '), '', ''],
        [`Load average (1 min) after the download of ${mib(large.size)}`, fixed(large.load[0], 1), '', ''],
      ]
    : [];
  return {
    title: `Web app in Chromium (profile ${profile === 'disk' ? 'on disk' : 'in memory'}) against the CLI and the SDK alone, ${mib(size)} of random bytes, same runtime (median of ${rounds})`,
    columns: ['Measure', 'Browser', 'CLI', 'SDK baseline, same S3'],
    rows: [
      ['Upload, MB/s', rate(med((r) => r.browser.up)), rate(med((r) => r.cli.up)), rate(med((r) => r.sdk.up))],
      ['Download, MB/s', rate(med((r) => r.browser.down)), rate(med((r) => r.cli.down)), rate(med((r) => r.sdk.down))],
      ['Upload: time per round, s', all((r) => r.browser.up), all((r) => r.cli.up), all((r) => r.sdk.up)],
      ['Download: time per round, s', all((r) => r.browser.down), all((r) => r.cli.down), all((r) => r.sdk.down)],
      [`Upload: ${memoryRow}`, peaks((r) => r.browser.upMemory), '', ''],
      [`Download: ${memoryRow}`, peaks((r) => r.browser.downMemory), '', ''],
      ['Load average (1 min) after the browser download', all((r) => r.browser.load[0]), '', ''],
      ...largeRows,
    ],
    note:
      'All three run against one runtime on one machine, headless Chromium included. Browser and CLI run the same engines (client/src/core): ' +
      'the browser cuts and hashes in a Web Worker (hash-wasm) and sends 6 chunk transfers at a time, the CLI 8; the browser stages downloads ' +
      'in the origin private file system before handing them over (from the download worker, through a synchronous access handle). ' +
      'SDK baseline: @aws-sdk/lib-storage multipart upload and ranged GETs, 5 MiB parts, 8 in flight, no hashing. ' +
      "Memory: the page's JS heap is its main thread's only (ArrayBuffers' bytes and the workers' heaps are outside it); the tab is the " +
      "renderer process's resident size (page and workers together); the browser process and the network service apart; all Chromium " +
      'sums every process\'s PSS (shared pages split, not counted twice). Peaks sampled every 100 ms, for the upload and the download apart.',
  };
}
