/**
 * The core promise, end to end through the real client code: a file goes up from one device and
 * comes down on another byte for byte; sending it again costs no chunk bytes; a killed upload resumes
 * without resending what was confirmed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ToteEvent } from '../../../client/src';
import { signedInUser } from '../harness/fixture';
import { openDevice, sentChunkHashes } from './devices';
import { randomFile, sha256File } from './files';

const MiB = 1024 * 1024;
const TRANSFER_TIMEOUT_MS = 180_000;
const ctx = signedInUser();

describe('upload and download with the tote client', () => {
  test(
    'a random 64 MiB file uploaded from one device downloads byte-identical on another, and a second upload sends no chunk bytes',
    async () => {
      // Prepare
      const source = await randomFile(64 * MiB);
      const laptop = await openDevice(ctx.target, ctx.user, 'laptop');
      const desktop = await openDevice(ctx.target, ctx.user, 'desktop');

      // Act
      const first = await laptop.client.put(source, '/e2e/random-64.bin');
      const target = join(desktop.stateDir, '..', 'random-64.bin');
      const download = await desktop.client.get('/e2e/random-64.bin', target);
      const again = await desktop.client.put(target, '/e2e/random-64-copy.bin');

      // Assess
      expect(first.bytesSent).toBe(64 * MiB);
      expect(download.file.size).toBe(64 * MiB);
      expect(await sha256File(target)).toBe(await sha256File(source));
      expect(again.bytesSent).toBe(0);
      expect(again.chunksSent).toBe(0);
      expect(again.chunksSkipped).toBeGreaterThan(0);
      await Promise.all([laptop.client.close(), desktop.client.close()]);
    },
    TRANSFER_TIMEOUT_MS,
  );

  test(
    'an upload killed midway, then run again, completes without resending a confirmed chunk',
    async () => {
      // Prepare
      const source = await randomFile(64 * MiB);
      const device = await openDevice(ctx.target, ctx.user, 'killed');
      await device.client.close();

      // Act: the CLI in its own process, SIGKILLed once a few chunks are confirmed
      const firstRun = await runCliUntil(
        ['--endpoint', ctx.target.apiUrl, '--config-dir', device.configDir, '--state-dir', device.stateDir, '--json', '--concurrency', '2', 'put', source, '/e2e/killed.bin'],
        (events) => sentChunkHashes(events).length >= 3,
      );
      const rerun = await reopen(device.configDir, device.stateDir);
      const summary = await rerun.client.put(source, '/e2e/killed.bin');
      const check = await openDevice(ctx.target, ctx.user, 'checker');
      const copy = join(check.stateDir, '..', 'killed.bin');
      await check.client.get('/e2e/killed.bin', copy);

      // Assess
      const confirmedBefore = new Set(sentChunkHashes(firstRun.events));
      const sentAfter = sentChunkHashes(rerun.events);
      expect(firstRun.killed).toBe(true);
      expect(confirmedBefore.size).toBeGreaterThanOrEqual(3);
      expect(sentAfter.filter((h) => confirmedBefore.has(h))).toEqual([]);
      expect(sentAfter.length).toBeGreaterThan(0);
      expect(summary.bytesSent).toBeLessThan(64 * MiB);
      expect(await sha256File(copy)).toBe(await sha256File(source));
      await Promise.all([rerun.client.close(), check.client.close()]);
    },
    TRANSFER_TIMEOUT_MS,
  );
});

async function reopen(configDir: string, stateDir: string) {
  const { createToteClient } = await import('../../../client/src');
  const events: ToteEvent[] = [];
  const client = await createToteClient({ endpoint: ctx.target.apiUrl, configDir, stateDir, onEvent: (e) => events.push(e) });
  return { client, events };
}

/** Runs the CLI with --json and SIGKILLs it the moment `stop` holds for the events seen so far. */
function runCliUntil(args: string[], stop: (events: ToteEvent[]) => boolean): Promise<{ events: ToteEvent[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '../../../client/bin/tote.cjs'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const events: ToteEvent[] = [];
    let killed = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as ToteEvent;
      events.push(event);
      if (!killed && stop(events)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', () => resolve({ events, killed }));
  });
}
