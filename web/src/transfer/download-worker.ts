/**
 * The download Web Worker: runs the shared core's download engine (downloadInto) off the page's
 * thread, so fetching and hashing never compete with the UI, and writes each verified piece straight
 * into a staging file of the origin private file system through a synchronous access handle (a file
 * write from this process, available only in workers), where a writable stream would first make a
 * Blob of every write. The tab's memory rises by a bounded amount during a download, not with the
 * file (BENCHMARKS.md measures it at two sizes). The page holds the session, so the few API calls
 * (manifest pages) are asked of it.
 */
import type { ApiClient } from '../../../client/src/core/api/client';
import type { ClientRoute, ResponseOf, RouteInputs } from '../../../client/src/core/api/routes';
import { ToteError, type ToteErrorCode } from '../../../client/src/core/errors';
import { downloadInto } from '../../../client/src/core/transfer/download';
import { DEFAULT_TRANSFER_TUNING } from '../../../client/src/core/transfer/environment';
import { asToteError } from '../errors';
import { STAGING_DIR, type DownloadReply, type DownloadRequest } from './download-messages';
import { createSha256 } from './sha256';

/** The synchronous access handle's calls used here (lib.dom types them only for workers' scopes). */
interface SyncAccessHandle {
  write(data: Uint8Array, options: { at: number }): number;
  truncate(size: number): void;
  flush(): void;
  close(): void;
}

interface Job {
  readonly controller: AbortController;
  readonly calls: Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>;
}

const jobs = new Map<number, Job>();
let nextCall = 1;
const post = (reply: DownloadReply) => (self as unknown as Worker).postMessage(reply);

addEventListener('message', (event: MessageEvent<DownloadRequest>) => {
  const request = event.data;
  if (request.type === 'download') {
    const job: Job = { controller: new AbortController(), calls: new Map() };
    jobs.set(request.job, job);
    void run(job, request).finally(() => jobs.delete(request.job));
    return;
  }
  const job = jobs.get(request.job);
  if (!job) return;
  if (request.type === 'cancel') {
    job.controller.abort();
    return;
  }
  const pending = job.calls.get(request.call);
  job.calls.delete(request.call);
  if (request.type === 'api-answer') pending?.resolve(request.value);
  else pending?.reject(new ToteError(request.code as ToteErrorCode, request.message));
});

/** The API as the engine calls it, answered by the page. */
function pageApi(job: Job, id: number): Pick<ApiClient, 'call'> {
  return {
    call: <R extends ClientRoute>(route: R, input: RouteInputs[R]) =>
      new Promise<ResponseOf<R>>((resolve, reject) => {
        const call = nextCall++;
        job.calls.set(call, { resolve: (value) => resolve(value as ResponseOf<R>), reject });
        post({ type: 'api', job: id, call, route, input });
      }),
  };
}

async function run(job: Job, request: Extract<DownloadRequest, { type: 'download' }>): Promise<void> {
  const { file, stagedName } = request;
  const id = request.job;
  const handle = await openStaged(stagedName);
  if (!handle) return post({ type: 'unsupported', job: id });
  let open = true;
  const close = () => {
    if (open) handle.close();
    open = false;
  };
  try {
    handle.truncate(file.size);
    let received = 0;
    const outcome = await downloadInto(
      {
        ...DEFAULT_TRANSFER_TUNING,
        api: pageApi(job, id),
        fetch: (url, init) => fetch(url, init),
        createSha256,
        concurrency: request.concurrency,
        emit: (event) => {
          if (event.type === 'download.chunk') post({ type: 'progress', job: id, bytes: (received += event.bytes) });
        },
      },
      {
        file,
        localPath: file.name,
        signal: job.controller.signal,
        target: {
          sink: { write: async (at, bytes) => writeAll(handle, at, bytes) },
          complete: async () => {
            handle.flush();
            close();
          },
          // The page removes the staging file once the worker has let go of it.
          discard: async () => close(),
        },
      },
    );
    post({ type: 'done', job: id, chunksFetched: outcome.chunksFetched });
  } catch (thrown) {
    close();
    const error = asToteError(thrown);
    post({ type: 'error', job: id, code: error.code, message: error.message });
  }
}

/** The staging file's synchronous access handle, or nothing where this browser has none. */
async function openStaged(stagedName: string): Promise<SyncAccessHandle | undefined> {
  try {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(STAGING_DIR, { create: true });
    const file = (await dir.getFileHandle(stagedName, { create: true })) as FileSystemFileHandle & { createSyncAccessHandle?: () => Promise<SyncAccessHandle> };
    return await file.createSyncAccessHandle?.();
  } catch {
    return undefined;
  }
}

function writeAll(handle: SyncAccessHandle, at: number, bytes: Uint8Array): void {
  let written: number;
  try {
    written = handle.write(bytes, { at });
  } catch (thrown) {
    throw new ToteError('LOCAL_IO', `cannot write the download into the browser's storage (${thrown instanceof Error ? thrown.message : String(thrown)})`, { cause: thrown });
  }
  if (written !== bytes.length) throw new ToteError('LOCAL_IO', `the browser's storage took ${written} of ${bytes.length} bytes (is it full?)`);
}
