/**
 * The core's gzip in Node: zlib at level 1, in libuv's thread pool, so the chunks in flight compress
 * on every core. Level 1 compresses text at several hundred MB/s a core, comfortably ahead of the
 * network; higher levels save a few percent more at two to three times the CPU (BENCHMARKS.md).
 */
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';
import type { Gzip } from '../core/transfer/compression';

const gzipAsync = promisify(gzip);

export const nodeGzip: Gzip = async (plain) => gzipAsync(plain, { level: constants.Z_BEST_SPEED });
