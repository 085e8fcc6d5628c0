/**
 * SHA-256 of byte buffers in the hashing worker (hash-worker.ts), from the page: one worker per tab,
 * requests answered in order, buffers transferred both ways. The worker's address is in index.html's
 * `tote-hash-worker` meta tag (the build names it by content hash).
 */
import { WebError } from '../errors';
import type { HashReply, HashRequest } from './hash-messages';

export interface Digested {
  readonly hash: string;
  /** The same bytes, handed back by the worker. */
  readonly bytes: Uint8Array;
}

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, { resolve: (d: Digested) => void; reject: (e: WebError) => void }>();

function hashWorker(): Worker {
  if (worker) return worker;
  const url = document.querySelector<HTMLMetaElement>('meta[name="tote-hash-worker"]')?.content;
  if (!url) throw new WebError('UNEXPECTED', 'this build of Tote has no hashing worker');
  worker = new Worker(url, { type: 'module', name: 'tote-hashing' });
  worker.addEventListener('message', (event: MessageEvent<HashReply>) => {
    const reply = event.data;
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if ('hash' in reply) waiting?.resolve({ hash: reply.hash, bytes: new Uint8Array(reply.bytes) });
    else waiting?.reject(new WebError('UNEXPECTED', `hashing failed: ${reply.error}`));
  });
  return worker;
}

/** SHA-256 (lowercase hex) of `bytes`, which move to the worker and come back in the answer. */
export function sha256(bytes: Uint8Array): Promise<Digested> {
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    const request: HashRequest = { id, bytes: buffer };
    hashWorker().postMessage(request, [buffer]);
  });
}
