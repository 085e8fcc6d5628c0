/**
 * A download run in the download worker (download-worker.ts) into a staging file: the page starts it,
 * answers the worker's API calls with the tab's session, passes progress on and cancels it. One worker
 * per tab serves every download; its address is in index.html's `tote-download-worker` meta tag.
 */
import type { ApiClient } from '../../../client/src/core/api/client';
import type { ClientRoute, RouteInputs } from '../../../client/src/core/api/routes';
import { ToteError, type ToteErrorCode } from '../../../client/src/core/errors';
import type { FileMetadata } from '@contract/schemas';
import { asToteError } from '../errors';
import type { DownloadReply, DownloadRequest } from './download-messages';
import { namedWorker } from './named-worker';

let worker: Worker | undefined;
let nextJob = 1;
const listeners = new Map<number, (reply: DownloadReply) => void>();

function downloadWorker(): Worker {
  if (worker) return worker;
  worker = namedWorker('tote-download-worker', 'download');
  worker.addEventListener('message', (event: MessageEvent<DownloadReply>) => listeners.get(event.data.job)?.(event.data));
  // A worker that failed to load or crashed answers nothing more: its downloads fail, the next one starts a new worker.
  worker.addEventListener('error', (event) => {
    worker = undefined;
    const message = `the download worker stopped (${event.message || 'it could not be loaded'})`;
    for (const [job, listener] of listeners) listener({ type: 'error', job, code: 'UNEXPECTED', message });
  });
  return worker;
}

const send = (request: DownloadRequest) => downloadWorker().postMessage(request);

export interface WorkerDownload {
  readonly api: ApiClient;
  readonly file: FileMetadata;
  readonly stagedName: string;
  readonly concurrency: number;
  readonly signal: AbortSignal;
  /** Bytes written and verified so far. */
  readonly progress: (bytes: number) => void;
}

/**
 * Runs the download; resolves with the chunks fetched once the staging file holds the whole verified
 * content, or 'unsupported' where the browser cannot write files from a worker (nothing was fetched).
 */
export function downloadInWorker(job: WorkerDownload): Promise<{ chunksFetched: number } | 'unsupported'> {
  const id = nextJob++;
  return new Promise((resolve, reject) => {
    const cancel = () => send({ type: 'cancel', job: id });
    const settle = () => {
      listeners.delete(id);
      job.signal.removeEventListener('abort', cancel);
    };
    listeners.set(id, (reply) => {
      switch (reply.type) {
        case 'api':
          return void answer(job.api, id, reply);
        case 'progress':
          return job.progress(reply.bytes);
        case 'done':
          settle();
          return resolve({ chunksFetched: reply.chunksFetched });
        case 'unsupported':
          settle();
          return resolve('unsupported');
        case 'error':
          settle();
          return reject(new ToteError(reply.code as ToteErrorCode, reply.message, { subject: job.file.name }));
      }
    });
    job.signal.addEventListener('abort', cancel);
    send({ type: 'download', job: id, file: job.file, stagedName: job.stagedName, concurrency: job.concurrency });
    // Cancelled while the page was still asking for the file's metadata: the worker stops at once.
    if (job.signal.aborted) cancel();
  });
}

async function answer(api: ApiClient, job: number, asked: Extract<DownloadReply, { type: 'api' }>): Promise<void> {
  try {
    const value = await api.call(asked.route as ClientRoute, asked.input as RouteInputs[ClientRoute]);
    send({ type: 'api-answer', job, call: asked.call, value });
  } catch (thrown) {
    const error = asToteError(thrown);
    send({ type: 'api-error', job, call: asked.call, code: error.code, message: error.message });
  }
}
