/**
 * The real client through a fault-injecting proxy (support/fault-proxy.ts) between it and the API,
 * S3 and the CloudFront edge: connections reset mid-body in both directions, 500 and 503 answers,
 * stalls, and a download that hangs until the client gives up. Uploads and downloads must still
 * finish with the right bytes. The fault plan is seeded; the seed is printed, TOTE_FAULT_SEED replays it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logText } from '../../support/content';
import { seededBytes } from '../../unit/client/support/bytes';
import { openDevice, type Device } from '../client/devices';
import { signedInUser } from '../harness/fixture';
import { startFaultProxy, type Fault, type FaultProxy } from './support/fault-proxy';
import { faultSeed, randomFaults, trafficOf, type FirstFault } from './support/plans';
import { reroutingFetch } from './support/rerouting.cjs';

const MiB = 1024 * 1024;
const TEST_TIMEOUT_MS = 240_000;
/**
 * A hung chunk transfer costs the client this plus its bytes' time at a slow rate before its retry.
 * The default is 30 s; the stalls planned here last 1.5 s, so a shorter floor still tells them apart.
 */
const STALL_FLOOR_MS = 5_000;
const ctx = signedInUser();
const seed = faultSeed();

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

const API_FAULTS: Fault[] = [
  { kind: 'status', status: 503 },
  { kind: 'status', status: 500 },
  { kind: 'reset-response' },
  { kind: 'stall', ms: 1_500 },
];
const STORAGE_FAULTS: Fault[] = [...API_FAULTS, { kind: 'reset-request' }];

let proxy: FaultProxy;
const devices: Device[] = [];

beforeAll(async () => {
  proxy = await startFaultProxy();
  process.stdout.write(`fault plan seed ${seed} (TOTE_FAULT_SEED=${seed} replays it)\n`);
});

afterAll(async () => {
  devices.forEach((d) => d.client.close());
  await proxy.stop();
});

/** A device whose every HTTP request goes through the proxy (signed in before any fault is planned). */
async function device(name: string): Promise<Device> {
  const opened = await openDevice(ctx.target, ctx.user, name, { fetch: reroutingFetch(proxy.url), stallFloorMs: STALL_FLOOR_MS });
  devices.push(opened);
  return opened;
}

function planFaults(first: readonly FirstFault[] = []): void {
  proxy.setPlan(
    randomFaults({
      seed,
      apiOrigin: new URL(ctx.target.apiUrl).origin,
      rate: { api: 0.3, 'storage-put': 0.5, 'storage-get': 0.5 },
      faults: { api: API_FAULTS, 'storage-put': STORAGE_FAULTS, 'storage-get': STORAGE_FAULTS },
      first,
    }),
  );
  proxy.log.length = 0;
}

/** Which faults each kind of traffic met in this test. */
function injected(): Record<string, string[]> {
  const apiOrigin = new URL(ctx.target.apiUrl).origin;
  const seen: Record<string, Set<string>> = {};
  for (const entry of proxy.log) {
    if (entry.fault === 'pass') continue;
    (seen[trafficOf(entry, apiOrigin)] ??= new Set()).add(entry.fault);
  }
  return Object.fromEntries(Object.entries(seen).map(([traffic, kinds]) => [traffic, [...kinds].sort()]));
}

describe('transfers through resets, 500s, 503s and stalls', () => {
  test(
    'a file goes up and comes down byte for byte, its compressed and plain chunks alike',
    async () => {
      // Prepare: random bytes (sent as is) and text (sent gzip-compressed)
      const root = mkdtempSync(join(tmpdir(), 'tote-faults-'));
      const data = Buffer.concat([seededBytes(seed, 12 * MiB), logText(seed, 8 * MiB)]);
      writeFileSync(join(root, 'mixed.bin'), data);
      const [up, down] = [await device('up'), await device('down')];
      planFaults([
        { traffic: 'api', path: '/uploads', fault: { kind: 'status', status: 503 } },
        // The commit takes effect, but the client never hears of it: asking again must answer the same revision.
        { traffic: 'api', path: /^\/uploads\/\w+\/commit$/, fault: { kind: 'reset-response' } },
        // Storage keeps the chunk, the client sees a broken connection: its retry meets 412, which is success.
        { traffic: 'storage-put', fault: { kind: 'reset-response' } },
        { traffic: 'storage-get', fault: { kind: 'reset-response' } },
      ]);

      // Act
      const put = await up.client.put(join(root, 'mixed.bin'), '/faults/mixed.bin');
      await down.client.get('/faults/mixed.bin', join(root, 'copy.bin'));

      // Assess
      expect(put.failed).toEqual([]);
      expect(sha256(readFileSync(join(root, 'copy.bin')))).toBe(sha256(data));
      const met = injected();
      expect(met.api).toEqual(expect.arrayContaining(['reset-response', 'status']));
      expect(met['storage-put']).toEqual(expect.arrayContaining(['reset-response']));
      expect(met['storage-get']).toEqual(expect.arrayContaining(['reset-response']));
      expect(put.files[0].file.revision).toBe(1);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'a folder of small files goes up through the batch endpoints and comes down, one chunk download hanging until the client gives up',
    async () => {
      // Prepare
      const root = mkdtempSync(join(tmpdir(), 'tote-faults-small-'));
      const folder = join(root, 'small');
      mkdirSync(folder);
      const contents = Array.from({ length: 40 }, (_, i) => (i % 2 ? logText(seed + i, 6_000) : seededBytes(seed + i, 5_000)));
      contents.forEach((c, i) => writeFileSync(join(folder, `f${i}.dat`), c));
      const [up, down] = [await device('small-up'), await device('small-down')];
      planFaults([
        { traffic: 'api', path: '/upload-batches', fault: { kind: 'status', status: 503 } },
        // The commit takes effect, but the client never hears of it: asking again must answer the same files.
        { traffic: 'api', path: '/upload-batches/commit', fault: { kind: 'reset-response' } },
        { traffic: 'storage-get', fault: { kind: 'hang' } },
      ]);

      // Act
      const put = await up.client.put(folder, '/faults/small');
      for (let i = 0; i < contents.length; i++) await down.client.get(`/faults/small/f${i}.dat`, join(root, `copy${i}`));

      // Assess
      expect(put.failed).toEqual([]);
      expect(put.files).toHaveLength(contents.length);
      contents.forEach((c, i) => expect(sha256(readFileSync(join(root, `copy${i}`)))).toBe(sha256(c)));
      expect(proxy.log.filter((e) => e.path.startsWith('/upload-batches') && e.fault !== 'pass').length).toBeGreaterThanOrEqual(2);
      expect(proxy.log.filter((e) => e.fault === 'hang')).toHaveLength(1);
    },
    TEST_TIMEOUT_MS,
  );
});
