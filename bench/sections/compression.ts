/**
 * Compression on a text file: how much smaller it travels and is stored, and how fast it goes up and
 * comes down. Beside it, gzip's own speed and ratio at the level the client uses (1) and at the
 * default (6), on the same text, which is why the client uses 1.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { sha256File, type Generated } from '../files';
import { fixed, MiB, mbPerSecond, mib, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';

/** gzip level comparisons run on this much of the text (in memory). */
const LEVEL_SAMPLE_BYTES = 64 * MiB;

export async function compression(service: Service, text: Generated): Promise<Table> {
  const up = await service.device('text-up');
  const put = await timed(() => up.client.put(text.path, '/bench/log.txt'));
  const down = await service.device('text-down');
  const copy = join(service.workDir, 'log-copy.txt');
  const get = await timed(() => down.client.get('/bench/log.txt', copy));
  if ((await sha256File(copy)) !== text.sha256) throw new Error('the downloaded text differs from the file uploaded');

  const sample = (await readFile(text.path)).subarray(0, LEVEL_SAMPLE_BYTES);
  const level = (n: number) => {
    const start = process.hrtime.bigint();
    const packed = gzipSync(sample, { level: n });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return [`gzip level ${n}, one core (${mib(sample.length)} in memory)`, `${fixed(sample.length / packed.length, 2)} : 1`, fixed(mbPerSecond(sample.length, seconds))];
  };
  return {
    title: `Compression: ${mib(text.size)} of log-like text`,
    columns: ['Measure', 'Ratio (plain : sent)', 'MB/s (of plaintext)'],
    rows: [
      ['Upload', `${fixed(text.size / put.value.bytesSent, 2)} : 1`, fixed(mbPerSecond(text.size, put.seconds))],
      ['Download (decompressed and verified)', `${fixed(text.size / get.value.bytesReceived, 2)} : 1`, fixed(mbPerSecond(text.size, get.seconds))],
      level(constants.Z_BEST_SPEED),
      level(6),
    ],
    note: `Text from test/support/content.ts (timestamped log lines with varying fields). Every chunk passed the sample test and went gzip-compressed at level 1.`,
  };
}
