/**
 * The core's Sha256Factory on hash-wasm (WebAssembly, streaming: Web Crypto has no incremental
 * digest). Instantiating the WebAssembly module costs more than hashing a small chunk, so hashers are
 * kept in a pool and handed out again once their digest is taken.
 */
import { createSHA256, type IHasher } from 'hash-wasm';
import type { Sha256, Sha256Factory } from '../../../client/src/core/hashing/sha256';

const idle: IHasher[] = [];

export const createSha256: Sha256Factory = async (): Promise<Sha256> => {
  const hasher = idle.pop() ?? (await createSHA256());
  hasher.init();
  return {
    update: (data) => void hasher.update(data),
    digest: () => {
      const hex = hasher.digest('hex');
      idle.push(hasher);
      return hex;
    },
  };
};
