/**
 * Runs a describe block against Ceph services of its own: started in a fresh temp dir before the
 * block and stopped (every daemon, by pid) after it.
 *
 * Without the Ceph packages the block is skipped with the reason in its title, on a developer's
 * machine only: where CI is set it fails instead, because CI must test against the real S3.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cephUnavailable } from '../../../../local/ceph/installed';
import { startRadosgw, type Radosgw } from '../../../../local/ceph/radosgw';

/** A cold start under load (2 cores shared with compilers) takes a few seconds; leave a wide margin. */
export const START_TIMEOUT_MS = 180_000;

/** Runs `define` with whatever `start` brings up in a temp dir (a radosgw, or something built on one). */
export function describeWithCeph<T extends { stop(): Promise<void> }>(
  title: string,
  start: (dataDir: string) => Promise<T>,
  define: (service: () => T) => void,
): void {
  const unavailable = cephUnavailable();
  if (unavailable && !process.env.CI) {
    console.warn(`skipping "${title}": ${unavailable}`);
    describe.skip(`${title} (skipped: ${unavailable})`, () =>
      define(() => {
        throw new Error('skipped');
      }),
    );
    return;
  }
  describe(title, () => {
    let dataDir: string | undefined;
    let service: T | undefined;

    beforeAll(async () => {
      if (unavailable) throw new Error(`CI is set but ${unavailable}`);
      dataDir = await mkdtemp(join(tmpdir(), 'tote-radosgw-'));
      service = await start(dataDir);
    }, START_TIMEOUT_MS);

    afterAll(async () => {
      await service?.stop();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }, 60_000);

    define(() => {
      if (!service) throw new Error(`${title}: the services did not start`);
      return service;
    });
  });
}

/** A describe block with a plain radosgw of its own. */
export function describeOnRadosgw(title: string, define: (rgw: () => Radosgw) => void): void {
  describeWithCeph(title, (dataDir) => startRadosgw({ dataDir, timeoutMs: START_TIMEOUT_MS - 10_000 }), define);
}
