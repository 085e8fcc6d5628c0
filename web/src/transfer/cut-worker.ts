/**
 * The chunk-cutting Web Worker: reads a picked File in pieces, cuts it into content-defined chunks
 * and hashes each with SHA-256 (the core's chunkStream over hash-wasm), off the page's thread so the
 * UI stays responsive while gigabytes are read. Each chunk goes to the page with its bytes transferred
 * (not copied), and the worker pauses while the page holds `window` bytes it has not taken yet, so
 * memory stays bounded however large the file.
 */
import { chunkStream } from '../../../client/src/core/chunking/chunker';
import { toToteError } from '../../../client/src/core/errors';
import { readPieces } from '../../../client/src/core/io';
import type { CutReply, CutRequest } from './cut-messages';
import { fileSource } from './file-source';
import { createSha256 } from './sha256';

interface Job {
  unacked: number;
  stopped: boolean;
  /** Resolves the cutter's wait for acknowledgements. */
  wake?: () => void;
}

const jobs = new Map<number, Job>();
const post = (reply: CutReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(reply, transfer);

addEventListener('message', (event: MessageEvent<CutRequest>) => {
  const request = event.data;
  if (request.type === 'cut') {
    const job: Job = { unacked: 0, stopped: false };
    jobs.set(request.job, job);
    void cut(job, request).finally(() => jobs.delete(request.job));
    return;
  }
  const job = jobs.get(request.job);
  if (!job) return;
  if (request.type === 'ack') job.unacked -= request.bytes;
  else job.stopped = true;
  job.wake?.();
});

async function cut(job: Job, request: Extract<CutRequest, { type: 'cut' }>): Promise<void> {
  const { job: id, file, window } = request;
  try {
    for await (const chunk of chunkStream(readPieces(fileSource(file)), { createSha256, params: request.params, keepBytes: true })) {
      while (!job.stopped && job.unacked > 0 && job.unacked + chunk.size > window) await new Promise<void>((resolve) => (job.wake = resolve));
      if (job.stopped) return;
      const bytes = (chunk.bytes as Uint8Array).buffer as ArrayBuffer;
      job.unacked += chunk.size;
      post({ type: 'chunk', job: id, index: chunk.index, offset: chunk.offset, size: chunk.size, hash: chunk.hash, bytes }, [bytes]);
    }
    post({ type: 'done', job: id });
  } catch (thrown) {
    const error = toToteError(thrown, 'LOCAL_IO');
    post({ type: 'error', job: id, code: error.code, message: error.message });
  }
}
