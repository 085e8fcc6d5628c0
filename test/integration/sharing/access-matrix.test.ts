/**
 * The access matrix: every endpoint of the API against the owner of a file, an editor and a viewer
 * it is shared with, a stranger, and a request without a token. One table holds every expected
 * status; each cell is one test; the matrix as it ran is printed at the end for the record.
 *
 * Endpoints that name no file (POST /uploads, GET /shared, GET /changes) act on the caller's own
 * namespace, so everyone with a token may use them. Batch endpoints answer 200 with a result per item;
 * for them the matrix holds the item's status (the status its error code stands for). Endpoints that name the owner's upload session or a path of
 * the owner's namespace are the owner's alone (404 to everyone else, recipients included: sessions,
 * paths and the trash are per user). Endpoints that change a file (delete, move, revoke) get a fresh shared
 * file per cell, so no cell sees another's effect.
 */
import { ROUTES, routeKey, type RouteId } from '@contract/routes';
import type { FileMetadata, StartUploadResponse } from '@contract/schemas';
import { ERROR_STATUS, type ErrorCode } from '@contract/errors';
import { api, type ApiAnswer } from '../harness/api';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { sha256, startUpload, testFile } from '../harness/uploads';
import type { TestUser } from '../harness/users';
import { collaboratorIdOf, createCast, sharedFile, type Cast } from './support';

const CALLERS = ['owner', 'editor', 'viewer', 'stranger', 'no token'] as const;
type CallerName = (typeof CALLERS)[number];

/** What a cell acts on. */
interface Fixture {
  readonly cast: Cast;
  readonly file: FileMetadata;
  /** An upload session of the owner's with a chunk still missing. */
  readonly ownerSession: StartUploadResponse;
  /** An upload session of the owner's of an empty file, ready to commit. */
  readonly ownerEmptySession: StartUploadResponse;
  /** Unique per cell, for paths a cell creates. */
  readonly cell: string;
}

interface Row {
  readonly route: RouteId;
  /** Expected status per caller, in CALLERS order. */
  readonly expected: readonly [number, number, number, number, number];
  readonly request: (f: Fixture) => { path: string; body?: unknown };
  /** The cell changes the file: give it a file of its own. */
  readonly fresh?: boolean;
  /** The cell acts on a file in the owner's trash: its own file, deleted by the owner first. */
  readonly trashed?: boolean;
  /** A batch endpoint: the status of its one item counts. */
  readonly batch?: boolean;
  /** With `fresh`: the cell's file lies in a folder of its own, `/matrix/<cell>`, for the folder endpoints to act on. */
  readonly inFolder?: boolean;
}

/** The status of a batch answer's single item: 200 when it succeeded, else the status its error code stands for. */
function itemStatus(answer: ApiAnswer): number {
  const [result] = (answer.json as { results: { ok: boolean; error?: { code: ErrorCode } }[] }).results;
  return result.ok ? 200 : ERROR_STATUS[result.error!.code];
}

const EMPTY_CONTENT = { size: 0, contentHash: sha256(Buffer.alloc(0)), chunks: [] };

/** THE table. */
const MATRIX: readonly Row[] = [
  { route: 'health', expected: [200, 200, 200, 200, 200], request: () => ({ path: '/health' }) },
  { route: 'startUpload', expected: [200, 200, 200, 200, 401], request: (f) => ({ path: '/uploads', body: { path: `/matrix/${f.cell}.bin`, ...EMPTY_CONTENT } }) },
  {
    route: 'uploadUrls',
    expected: [200, 404, 404, 404, 401],
    request: (f) => ({ path: `/uploads/${f.ownerSession.uploadId}/urls`, body: { hashes: f.ownerSession.missing } }),
  },
  { route: 'commitUpload', expected: [200, 404, 404, 404, 401], request: (f) => ({ path: `/uploads/${f.ownerEmptySession.uploadId}/commit`, body: { expectedRevision: 0 } }) },
  { route: 'listFolder', expected: [200, 404, 404, 404, 401], request: () => ({ path: '/folders?path=%2Fmatrix' }) },
  { route: 'getMetadata', expected: [200, 200, 200, 404, 401], request: (f) => ({ path: `/files/${f.file.fileId}` }) },
  { route: 'lookupPath', expected: [200, 404, 404, 404, 401], request: (f) => ({ path: `/paths?path=${encodeURIComponent(f.file.path)}` }) },
  { route: 'getDownload', expected: [200, 200, 200, 404, 401], request: (f) => ({ path: `/files/${f.file.fileId}/download` }) },
  { route: 'deleteFile', expected: [200, 403, 403, 404, 401], request: (f) => ({ path: `/files/${f.file.fileId}` }), fresh: true },
  { route: 'moveFile', expected: [200, 403, 403, 404, 401], request: (f) => ({ path: `/files/${f.file.fileId}/move`, body: { toPath: `/matrix/moved-${f.cell}.bin` } }), fresh: true },
  { route: 'startRevisionUpload', expected: [200, 200, 403, 404, 401], request: (f) => ({ path: `/files/${f.file.fileId}/uploads`, body: EMPTY_CONTENT }) },
  {
    route: 'shareFile',
    expected: [200, 403, 403, 404, 401],
    request: (f) => ({ path: `/files/${f.file.fileId}/shares`, body: { emails: [f.cast.viewer.email], role: 'viewer' } }),
  },
  { route: 'listCollaborators', expected: [200, 403, 403, 404, 401], request: (f) => ({ path: `/files/${f.file.fileId}/shares` }) },
  {
    route: 'revokeShare',
    expected: [200, 403, 403, 404, 401],
    request: (f) => ({ path: `/files/${f.file.fileId}/shares/${collaboratorIdOf(f.file.fileId, f.cast.viewer.email)}` }),
    fresh: true,
  },
  { route: 'listShared', expected: [200, 200, 200, 200, 401], request: () => ({ path: '/shared' }) },
  { route: 'listChanges', expected: [200, 200, 200, 200, 401], request: () => ({ path: '/changes' }) },
  {
    route: 'startUploadBatch',
    expected: [200, 200, 200, 200, 401],
    request: (f) => ({ path: '/upload-batches', body: { uploads: [{ path: `/matrix/${f.cell}.bin`, ...EMPTY_CONTENT }] } }),
    batch: true,
  },
  {
    route: 'commitUploadBatch',
    expected: [200, 404, 404, 404, 401],
    request: (f) => ({ path: '/upload-batches/commit', body: { commits: [{ uploadId: f.ownerEmptySession.uploadId, expectedRevision: 0 }] } }),
    batch: true,
  },
  // Packs go to the caller's own namespace only: anyone signed in gets URLs for their own keys.
  {
    route: 'startPackUploads',
    expected: [200, 200, 200, 200, 401],
    request: () => ({ path: '/packs', body: { packs: [{ hash: 'a'.repeat(64), size: 100 }] } }),
  },
  { route: 'listVersions', expected: [200, 200, 200, 404, 401], request: (f) => ({ path: `/files/${f.file.fileId}/versions` }) },
  // Restoring the current version changes nothing, so the cells may share the file.
  { route: 'restoreVersion', expected: [200, 200, 403, 404, 401], request: (f) => ({ path: `/files/${f.file.fileId}/versions/1/restore`, body: {} }) },
  { route: 'listTrash', expected: [200, 200, 200, 200, 401], request: () => ({ path: '/trash' }) },
  // The trash is the owner's alone: to anyone else a file in it does not exist.
  { route: 'restoreTrash', expected: [200, 404, 404, 404, 401], request: (f) => ({ path: '/trash/restore', body: { fileId: f.file.fileId } }), fresh: true, trashed: true },
  { route: 'purgeTrash', expected: [200, 404, 404, 404, 401], request: (f) => ({ path: '/trash/purge', body: { fileId: f.file.fileId } }), fresh: true, trashed: true },
  // Folders are paths of the caller's own namespace: a recipient of a shared file inside the owner's
  // folder cannot name that folder at all (404), so only the owner moves or deletes it.
  { route: 'makeFolder', expected: [200, 200, 200, 200, 401], request: (f) => ({ path: '/folders', body: { path: `/matrix/made-${f.cell}` } }) },
  {
    route: 'moveFolder',
    expected: [200, 404, 404, 404, 401],
    request: (f) => ({ path: '/folders/move', body: { fromPath: `/matrix/${f.cell}`, toPath: `/matrix/${f.cell}-moved` } }),
    fresh: true,
    inFolder: true,
  },
  { route: 'deleteFolder', expected: [200, 404, 404, 404, 401], request: (f) => ({ path: '/folders/delete', body: { path: `/matrix/${f.cell}` } }), fresh: true, inFolder: true },
  { route: 'downloadBatch', expected: [200, 200, 200, 404, 401], request: (f) => ({ path: '/download-batches', body: { files: [{ fileId: f.file.fileId }] } }), batch: true },
];

let target: Target;
let base: Omit<Fixture, 'cell'>;
/** Statuses as they ran, by route. */
const ran = new Map<RouteId, Partial<Record<CallerName, number>>>();

beforeAll(async () => {
  target = await getTarget();
  const cast = await createCast(target);
  const file = await sharedFile(target, cast, '/matrix/shared.bin', [4096]);
  const [pending, empty] = await Promise.all([
    startUpload(target, cast.owner, testFile('/matrix/pending.bin', [2048])),
    startUpload(target, cast.owner, testFile('/matrix/empty.bin', [])),
  ]);
  base = { cast, file, ownerSession: pending.json, ownerEmptySession: empty.json };
}, SETUP_TIMEOUT_MS);

afterAll(() => {
  const header = `| endpoint | ${CALLERS.join(' | ')} |\n|---|${CALLERS.map(() => '---').join('|')}|\n`;
  const rows = MATRIX.map((row) => {
    const cells = CALLERS.map((caller, i) => {
      const status = ran.get(row.route)?.[caller];
      if (status === undefined) return 'not run';
      return status === row.expected[i] ? String(status) : `${status} (expected ${row.expected[i]})`;
    });
    return `| ${routeKey(ROUTES[row.route])}${row.batch ? ' (per item)' : ''} | ${cells.join(' | ')} |`;
  });
  process.stdout.write(`\nSharing access matrix as it ran:\n\n${header}${rows.join('\n')}\n\n`);
});

test('the matrix covers every route of the contract', () => {
  expect(MATRIX.map((row) => row.route).sort()).toEqual((Object.keys(ROUTES) as RouteId[]).sort());
});

const CELLS = MATRIX.flatMap((row) => CALLERS.map((caller, i) => ({ key: routeKey(ROUTES[row.route]), row, caller, status: row.expected[i] })));

// Setup's timeout: cells of changing endpoints first set up a shared file of their own.
test.each(CELLS)('$key as $caller answers $status', async ({ row, caller, status }) => {
  // Prepare
  const cell = `${row.route}-${caller.replace(' ', '-')}`;
  const file = row.fresh ? await sharedFile(target, base.cast, row.inFolder ? `/matrix/${cell}/in.bin` : `/matrix/${cell}.bin`) : base.file;
  if (row.trashed) await api(target, 'DELETE', `/files/${file.fileId}`, { token: base.cast.owner.accessToken });
  const { path, body } = row.request({ ...base, file, cell });
  const user: TestUser | undefined = caller === 'no token' ? undefined : base.cast[caller];

  // Act
  const answer = await api(target, ROUTES[row.route].method, path, { token: user?.accessToken, body });
  const effective = row.batch && answer.status === 200 ? itemStatus(answer) : answer.status;
  ran.set(row.route, { ...ran.get(row.route), [caller]: effective });

  // Assess
  expect({ status: effective, body: effective === status ? undefined : answer.text }).toEqual({ status, body: undefined });
}, SETUP_TIMEOUT_MS);
