/**
 * The core's SHA-256 from hash-wasm (WebAssembly, what the web client runs in its Web Worker): core
 * tests run with it as well as with Node's, to prove the core depends on nothing of Node's.
 */
import { createSHA256 } from 'hash-wasm';
import type { Sha256Factory } from '../../client/src/core/hashing/sha256';

export const wasmSha256: Sha256Factory = async () => {
  const hash = await createSHA256();
  return {
    update: (data) => void hash.update(data),
    digest: () => hash.digest('hex'),
  };
};
