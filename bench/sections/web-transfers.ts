/**
 * One file of random bytes up and down through the web app in Chromium (playwright-core, Debian's
 * chromium), through the CLI's client library, and through the SDK alone (baseline.ts), all on the
 * same runtime and S3 endpoint, in rounds whose medians are reported. The browser's upload is timed
 * from choosing the file to its transfer showing done (cut and hashed in the worker, sent, committed),
 * its download from the click to the browser's download starting (every chunk fetched, written into
 * the staging file and verified, the whole content proven). Fresh content for each transfer, so
 * nothing deduplicates. Memory: the page's JS heap (main thread, sampled through the DevTools
 * protocol) and the renderer process's peak resident size (the tab, its hashing worker included).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_TRANSFER_TUNING } from '../../client/src/core/transfer/environment';
import { webUrlOf } from '../../test/integration/harness/web-url';
import { newTab, openBrowser, signIn } from '../../test/integration/web/browser';
import { baselineDownload, baselineUpload, removeBaselineObject } from '../baseline';
import { randomFile, sha256File } from '../files';
import { fixed, mbPerSecond, median, mib, MiB, timed, watchPeakRss } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';

const TIMEOUT_MS = 30 * 60_000;

interface Round {
  readonly browser: { up: number; down: number; heap: number; tab: number };
  readonly cli: { up: number; down: number };
  readonly sdk: { up: number; down: number };
}

/** The largest JS heap the page's main thread used while `work` ran (sampled every 100 ms). */
async function withPeakHeap<T>(page: Page, work: () => Promise<T>): Promise<{ value: T; peak: number }> {
  const cdp = await page.context().newCDPSession(page);
  let peak = 0;
  let sampling = true;
  const sample = async () => {
    while (sampling) {
      const { usedSize } = (await cdp.send('Runtime.getHeapUsage').catch(() => ({ usedSize: 0 }))) as { usedSize: number };
      peak = Math.max(peak, usedSize);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const sampler = sample();
  try {
    return { value: await work(), peak };
  } finally {
    sampling = false;
    await sampler;
    await cdp.detach().catch(() => undefined);
  }
}

/** Peak resident size of each renderer process the browser has now (one tab: its page and worker). */
async function watchRenderers(browser: Browser): Promise<{ stop(): number }> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await cdp.detach();
  const watches = processInfo.filter((p) => p.type === 'renderer').map((p) => watchPeakRss(p.id, 100));
  return { stop: () => Math.max(0, ...watches.map((w) => w.stop())) };
}

async function inBrowser(service: Service, path: string, sha256: string): Promise<Round['browser']> {
  const browser = await openBrowser();
  try {
    const { page } = await newTab(browser);
    await signIn(page, webUrlOf(service.target), service.user.email, service.user.password);
    const renderers = await watchRenderers(browser);
    const name = path.split('/').pop() as string;
    const up = await withPeakHeap(page, () =>
      timed(async () => {
        await page.locator('#upload-files').setInputFiles(path);
        await page.locator('li.transfer[data-transfer-status="done"]').waitFor({ timeout: TIMEOUT_MS });
      }),
    );
    if ((await page.locator('li.transfer[data-transfer-status="failed"]').count()) > 0) throw new Error('the browser upload failed');
    await page.getByRole('button', { name: 'Clear finished' }).click();
    const down = await withPeakHeap(page, () =>
      timed(async () => {
        const started = page.waitForEvent('download', { timeout: TIMEOUT_MS });
        await page.getByRole('button', { name: `Download ${name}` }).click();
        return started;
      }),
    );
    const tab = renderers.stop();
    const saved = join(service.workDir, 'web-copy.bin');
    await down.value.value.saveAs(saved);
    if ((await sha256File(saved)) !== sha256) throw new Error('the browser downloaded other bytes than it uploaded');
    await rm(saved);
    return { up: up.value.seconds, down: down.value.seconds, heap: Math.max(up.peak, down.peak), tab };
  } finally {
    await browser.close();
  }
}

async function round(service: Service, size: number, n: number): Promise<Round> {
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

  const browser = await inBrowser(service, forBrowser.path, forBrowser.sha256);
  await Promise.all([forBrowser, forCli, forSdk].map((f) => rm(f.path)));
  return { browser, cli: { up: cliUp.seconds, down: cliDown.seconds }, sdk: { up: sdkUp.seconds, down: sdkDown.seconds } };
}

export async function webTransfers(service: Service, size: number, rounds: number, log: (line: string) => void): Promise<Table> {
  const results: Round[] = [];
  const rate = (seconds: number) => fixed(mbPerSecond(size, seconds));
  for (let n = 0; n < rounds; n++) {
    const r = await round(service, size, n);
    log(`web round ${n + 1}: up browser ${rate(r.browser.up)} / CLI ${rate(r.cli.up)} / SDK ${rate(r.sdk.up)} MB/s, down ${rate(r.browser.down)} / ${rate(r.cli.down)} / ${rate(r.sdk.down)} MB/s`);
    results.push(r);
  }
  const med = (pick: (r: Round) => number) => median(results.map(pick));
  const all = (pick: (r: Round) => number) => results.map((r) => fixed(pick(r), 1)).join(' / ');
  return {
    title: `Web app in Chromium against the CLI and the SDK alone, ${mib(size)} of random bytes, same runtime (median of ${rounds})`,
    columns: ['Measure', 'Browser', 'CLI', 'SDK baseline, same S3'],
    rows: [
      ['Upload, MB/s', rate(med((r) => r.browser.up)), rate(med((r) => r.cli.up)), rate(med((r) => r.sdk.up))],
      ['Download, MB/s', rate(med((r) => r.browser.down)), rate(med((r) => r.cli.down)), rate(med((r) => r.sdk.down))],
      ['Upload: time per round, s', all((r) => r.browser.up), all((r) => r.cli.up), all((r) => r.sdk.up)],
      ['Download: time per round, s', all((r) => r.browser.down), all((r) => r.cli.down), all((r) => r.sdk.down)],
      ['Page JS heap, peak (median), MiB', fixed(med((r) => r.browser.heap) / MiB), '', ''],
      ['Tab (renderer process) resident, peak (median), MiB', fixed(med((r) => r.browser.tab) / MiB), '', ''],
    ],
    note:
      'All three run against one runtime on one machine, headless Chromium included. Browser and CLI run the same engines (client/src/core): ' +
      'the browser cuts and hashes in a Web Worker (hash-wasm) and sends 6 chunk transfers at a time, the CLI 8; the browser stages downloads ' +
      'in the origin private file system before handing them over. SDK baseline: @aws-sdk/lib-storage multipart upload and ranged GETs, ' +
      '5 MiB parts, 8 in flight, no hashing. JS heap: the page\'s main thread only (the worker has its own); the renderer\'s resident peak ' +
      'covers the page and its worker.',
  };
}
