/**
 * The switch to content hashes over chunk digests, on data written before it. A sync folder is linked
 * and synced on a runtime of its own; then everything is put back the way the old definition
 * (SHA-256 of the whole file) left it: every hash the service stores, the migration's own record, and
 * the folder's state database at its old schema. The runtime is restarted on that data dir, as
 * `npm start` on an old .tote-local would be, and the folder syncs again. It must find the service
 * migrated and go on as if nothing happened: no upload, no conflicted copy, and only the downloads
 * the remote edits made while it was away call for.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DeleteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FileMetadata } from '@contract/schemas';
import { createToteClient, type ToteClient, type ToteEvent } from '../../../client/src';
import { STATE_DB_FILE } from '../../../client/src/state/store';
import { SyncEngine } from '../../../client/src/sync/engine';
import { STATE_FOLDER } from '../../../client/src/sync/ignore-rules';
import { LOCAL_REGION } from '../../../local/config';
import { localCredentials } from '../../../local/emulators/credentials';
import { api } from '../harness/api';
import { startRuntimeProcess, type LocalRuntimeInfo, type RuntimeProcess } from '../harness/runtime-process';
import { targetOf } from '../harness/target';
import { TARGET_ENV } from '../harness/target-env';
import { createUser, signIn, type TestUser } from '../harness/users';
import { contentHashOfChunks } from '../../support/content-hash';

const localOnly = process.env[TARGET_ENV.localRuntime] ? describe : describe.skip;
const TEST_TIMEOUT_MS = 300_000;

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
/** Each text here is one chunk: its content hash is over that one digest. */
const contentHash = (text: string) => contentHashOfChunks([sha256(text)]);

/** The files of the folder and what happens to them while the old data is made. */
const TEXTS = {
  untouched: 'a file nobody touches',
  touched: 'a file whose timestamps change, not its bytes',
  remoteEdit: 'a file edited on another device',
  remoteEdited: 'a file edited on another device, as the other device left it',
  both: 'a file touched here and edited elsewhere',
  bothEdited: 'a file touched here and edited elsewhere, as the other device left it',
};
/** New content hash -> what the old definition made of the same bytes. */
const OLD_OF = new Map(Object.values(TEXTS).map((text) => [contentHash(text), sha256(text)]));

function documents(info: LocalRuntimeInfo): { db: DynamoDBDocumentClient; table: string } {
  const client = new DynamoDBClient({ endpoint: info.dynamodbEndpoint, region: LOCAL_REGION, credentials: localCredentials });
  const table = Object.entries(info.tableNames).find(([logicalId]) => logicalId.includes('FileMetadata'))![1];
  return { db: DynamoDBDocumentClient.from(client), table };
}

async function allItems(info: LocalRuntimeInfo): Promise<Record<string, unknown>[]> {
  const { db, table } = documents(info);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every stored content hash back to the old definition, and no record of the migration: the service as it was. */
async function makeServiceOld(info: LocalRuntimeInfo): Promise<number> {
  const { db, table } = documents(info);
  let rewritten = 0;
  for (const item of await allItems(info)) {
    const key = { pk: item.pk as string, sk: item.sk as string };
    if (key.pk.startsWith('MIGRATION')) {
      await db.send(new DeleteItemCommand({ TableName: table, Key: { pk: { S: key.pk }, sk: { S: key.sk } } }));
      continue;
    }
    const old = typeof item.contentHash === 'string' ? OLD_OF.get(item.contentHash) : undefined;
    if (old === undefined) continue;
    await db.send(new UpdateCommand({ TableName: table, Key: key, UpdateExpression: 'SET contentHash = :old', ExpressionAttributeValues: { ':old': old } }));
    rewritten++;
  }
  return rewritten;
}

/** The folder's state database as a client before the switch wrote it: schema version 3, old hashes. */
function makeFolderStateOld(root: string): void {
  const db = new BetterSqlite3(path.join(root, STATE_FOLDER, STATE_DB_FILE));
  try {
    db.transaction(() => {
      for (const table of ['synced_files', 'remote_files']) {
        for (const [current, old] of OLD_OF) db.prepare(`UPDATE ${table} SET content_hash = ? WHERE content_hash = ?`).run(old, current);
      }
      // Undo 004 (uploads), 005 (legacy_synced_hashes), 006 (selective sync) and 007 (remote rows ahead of the feed); local_files kept its content_hash column.
      db.exec(`ALTER TABLE uploads ADD COLUMN content_hash TEXT NOT NULL DEFAULT ''`);
      db.exec('ALTER TABLE uploads ADD COLUMN chunk_count INTEGER NOT NULL DEFAULT 0');
      db.exec('DROP INDEX uploads_by_target');
      for (const row of db.prepare('SELECT id FROM local_files').all() as { id: number }[]) {
        const chunks = db.prepare('SELECT hash FROM local_chunks WHERE file_id = ? ORDER BY idx').pluck().all(row.id) as string[];
        db.prepare('UPDATE local_files SET content_hash = ? WHERE id = ?').run(OLD_OF.get(contentHashOfChunks(chunks)) ?? '', row.id);
      }
      db.exec('DROP TABLE legacy_synced_hashes');
      db.exec('DROP TABLE excluded_folders');
      db.exec('DROP TABLE held_deletes');
      db.exec('ALTER TABLE sync_root DROP COLUMN selection_version');
      db.exec('ALTER TABLE remote_files DROP COLUMN ahead');
      db.pragma('user_version = 3');
    })();
  } finally {
    db.close();
  }
}

localOnly('switching to content hashes over chunk digests, on old data', () => {
  let dataDir: string;
  let runtime: RuntimeProcess | undefined;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tote-hash-switch-'));
  });
  afterAll(async () => {
    if (runtime) await runtime.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test(
    'the runtime migrates what the service stores at start, and a folder linked before keeps syncing without re-transfers or conflicts',
    async () => {
      // Prepare: a folder linked and synced on a first runtime, then edits made while the device is away
      runtime = await startRuntimeProcess({ dataDir, logFile: path.join(dataDir, 'first.log'), dynamoDbStore: 'disk' });
      const apiPort = Number(new URL(runtime.info.apiUrl).port);
      const user: TestUser = await createUser(targetOf(runtime.info));
      const home = path.join(dataDir, 'device');
      const root = path.join(home, 'folder');
      fs.mkdirSync(root, { recursive: true });
      const events: ToteEvent[] = [];
      /** The device's client as a process starting now would make it, signed in. */
      const signedInClient = async (endpoint: string): Promise<ToteClient> => {
        const made = await createToteClient({ endpoint, configDir: path.join(home, 'config'), stateDir: path.join(home, 'state'), onEvent: (e) => events.push(e) });
        await made.login(user.email, user.password);
        return made;
      };
      let client = await signedInClient(runtime.info.apiUrl);
      const openEngine = () => SyncEngine.open(client, { root, deviceName: 'laptop', settleMs: 0 });
      const names = { untouched: 'a.txt', touched: 'b.txt', remoteEdit: 'c.txt', both: 'd.txt' } as const;
      for (const [what, name] of Object.entries(names)) fs.writeFileSync(path.join(root, name), TEXTS[what as keyof typeof names]);
      let engine = await openEngine();
      await engine.syncOnce();
      engine.close();
      const elsewhere = path.join(home, 'elsewhere');
      fs.mkdirSync(elsewhere);
      for (const [name, text] of [
        [names.remoteEdit, TEXTS.remoteEdited],
        [names.both, TEXTS.bothEdited],
      ]) {
        fs.writeFileSync(path.join(elsewhere, name), text);
        await client.put(path.join(elsewhere, name), `/${name}`);
      }
      for (const name of [names.touched, names.both]) {
        const file = path.join(root, name);
        fs.writeFileSync(file, fs.readFileSync(file));
        // Touched: another time than the one the folder recorded, in the past, so the write counts as settled.
        const touched = new Date(Date.now() - 60_000);
        fs.utimesSync(file, touched, touched);
      }

      // Prepare: the data as the old definition left it
      const rewritten = await makeServiceOld(runtime.info);
      makeFolderStateOld(root);
      client.close();
      expect(await runtime.stop()).toBe(0);
      runtime = undefined;

      // Act: the runtime starts on the old data dir, at the address the folder is linked to, and the folder syncs
      runtime = await startRuntimeProcess({ dataDir, logFile: path.join(dataDir, 'second.log'), apiPort, dynamoDbStore: 'disk' });
      const tokens = await signIn(targetOf(runtime.info), user.email, user.password);
      // A new process of the client (the daemon after the upgrade); the user pool came back at another port.
      client = await signedInClient(runtime.info.apiUrl);
      events.length = 0;
      engine = await openEngine();
      await engine.syncOnce();

      // Assess: the service holds only hashes of the new definition, each the one its content gives
      const stored = (await allItems(runtime.info)).filter((item) => typeof item.contentHash === 'string');
      expect(rewritten).toBeGreaterThanOrEqual(20);
      expect(stored.map((item) => item.contentHash).filter((hash) => !OLD_OF.has(hash as string))).toEqual([]);
      expect(stored.length).toBeGreaterThanOrEqual(rewritten);
      for (const [what, name] of Object.entries(names)) {
        const meta = await api<FileMetadata>(targetOf(runtime.info), 'GET', `/paths?path=${encodeURIComponent(`/${name}`)}`, { token: tokens.accessToken });
        const text = what === 'remoteEdit' ? TEXTS.remoteEdited : what === 'both' ? TEXTS.bothEdited : TEXTS[what as keyof typeof names];
        expect({ name, hash: meta.json.contentHash }).toEqual({ name, hash: contentHash(text) });
      }
      // ...and the folder went on: nothing uploaded, no conflicted copy, only the remote edits came down
      expect(events.filter((e) => e.type === 'upload.start')).toEqual([]);
      expect(events.filter((e) => e.type === 'sync.conflict')).toEqual([]);
      expect(events.filter((e) => e.type === 'download.start').map((e) => (e as { remotePath: string }).remotePath).sort()).toEqual([`/${names.remoteEdit}`, `/${names.both}`]);
      expect(fs.readdirSync(root).filter((n) => n !== STATE_FOLDER).sort()).toEqual(Object.values(names).sort());
      expect(fs.readFileSync(path.join(root, names.both), 'utf8')).toBe(TEXTS.bothEdited);
      expect(fs.readFileSync(path.join(root, names.touched), 'utf8')).toBe(TEXTS.touched);
      const synced = new Map(engine.store.syncedFiles().map((s) => [s.rel, s.hash]));
      expect(Object.fromEntries(synced)).toEqual({
        [names.untouched]: contentHash(TEXTS.untouched),
        [names.touched]: contentHash(TEXTS.touched),
        [names.remoteEdit]: contentHash(TEXTS.remoteEdited),
        [names.both]: contentHash(TEXTS.bothEdited),
      });
      // A second pass has nothing left to do.
      events.length = 0;
      const again = await engine.syncOnce();
      expect({ done: again.done, failed: again.failed }).toEqual({ done: 0, failed: 0 });
      engine.close();
      client.close();
    },
    TEST_TIMEOUT_MS,
  );
});
