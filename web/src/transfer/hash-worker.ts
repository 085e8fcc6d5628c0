/**
 * The hashing Web Worker: SHA-256 with hash-wasm (WebAssembly, streaming: Web Crypto has no
 * incremental digest), off the page's thread so the UI stays responsive while gigabytes are hashed.
 * Bytes arrive transferred (not copied) and go back the same way with their digest, so a chunk's
 * buffer is hashed and then written or sent without another copy.
 */
import { createSHA256, type IHasher } from 'hash-wasm';
import type { HashReply, HashRequest } from './hash-messages';

let hasher: Promise<IHasher> | undefined;

/** Feeds the hasher in slices, as the bytes of a large chunk would arrive from a stream. */
const SLICE_BYTES = 1 << 20;

addEventListener('message', (event: MessageEvent<HashRequest>) => {
  const { id, bytes } = event.data;
  hasher ??= createSHA256();
  hasher
    .then((h) => {
      h.init();
      const view = new Uint8Array(bytes);
      for (let at = 0; at < view.length; at += SLICE_BYTES) h.update(view.subarray(at, at + SLICE_BYTES));
      const reply: HashReply = { id, hash: h.digest('hex'), bytes };
      (self as unknown as Worker).postMessage(reply, [bytes]);
    })
    .catch((error: unknown) => {
      const reply: HashReply = { id, error: error instanceof Error ? error.message : String(error), bytes };
      (self as unknown as Worker).postMessage(reply, [bytes]);
    });
});
