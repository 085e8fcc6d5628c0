/**
 * One file of random bytes up and down through the web app in Chromium (playwright-core, Debian's
 * chromium) and through the CLI's client library, on the same runtime: the browser's upload is timed
 * from choosing the file to its transfer showing done (cut and hashed in the worker, sent, committed),
 * its download from the click to the browser's download starting (every chunk fetched, written into
 * the staging file and verified, the whole content proven). Fresh content for each, so nothing
 * deduplicates.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { webUrlOf } from '../../test/integration/harness/web-url';
import { newTab, openBrowser, signIn } from '../../test/integration/web/browser';
import { randomFile, sha256File } from '../files';
import { fixed, mbPerSecond, mib, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';

const TIMEOUT_MS = 30 * 60_000;

export async function webTransfers(service: Service, size: number, log: (line: string) => void): Promise<Table> {
  const forBrowser = await randomFile(join(service.workDir, 'web-up.bin'), size, 101);
  const forCli = await randomFile(join(service.workDir, 'cli-up.bin'), size, 102);

  log('CLI: up and down');
  const device = await service.device('web-bench-cli');
  const cliUp = await timed(() => device.client.put(forCli.path, '/bench/cli-up.bin'));
  const cliCopy = join(service.workDir, 'cli-copy.bin');
  const cliDown = await timed(() => device.client.get('/bench/cli-up.bin', cliCopy));
  if ((await sha256File(cliCopy)) !== forCli.sha256) throw new Error('the CLI downloaded other bytes than it uploaded');
  await rm(cliCopy);

  log('browser: up and down');
  const browser = await openBrowser();
  try {
    const { page } = await newTab(browser);
    await signIn(page, webUrlOf(service.target), service.user.email, service.user.password);
    const upload = await timed(async () => {
      await page.locator('#upload-files').setInputFiles(forBrowser.path);
      await page.locator('li.transfer[data-transfer-status="done"]').waitFor({ timeout: TIMEOUT_MS });
    });
    const failed = await page.locator('li.transfer[data-transfer-status="failed"]').count();
    if (failed > 0) throw new Error('the browser upload failed');
    await page.getByRole('button', { name: 'Clear finished' }).click();
    const download = await timed(async () => {
      const started = page.waitForEvent('download', { timeout: TIMEOUT_MS });
      await page.getByRole('button', { name: 'Download web-up.bin' }).click();
      return started;
    });
    const saved = join(service.workDir, 'web-copy.bin');
    await download.value.saveAs(saved);
    if ((await sha256File(saved)) !== forBrowser.sha256) throw new Error('the browser downloaded other bytes than it uploaded');
    await rm(saved);
    const rate = (seconds: number) => fixed(mbPerSecond(size, seconds));
    return {
      title: `Web app in Chromium against the CLI, ${mib(size)} of random bytes, same runtime`,
      columns: ['Measure', 'Browser', 'CLI'],
      rows: [
        ['Upload, MB/s', rate(upload.seconds), rate(cliUp.seconds)],
        ['Download, MB/s', rate(download.seconds), rate(cliDown.seconds)],
        ['Upload: time, s', fixed(upload.seconds, 2), fixed(cliUp.seconds, 2)],
        ['Download: time, s', fixed(download.seconds, 2), fixed(cliDown.seconds, 2)],
      ],
      note:
        'Both run the same engines (client/src/core). The browser cuts and hashes in a Web Worker (hash-wasm), sends 6 chunk transfers at a time ' +
        '(the CLI 8), and stages downloads in the origin private file system before handing them to the browser; headless Chromium and ' +
        'the runtime share the machine. One round each.',
    };
  } finally {
    await browser.close();
    await rm(forBrowser.path);
    await rm(forCli.path);
  }
}
