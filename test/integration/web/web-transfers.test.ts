/**
 * Transfers in a real browser (Debian's Chromium through playwright-core) against the suite's runtime,
 * through the shared transfer core: a file picked in the page reaches the CLI byte for byte, a file
 * the CLI put is downloaded and verified in the page, and an upload interrupted by a reload sends only
 * the chunks storage has not accepted yet when the same file is chosen again. The upload-in-progress
 * screenshot goes to docs/web/ (committed; the README shows it).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { openDevice, type Device } from '../client/devices';
import { randomFile, sha256File } from '../client/files';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { createUser, type TestUser } from '../harness/users';
import { webUrlOf } from '../harness/web-url';
import { chromiumAvailable, newTab, openBrowser, signIn } from './browser';

const SCREENSHOTS = path.join(__dirname, '../../../docs/web');
const TEST_TIMEOUT_MS = 180_000;
const MiB = 1024 * 1024;
const describeInBrowser = chromiumAvailable() ? describe : describe.skip;

/** PUTs of chunk bytes to storage (presigned URLs), as opposed to the API's own requests. */
const isChunkPut = (target: Target) => (url: URL, method: string) => method === 'PUT' && !url.href.startsWith(target.apiUrl);

/** The row of a transfer once it has finished, and what it says. */
async function finishedTransfer(page: Page, name: string): Promise<{ status: string; text: string }> {
  const row = page.locator('li.transfer', { hasText: name }).locator('xpath=self::*[@data-transfer-status="done" or @data-transfer-status="failed" or @data-transfer-status="cancelled"]');
  await row.first().waitFor({ timeout: TEST_TIMEOUT_MS });
  return { status: (await row.first().getAttribute('data-transfer-status')) ?? '', text: await row.first().innerText() };
}

/** Chunks the page's upload ledger (IndexedDB) holds as accepted by storage (evaluated in the page). */
const confirmedInLedger = (page: Page): Promise<number> =>
  page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('tote');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const all = open.result.transaction('upload-sessions').objectStore('upload-sessions').getAll();
      all.onsuccess = () => resolve(all.result.reduce((n, s) => n + s.confirmed.length, 0));
      all.onerror = () => reject(all.error);
    };
  })`) as Promise<number>;

/** Sizes of the download staging files in the page's origin private file system (evaluated in the page). */
const stagedSizes = (page: Page): Promise<number[]> =>
  page.evaluate(`(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('tote-downloads');
    const sizes = [];
    for await (const handle of dir.values()) sizes.push((await handle.getFile()).size);
    return sizes;
  })()`) as Promise<number[]>;

describeInBrowser('web transfers in Chromium', () => {
  let target: Target;
  let webUrl: string;
  let alice: TestUser;
  let aliceCli: Device;
  let browser: Browser;

  beforeAll(async () => {
    target = await getTarget();
    webUrl = webUrlOf(target);
    [alice, browser] = await Promise.all([createUser(target, `alice-tx-${randomUUID().slice(0, 8)}@example.com`), openBrowser()]);
    aliceCli = await openDevice(target, alice, 'alice-cli');
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    aliceCli?.client.close();
    await browser?.close();
  });

  it('a 64 MiB file picked in the page is uploaded, and the CLI downloads it byte-identical', async () => {
    // Prepare
    const local = await randomFile(64 * MiB, 'big.bin');
    const { context, page, problems } = await newTab(browser);
    await signIn(page, webUrl, alice.email, alice.password);
    // Act
    await page.locator('#upload-files').setInputFiles(local);
    const transfer = await finishedTransfer(page, 'big.bin');
    await page.getByRole('cell', { name: 'big.bin', exact: true }).waitFor();
    const copy = path.join(path.dirname(local), 'copy.bin');
    await aliceCli.client.get('/big.bin', copy);
    // Assess
    expect(transfer.status).toBe('done');
    expect(transfer.text).toMatch(/(\d+) of \1 chunks sent/);
    expect(await sha256File(copy)).toBe(await sha256File(local));
    expect(problems).toEqual([]);
    await context.close();
  }, TEST_TIMEOUT_MS);

  it('a file the CLI uploaded is downloaded in the page, every chunk verified, the bytes identical', async () => {
    // Prepare
    const local = await randomFile(20 * MiB + 12_345, 'from-cli.bin');
    await aliceCli.client.put(local, '/from-cli.bin');
    const { context, page, problems } = await newTab(browser);
    await signIn(page, webUrl, alice.email, alice.password);
    // Act
    const downloading = page.waitForEvent('download', { timeout: TEST_TIMEOUT_MS });
    await page.getByRole('button', { name: 'Download from-cli.bin' }).click();
    const download = await downloading;
    const saved = path.join(path.dirname(local), 'saved.bin');
    await download.saveAs(saved);
    const transfer = await finishedTransfer(page, 'from-cli.bin');
    // Assess
    expect(download.suggestedFilename()).toBe('from-cli.bin');
    expect(transfer.status).toBe('done');
    expect(transfer.text).toContain('all verified');
    expect(await sha256File(saved)).toBe(await sha256File(local));
    // Written by the download worker into the origin private file system, not gathered in the page's memory.
    expect(page.workers().map((w) => w.url()).filter((url) => url.includes('/download-worker-'))).toHaveLength(1);
    expect(await stagedSizes(page)).toEqual([fs.statSync(local).size]);
    expect(problems).toEqual([]);
    await context.close();
  }, TEST_TIMEOUT_MS);

  it('after a reload mid-upload, choosing the same file again sends only the chunks storage had not accepted', async () => {
    // Prepare: storage accepts the first chunks, then holds every PUT until the page reloads.
    const local = await randomFile(40 * MiB, 'resumed.bin');
    const { context, page } = await newTab(browser);
    await signIn(page, webUrl, alice.email, alice.password);
    const chunkPut = isChunkPut(target);
    const ACCEPTED_BEFORE_RELOAD = 3;
    let accepted = 0;
    const held: Route[] = [];
    let holdAfter = ACCEPTED_BEFORE_RELOAD;
    // Set once the first run's page is gone: PUTs it starts up to then (the engine keeps sending) are held too.
    let reloaded = false;
    await page.route(
      (url) => url.href.startsWith(target.apiUrl) === false,
      async (route) => {
        const request = route.request();
        if (reloaded || !chunkPut(new URL(request.url()), request.method())) return route.continue();
        if (holdAfter <= 0) {
          held.push(route);
          return;
        }
        holdAfter--;
        const response = await route.fetch();
        await route.fulfill({ response });
        if (response.ok()) accepted++;
      },
    );
    // Act: the first run, interrupted; the screenshot shows it in progress.
    await page.locator('#upload-files').setInputFiles(local);
    await page.locator('li.transfer[data-transfer-status="sending"]').waitFor();
    while (accepted < ACCEPTED_BEFORE_RELOAD || held.length === 0) await page.waitForTimeout(50);
    // The page records what storage accepted as each PUT returns; the reload comes once it has.
    while ((await confirmedInLedger(page)) < ACCEPTED_BEFORE_RELOAD) await page.waitForTimeout(50);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'upload-in-progress.png') });
    await page.reload();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    reloaded = true;
    held.forEach((route) => void route.abort().catch(() => undefined));
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    // The second run: the same file chosen again.
    const sentAgain: string[] = [];
    page.on('request', (request) => chunkPut(new URL(request.url()), request.method()) && sentAgain.push(request.url()));
    await page.locator('#upload-files').setInputFiles(local);
    const transfer = await finishedTransfer(page, 'resumed.bin');
    const copy = path.join(path.dirname(local), 'copy.bin');
    await aliceCli.client.get('/resumed.bin', copy);
    // Assess: the page's own count of chunks (random bytes: all distinct) and the PUTs seen agree.
    const counts = /(\d+) of (\d+) chunks sent/.exec(transfer.text);
    expect(transfer.status).toBe('done');
    expect(counts).not.toBeNull();
    const [sent, total] = [Number(counts?.[1]), Number(counts?.[2])];
    expect(sentAgain).toHaveLength(sent);
    expect(sent).toBe(total - ACCEPTED_BEFORE_RELOAD);
    expect(total).toBeGreaterThan(ACCEPTED_BEFORE_RELOAD + 1);
    expect(await sha256File(copy)).toBe(await sha256File(local));
    await context.close();
  }, TEST_TIMEOUT_MS);
  it('cancelling an upload stops it: the transfer says cancelled and nothing is committed', async () => {
    // Prepare: storage holds every chunk PUT, so the upload is surely under way when cancelled.
    const local = await randomFile(8 * MiB, 'cancelled.bin');
    const { context, page, problems } = await newTab(browser);
    await signIn(page, webUrl, alice.email, alice.password);
    const chunkPut = isChunkPut(target);
    const held: Route[] = [];
    await page.route((url) => !url.href.startsWith(target.apiUrl), (route) => {
      if (chunkPut(new URL(route.request().url()), route.request().method())) held.push(route);
      else void route.continue();
    });
    // Act
    await page.locator('#upload-files').setInputFiles(local);
    while (held.length === 0) await page.waitForTimeout(50);
    await page.getByRole('button', { name: 'Cancel /cancelled.bin' }).click();
    const transfer = await finishedTransfer(page, 'cancelled.bin');
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    held.forEach((route) => void route.abort().catch(() => undefined));
    // Assess
    expect(transfer.status).toBe('cancelled');
    expect((await aliceCli.client.ls('/')).map((e) => e.name)).not.toContain('cancelled.bin');
    expect(problems).toEqual([]);
    await context.close();
  }, TEST_TIMEOUT_MS);
});
