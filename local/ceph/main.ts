/**
 * For humans: `npx tsx local/ceph/main.ts start|stop [--data-dir DIR] [--port N]` starts or stops a
 * Ceph cluster with radosgw in the background and prints how to point an S3 client at it.
 */
import { join } from 'node:path';
import { Command } from 'commander';
import { resolveDataDir } from '../config';
import { startRadosgw, stopRadosgw } from './radosgw';

/** Inside the local runtime's data dir (TOTE_LOCAL_DIR, default .tote-local), in a folder of its own. */
const DEFAULT_DATA_DIR = join(resolveDataDir(process.env, process.cwd()), 'ceph');
/** Beside the local runtime's ports (4080-4085, 4087), so the two never clash. */
const DEFAULT_PORT = 4086;

const program = new Command('ceph').description('A single-node Ceph cluster serving S3 (radosgw) on 127.0.0.1');

program
  .command('start')
  .description('start the cluster (created on first use) and wait until S3 answers')
  .option('--data-dir <dir>', 'folder holding the cluster', DEFAULT_DATA_DIR)
  .option('--port <port>', 'S3 port on 127.0.0.1', (v) => Number(v), DEFAULT_PORT)
  .action(async (opts: { dataDir: string; port: number }) => {
    const began = Date.now();
    const rgw = await startRadosgw({ dataDir: opts.dataDir, port: opts.port });
    console.log(`radosgw ready in ${Date.now() - began} ms at ${rgw.endpoint} (data in ${rgw.dataDir})`);
    console.log('S3 client settings (the SDK reads these):');
    console.log(`  AWS_ENDPOINT_URL_S3=${rgw.endpoint}`);
    console.log(`  AWS_REGION=${rgw.region}`);
    console.log(`  AWS_ACCESS_KEY_ID=${rgw.accessKeyId}`);
    console.log(`  AWS_SECRET_ACCESS_KEY=${rgw.secretAccessKey}`);
    console.log('  S3_FORCE_PATH_STYLE=true');
    console.log(`stop it with: npx tsx local/ceph/main.ts stop --data-dir ${opts.dataDir}`);
  });

program
  .command('stop')
  .description('stop radosgw, the OSD and the monitor')
  .option('--data-dir <dir>', 'folder holding the cluster', DEFAULT_DATA_DIR)
  .action(async (opts: { dataDir: string }) => {
    await stopRadosgw(opts.dataDir);
    console.log(`ceph in ${opts.dataDir} stopped`);
  });

program.parseAsync().catch((err: unknown) => {
  console.error(`ceph: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
