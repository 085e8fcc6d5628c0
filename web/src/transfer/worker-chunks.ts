/**
 * A picked File's chunks as the upload engine takes them (UploadJob.chunks), cut and hashed in the
 * chunk-cutting worker (cut-worker.ts). One worker per tab serves every upload; its address is in
 * index.html's `tote-cut-worker` meta tag (the build names it by content hash). Taking a chunk
 * acknowledges it, which lets the worker read on: the engine's own memory budget is the backpressure.
 */
import type { CutChunk } from '../../../client/src/core/chunking/chunker';
import type { ChunkingParams } from '../../../client/src/core/chunking/params';
import { ToteError, type ToteErrorCode } from '../../../client/src/core/errors';
import type { CutReply, CutRequest } from './cut-messages';
import { namedWorker } from './named-worker';

/** Bytes the worker may cut ahead of what the engine took. */
const WINDOW_BYTES = 16 * 1024 * 1024;

let worker: Worker | undefined;
let nextJob = 1;
const listeners = new Map<number, (reply: CutReply) => void>();

function cutWorker(): Worker {
  if (worker) return worker;
  worker = namedWorker('tote-cut-worker', 'chunking');
  worker.addEventListener('message', (event: MessageEvent<CutReply>) => listeners.get(event.data.job)?.(event.data));
  return worker;
}

const send = (request: CutRequest) => cutWorker().postMessage(request);

export async function* workerChunks(file: File, params?: ChunkingParams): AsyncGenerator<CutChunk> {
  const job = nextJob++;
  const arrived: CutReply[] = [];
  let wake: (() => void) | undefined;
  listeners.set(job, (reply) => {
    arrived.push(reply);
    wake?.();
  });
  send({ type: 'cut', job, file, window: WINDOW_BYTES, params });
  let finished = false;
  try {
    for (;;) {
      while (arrived.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const reply = arrived.shift() as CutReply;
      if (reply.type === 'done') {
        finished = true;
        return;
      }
      if (reply.type === 'error') {
        finished = true;
        throw new ToteError(reply.code as ToteErrorCode, reply.message, { subject: file.name });
      }
      send({ type: 'ack', job, bytes: reply.size });
      yield { index: reply.index, offset: reply.offset, size: reply.size, hash: reply.hash, bytes: new Uint8Array(reply.bytes) };
    }
  } finally {
    listeners.delete(job);
    if (!finished) send({ type: 'stop', job });
  }
}
