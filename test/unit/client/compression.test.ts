/**
 * Per-chunk compression: the sample test, the chunk encoder, URLs signed for the compression each
 * chunk turned out to need, and round trips through the fake service, whose tracker and downloads
 * decompress before hashing as the real ones do.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { LIMITS } from '@contract/limits';
import type { Compression } from '@contract/schemas';
import { encodeChunk, looksCompressible, streamGzip } from '../../../client/src/core/transfer/compression';
import { nodeGzip } from '../../../client/src/transfer/node-gzip';
import { UploadUrlPool } from '../../../client/src/core/transfer/url-pool';
import { logText as text } from '../../support/content';
import { seededBytes } from './support/bytes';
import { fakeClient } from './support/fake-client';

const MiB = 1024 * 1024;
/** Tens of megabytes through the fake service: more than jest's default 5 s on a loaded machine. */
jest.setTimeout(60_000);

describe('the sample test and the chunk encoder', () => {
  it('compresses text, storing gzip that decompresses to the plaintext', async () => {
    // Prepare
    const plain = text(1, 2 * MiB);

    // Act
    const encoded = await encodeChunk(plain, nodeGzip);

    // Assess
    expect(await looksCompressible(plain, nodeGzip)).toBe(true);
    expect(encoded.compression).toBe('gzip');
    expect(encoded.body.length).toBeLessThan(plain.length / 2);
    expect(gunzipSync(encoded.body).equals(plain)).toBe(true);
  });

  it('sends random (or already compressed) data as is, without compressing the whole chunk', async () => {
    // Prepare
    const plain = seededBytes(2, 2 * MiB);

    // Act
    const encoded = await encodeChunk(plain, nodeGzip);

    // Assess
    expect(await looksCompressible(plain, nodeGzip)).toBe(false);
    expect(encoded.compression).toBe('none');
    expect(encoded.body).toBe(plain);
  });

  it('stores as is a chunk whose sample compresses but whose whole does not save a tenth', async () => {
    // Prepare: 64 KiB of text, then random bytes
    const plain = Buffer.concat([text(3, 64 * 1024), seededBytes(3, 2 * MiB)]);

    // Act
    const encoded = await encodeChunk(plain, nodeGzip);

    // Assess
    expect(encoded.compression).toBe('none');
    expect(encoded.body).toBe(plain);
  });

  it('leaves empty and tiny incompressible input alone', async () => {
    expect(await looksCompressible(Buffer.alloc(0), nodeGzip)).toBe(false);
    expect(await looksCompressible(Buffer.from('ab'), nodeGzip)).toBe(false);
  });
});

describe('gzip where no zlib is at hand', () => {
  it('CompressionStream makes gzip any gunzip reads, and the sample test agrees with zlib level 1', async () => {
    const plain = text(7, 256 * 1024);
    expect(gunzipSync(await streamGzip(plain)).equals(plain)).toBe(true);
    expect(await looksCompressible(plain, streamGzip)).toBe(await looksCompressible(plain, nodeGzip));
    expect(await looksCompressible(seededBytes(7, 256 * 1024), streamGzip)).toBe(false);
  });
});

describe('URLs per compression', () => {
  const hashes = Array.from({ length: 700 }, (_, i) => i.toString(16).padStart(64, '0'));
  const urlFor = (hash: string, compression: Compression) => ({ hash, url: `https://s3/${compression}/${hash}`, headers: {} });

  it('asks a small batch when a chunk needs the other compression, then full batches of that kind', async () => {
    // Prepare
    const requests: { count: number; compression: Compression }[] = [];
    const pool = new UploadUrlPool(async (asked, compression) => {
      requests.push({ count: asked.length, compression });
      return { urls: asked.map((h) => urlFor(h, compression)), missing: asked };
    });
    pool.add(hashes.slice(0, LIMITS.uploadUrlBatch).map((h) => urlFor(h, 'none')), 'none');
    pool.expect(hashes);

    // Act
    const first = await pool.get(hashes[0], 'gzip');
    const within = await pool.get(hashes[1], 'gzip');
    const beyond = await pool.get(hashes[40], 'gzip');
    const plain = await pool.get(hashes[600], 'none');

    // Assess
    expect(first?.url).toBe(`https://s3/gzip/${hashes[0]}`);
    expect(within?.url).toBe(`https://s3/gzip/${hashes[1]}`);
    expect(beyond?.url).toBe(`https://s3/gzip/${hashes[40]}`);
    expect(plain?.url).toBe(`https://s3/none/${hashes[600]}`);
    expect(requests).toEqual([
      { count: 32, compression: 'gzip' },
      { count: LIMITS.uploadUrlBatch, compression: 'gzip' },
      { count: 32, compression: 'none' },
    ]);
  });
});

describe('compressed chunks through the service', () => {
  const t = fakeClient();

  it('stores a text file gzip-compressed, sends fewer bytes, and downloads it byte for byte', async () => {
    // Prepare
    const data = text(4, 9 * MiB);
    const source = join(t.root, 'log.txt');
    writeFileSync(source, data);

    // Act
    const put = await t.client.put(source, '/log.txt');
    await t.client.get('/log.txt', join(t.root, 'copy.txt'));

    // Assess
    const stored = t.fake.puts.filter((p) => p.status === 200);
    expect(stored.length).toBeGreaterThan(1);
    expect(stored.every((p) => p.compression === 'gzip')).toBe(true);
    expect(put.bytesSent).toBe(stored.reduce((n, p) => n + p.bytes, 0));
    expect(put.bytesSent).toBeLessThan(data.length / 2);
    expect(readFileSync(join(t.root, 'copy.txt')).equals(data)).toBe(true);
    // Each chunk was named with the compression it went with, so no URL had to be asked for again.
    expect(t.fake.puts.every((p) => p.status === 200)).toBe(true);
  });

  it('compresses each chunk of a mixed file as its content calls for', async () => {
    // Prepare: random, then text, then random again
    const data = Buffer.concat([seededBytes(5, 6 * MiB), text(5, 8 * MiB), seededBytes(6, 6 * MiB)]);
    const source = join(t.root, 'mixed.bin');
    writeFileSync(source, data);

    // Act
    await t.client.put(source, '/mixed.bin');
    await t.client.get('/mixed.bin', join(t.root, 'mixed-copy.bin'));

    // Assess
    const kinds = new Set(t.fake.puts.filter((p) => p.status === 200).map((p) => p.compression));
    expect(kinds).toEqual(new Set(['none', 'gzip']));
    expect(readFileSync(join(t.root, 'mixed-copy.bin')).equals(data)).toBe(true);
  });
});
