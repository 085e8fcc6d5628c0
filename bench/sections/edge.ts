/**
 * The local CloudFront stand-in (local/edge) on its own: every chunk of the large file fetched through
 * its signed URLs, against the same objects fetched straight from S3 with the SDK, both with the same
 * number in flight and no client work at all (bodies read and dropped). If the edge is slower than
 * S3 itself, it, not the client, bounds what a download can reach locally.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import pLimit from 'p-limit';
import { S3_LAYOUT } from '@contract/limits';
import type { DownloadChunk, DownloadResponse, FileMetadata } from '@contract/schemas';
import { api } from '../../test/integration/harness/api';
import { fixed, mbPerSecond, median, mib, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';

async function manifest(service: Service, remotePath: string): Promise<{ file: FileMetadata; chunks: DownloadChunk[] }> {
  const call = async <T>(path: string): Promise<T> => {
    const answer = await api<T>(service.target, 'GET', path, { token: service.user.accessToken });
    if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${answer.text}`);
    return answer.json;
  };
  const file = await call<FileMetadata>(`/paths?path=${encodeURIComponent(remotePath)}`);
  const chunks: DownloadChunk[] = [];
  for (let offset: number | undefined = 0; offset !== undefined; ) {
    const page: DownloadResponse = await call<DownloadResponse>(`/files/${file.fileId}/download?chunkOffset=${offset}`);
    chunks.push(...page.chunks);
    offset = page.nextChunkOffset;
  }
  return { file, chunks };
}

async function drain(body: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const piece of body) bytes += piece.length;
  return bytes;
}

export async function edge(service: Service, remotePath: string, concurrency: number, rounds: number): Promise<Table> {
  const { file, chunks } = await manifest(service, remotePath);
  const { s3 } = await service.baselineBucket();
  const bucket = service.runtime.info.bucketName;
  const each = (work: (chunk: DownloadChunk) => Promise<number>) => {
    const limit = pLimit(concurrency);
    return Promise.all(chunks.map((c) => limit(() => work(c)))).then((sizes) => sizes.reduce((a, b) => a + b, 0));
  };
  const throughEdge = () =>
    each(async (c) => {
      const response = await fetch(c.url);
      if (response.status !== 200 || !response.body) throw new Error(`the edge answered ${response.status} for chunk ${c.index}`);
      return drain(response.body);
    });
  const fromS3 = () =>
    each(async (c) => {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: S3_LAYOUT.chunkKey(file.ownerId, c.hash) }));
      return drain(out.Body as Readable);
    });
  const edgeRuns: number[] = [];
  const s3Runs: number[] = [];
  for (let n = 0; n < rounds; n++) {
    const viaEdge = await timed(throughEdge);
    const direct = await timed(fromS3);
    if (viaEdge.value !== direct.value) throw new Error(`the edge served ${viaEdge.value} bytes, S3 ${direct.value}`);
    edgeRuns.push(mbPerSecond(viaEdge.value, viaEdge.seconds));
    s3Runs.push(mbPerSecond(direct.value, direct.seconds));
  }
  s3.destroy();
  const [e, d] = [median(edgeRuns), median(s3Runs)];
  return {
    title: `The CloudFront stand-in alone: ${mib(file.size)} in ${chunks.length} chunks (median of ${rounds})`,
    columns: ['Path', 'MB/s', 'Against S3 directly'],
    rows: [
      ['Signed URLs through local/edge', fixed(e), `${fixed((100 * e) / d, 0)} %`],
      ['GetObject from S3 (SDK)', fixed(d), '100 %'],
    ],
    note: `Every chunk object of the file once, ${concurrency} in flight, bodies read and dropped: no hashing, no disk.`,
  };
}
