/**
 * One file of random bytes up and down through the web app in Chromium (playwright-core, Debian's
 * chromium), through the CLI's client library, and through the SDK alone (baseline.ts), all on the
 * same runtime and S3 endpoint, in rounds whose medians are reported. The browser's upload is timed
 * from choosing the file to its transfer showing done (cut and hashed in the worker, sent, committed),
 * its download from the click to the browser's download starting (every chunk fetched, written into
 * the staging file and verified, the whole content proven). Fresh content for each transfer, so
 * nothing deduplicates. Memory, for the upload and the download apart: the page's JS heap (main
 * thread, sampled through the DevTools protocol), the tab's renderer process's resident size (its
 * hashing worker included) and all of Chromium's processes together (the browser process holds the
 * origin private file system's files and the finished download), sampled every 100 ms. The profile is
 * on disk by default, as a person's browser has; `--web-profile memory` runs an off-the-record one,
 * as the tests do, whose storage lives in memory.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DEFAULT_TRANSFER_TUNING } from '../../client/src/core/transfer/environment';
import { webUrlOf } from '../../test/integration/harness/web-url';
import { newTab, openBrowser, openOnDiskProfile, signIn } from '../../test/integration/web/browser';
import { baselineDownload, baselineUpload, removeBaselineObject } from '../baseline';
import { randomFile, sha256File } from '../files';
import { fixed, mbPerSecond, median, mib, MiB, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';

const TIMEOUT_MS = 30 * 60_000;

export type WebProfile = 'disk' | 'memory';

/** Peaks of one transfer in the browser, in bytes. */
interface Footprint {
  /** The tab's resident size when the transfer started. */
  readonly tabBefore: number;
  readonly heap: number;
  readonly tab: number;
  readonly chromium: number;
}

interface Round {
  readonly browser: { up: number; down: number; upMemory: Footprint; downMemory: Footprint; load: [number, number] };
  readonly cli: { up: number; down: number };
  readonly sdk: { up: number; down: number };
}

/** Chromium's processes among this process's descendants (the browsers the bench launched). */
async function chromiumProcesses(): Promise<{ pid: number; renderer: boolean }[]> {
  const parentOf = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid) parentOf.set(Number(name), ppid);
  }
  const isOurs = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined; p = parentOf.get(p)) if (p === process.pid) return true;
    return false;
  };
  const ours = [...parentOf.keys()].filter(isOurs);
  const lines = await Promise.all(ours.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')));
  return ours.flatMap((pid, i) => (lines[i].includes('chrom') ? [{ pid, renderer: lines[i].includes('--type=renderer') }] : []));
}

const residentBytes = async (pid: number): Promise<number> =>
  1024 * Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8').catch(() => ''))?.[1] ?? 0);

/**
 * Peak resident size, sampled every 100 ms while `work` runs: of the largest renderer (the tab and its
 * worker), of all Chromium's processes together, and of the page's JS heap (main thread).
 */
async function withFootprint<T>(page: Page, work: () => Promise<T>): Promise<{ value: T; footprint: Footprint }> {
  const processes = await chromiumProcesses();
  const cdp = await page.context().newCDPSession(page);
  const renderers = processes.filter((p) => p.renderer);
  const peak = { tabBefore: Math.max(0, ...(await Promise.all(renderers.map((p) => residentBytes(p.pid))))), heap: 0, tab: 0, chromium: 0 };
  let sampling = true;
  const sample = async () => {
    while (sampling) {
      const [{ usedSize }, sizes] = await Promise.all([
        cdp.send('Runtime.getHeapUsage').catch(() => ({ usedSize: 0 })) as Promise<{ usedSize: number }>,
        Promise.all(processes.map((p) => residentBytes(p.pid))),
      ]);
      peak.heap = Math.max(peak.heap, usedSize);
      peak.tab = Math.max(peak.tab, ...sizes.filter((_, i) => processes[i].renderer));
      peak.chromium = Math.max(peak.chromium, sizes.reduce((a, b) => a + b, 0));
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const sampler = sample();
  try {
    return { value: await work(), footprint: peak };
  } finally {
    sampling = false;
    await sampler;
    await cdp.detach().catch(() => undefined);
  }
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
    if ((await sha256File(saved)) !== sha256) throw new Error('the browser downloaded other bytes than it uploaded');
    await rm(saved);
    return { up: up.value.seconds, down: down.value.seconds, upMemory: up.footprint, downMemory: down.footprint, load: [load[0], load[1]] };
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

export async function webTransfers(service: Service, size: number, rounds: number, profile: WebProfile, log: (line: string) => void): Promise<Table> {
  const results: Round[] = [];
  const rate = (seconds: number) => fixed(mbPerSecond(size, seconds));
  for (let n = 0; n < rounds; n++) {
    const r = await round(service, size, n, profile);
    const memory = (f: Footprint) => `heap ${mib(f.heap)}, tab ${mib(f.tabBefore)} at the start, ${mib(f.tab)} at the peak, Chromium ${mib(f.chromium)}`;
    log(`web round ${n + 1}: up browser ${rate(r.browser.up)} / CLI ${rate(r.cli.up)} / SDK ${rate(r.sdk.up)} MB/s, down ${rate(r.browser.down)} / ${rate(r.cli.down)} / ${rate(r.sdk.down)} MB/s`);
    log(`web round ${n + 1}: browser peaks up ${memory(r.browser.upMemory)}; down ${memory(r.browser.downMemory)}; load average ${r.browser.load.map((l) => fixed(l, 2)).join(' / ')} (1 / 5 min)`);
    results.push(r);
  }
  const med = (pick: (r: Round) => number) => median(results.map(pick));
  const all = (pick: (r: Round) => number) => results.map((r) => fixed(pick(r), 1)).join(' / ');
  const peaks = (pick: (r: Round) => Footprint) => (['tabBefore', 'heap', 'tab', 'chromium'] as const).map((k) => fixed(med((r) => pick(r)[k]) / MiB, 0)).join(' / ');
  return {
    title: `Web app in Chromium (profile ${profile === 'disk' ? 'on disk' : 'in memory'}) against the CLI and the SDK alone, ${mib(size)} of random bytes, same runtime (median of ${rounds})`,
    columns: ['Measure', 'Browser', 'CLI', 'SDK baseline, same S3'],
    rows: [
      ['Upload, MB/s', rate(med((r) => r.browser.up)), rate(med((r) => r.cli.up)), rate(med((r) => r.sdk.up))],
      ['Download, MB/s', rate(med((r) => r.browser.down)), rate(med((r) => r.cli.down)), rate(med((r) => r.sdk.down))],
      ['Upload: time per round, s', all((r) => r.browser.up), all((r) => r.cli.up), all((r) => r.sdk.up)],
      ['Download: time per round, s', all((r) => r.browser.down), all((r) => r.cli.down), all((r) => r.sdk.down)],
      ['Upload: tab resident at the start / page JS heap / tab resident / all Chromium resident, peak (median), MiB', peaks((r) => r.browser.upMemory), '', ''],
      ['Download: tab resident at the start / page JS heap / tab resident / all Chromium resident, peak (median), MiB', peaks((r) => r.browser.downMemory), '', ''],
      ['Load average (1 min) after the browser download', all((r) => r.browser.load[0]), '', ''],
    ],
    note:
      'All three run against one runtime on one machine, headless Chromium included. Browser and CLI run the same engines (client/src/core): ' +
      'the browser cuts and hashes in a Web Worker (hash-wasm) and sends 6 chunk transfers at a time, the CLI 8; the browser stages downloads ' +
      'in the origin private file system before handing them over. SDK baseline: @aws-sdk/lib-storage multipart upload and ranged GETs, ' +
      '5 MiB parts, 8 in flight, no hashing. JS heap: the page\'s main thread only (the worker has its own); the tab\'s resident peak ' +
      'covers the page and its worker; all Chromium adds the browser, GPU and utility processes (where the origin private file system and the ' +
      'download live). Sampled every 100 ms, for the upload and the download apart.',
  };
}
