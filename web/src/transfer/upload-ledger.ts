/**
 * The core's UploadLedger in IndexedDB: the sessions this browser started and every chunk storage
 * accepted for them, kept across a reload or a closed tab, so choosing the same file again sends none
 * of those again (the service's commit still checks every chunk is registered). One record per
 * session; confirmations are added as the PUTs return.
 */
import type { UploadLedger, UploadSessionRecord } from '../../../client/src/core/transfer/ledger';

const DB_NAME = 'tote';
const STORE = 'upload-sessions';

interface Stored extends UploadSessionRecord {
  readonly confirmed: string[];
}

const request = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

export class IndexedDbUploadLedger implements UploadLedger {
  private db?: Promise<IDBDatabase>;
  /** Confirmations are read-modify-write of one record: one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  async begin(session: UploadSessionRecord): Promise<void> {
    await this.serial(async (store) => {
      const existing = (await request(store.get(session.uploadId))) as Stored | undefined;
      if (!existing) await request(store.put({ ...session, confirmed: [] } satisfies Stored));
    });
  }

  async confirmedFor(endpoint: string, remotePath: string): Promise<ReadonlySet<string>> {
    const all = await this.serial(async (store) => (await request(store.getAll())) as Stored[]);
    return new Set(all.filter((s) => s.endpoint === endpoint && s.remotePath === remotePath).flatMap((s) => s.confirmed));
  }

  async confirm(uploadId: string, hash: string): Promise<void> {
    await this.serial(async (store) => {
      const existing = (await request(store.get(uploadId))) as Stored | undefined;
      if (existing) await request(store.put({ ...existing, confirmed: [...existing.confirmed, hash] }));
    });
  }

  async finish(uploadId: string): Promise<void> {
    await this.serial(async (store) => {
      const done = (await request(store.get(uploadId))) as Stored | undefined;
      if (!done) return;
      for (const s of (await request(store.getAll())) as Stored[]) {
        if (s.endpoint === done.endpoint && s.remotePath === done.remotePath) await request(store.delete(s.uploadId));
      }
    });
  }

  private serial<T>(work: (store: IDBObjectStore) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const db = await this.open();
      return work(db.transaction(STORE, 'readwrite').objectStore(STORE));
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const opening = indexedDB.open(DB_NAME, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: 'uploadId' });
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    return this.db;
  }
}
