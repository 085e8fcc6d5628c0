/**
 * An in-process stand-in for the Tote service, enough to drive the real client end to end in unit
 * tests: the API routes the client uses, "S3" presigned PUTs (If-None-Match: *, 412, expiry), a
 * chunk "tracker" that verifies and registers asynchronously, packs of small blobs (all blobs or none,
 * each then stored as the chunk object it stands for, so downloads need no ranges here: the
 * integration tests cover those), and a "CDN" for signed GETs. Hooks inject faults; logs record what
 * the client did.
 */
import { LIMITS } from '@contract/limits';
import { createHash, randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parsePackIndex } from '@contract/pack-format';
import type { ChunkRef, Compression, DownloadChunk, FileMetadata, FolderEntry } from '@contract/schemas';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const COMPRESSION_HEADER = 'x-amz-meta-tote-compression';
const EXPIRED = '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>';

interface Session {
  path: string;
  size: number;
  contentHash: string;
  mimeType: string;
  chunks: ChunkRef[];
  committed?: FileMetadata;
  /** An open upload: no manifest until its commit brings one. */
  open?: boolean;
}

type StartInput = Omit<Session, 'contentHash' | 'chunks'> & { contentHash?: string; sessionKey?: string; chunks: ChunkRef[]; compression?: Compression };

interface StoredFile {
  meta: FileMetadata;
  chunks: ChunkRef[];
}

/** What a hook may do to one storage request: answer with a status instead, or damage the bytes. */
export interface Fault {
  status?: number;
  body?: string;
  /** PUT: store (and so register) nothing although answering 200. GET: send flipped bytes. */
  corrupt?: boolean;
}

const DEFERRED = { ok: false, error: { code: 'BATCH_DEFERRED', message: 'the batch ran short of time before this item; ask for it again' } };

export class FakeTote {
  url = '';
  token = 'good-token';
  registrationDelayMs = 0;
  /**
   * The tracker lags until a commit asks: a stored chunk is registered only after a commit found it
   * pending, so the client must wait at commit however slowly the machine runs the test.
   */
  registerOnlyOnceAsked = false;
  /** URLs handed out per start-upload answer (the real service: LIMITS.uploadUrlBatch). */
  startUrlBatch = 500;
  downloadPageChunks = 500;
  /** Files one batched start or commit gets to before it runs short of time: the rest answer BATCH_DEFERRED, untouched. */
  batchBudgetFiles = Infinity;
  onPut?: (hash: string, attempt: number) => Fault | undefined;
  onGet?: (hash: string, attempt: number) => Fault | undefined;

  readonly objects = new Map<string, Buffer>();
  /** How each stored object is compressed (absent: none), as the signed metadata said. */
  readonly compressions = new Map<string, Compression>();
  readonly registry = new Set<string>();
  /** Packs the "tracker" refused (a blob that does not hash to its entry). */
  readonly rejectedPacks = new Set<string>();
  /** Pack PUTs: the pack's hash and how many blobs it carried. */
  readonly packPuts: { hash: string; status: number; blobs: number }[] = [];
  readonly sessions = new Map<string, Session>();
  readonly files = new Map<string, StoredFile>();
  readonly puts: { hash: string; status: number; bytes: number; compression: Compression }[] = [];
  readonly gets: { hash: string; status: number }[] = [];
  readonly apiCalls: string[] = [];
  /** The status of every single commit's answer, in order. */
  readonly commitStatuses: number[] = [];
  private readonly paths = new Map<string, string>();
  /** registerOnlyOnceAsked: what the tracker does for a stored chunk once a commit has asked for it. */
  private readonly untracked = new Map<string, () => void>();
  private server?: Server;
  /** URLs issued before this generation are refused as expired. */
  private generation = 0;
  private validFrom = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: Error) => json(res, 500, { error: { code: 'INTERNAL', message: error.message } }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Leaves a signed-in session for this service in `configDir`, as `tote login` would (no Cognito needed). */
  signIn(configDir: string): void {
    const session = {
      email: 'a@example.com',
      accessToken: this.token,
      accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      refreshToken: 'refresh',
      auth: { region: 'us-east-1', userPoolId: 'local_x', userPoolClientId: 'client' },
    };
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'credentials.json'), JSON.stringify({ sessions: { [this.url]: session } }));
  }

  /** Every URL handed out so far now answers 403 "Request has expired". */
  expireUrls(): void {
    this.validFrom = ++this.generation;
  }

  /** Attempts so far per hash, for hooks that fail the first N. */
  attempts(kind: 'put' | 'get', hash: string): number {
    return (kind === 'put' ? this.puts : this.gets).filter((r) => r.hash === hash).length;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    const storage = /^\/(s3|cdn|s3pack)\/([0-9a-f]{64})$/.exec(url.pathname);
    if (storage?.[1] === 's3pack') return this.putPack(res, storage[2], url, body);
    if (storage) return storage[1] === 's3' ? this.put(req, res, storage[2], url, body) : this.get(res, storage[2], url);
    const route = `${req.method} ${url.pathname}`;
    this.apiCalls.push(route);
    if (route === 'GET /health') {
      return json(res, 200, { status: 'ok', auth: { region: 'us-east-1', userPoolId: 'local_x', userPoolClientId: 'client' } });
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) return json(res, 401, { message: 'Unauthorized' });
    const input = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
    let m: RegExpExecArray | null;
    if (route === 'POST /uploads') return json(res, 200, this.startUpload(input));
    if (route === 'POST /upload-batches') return this.startBatch(res, input.uploads);
    if (route === 'POST /upload-batches/commit') return this.commitBatch(res, input.commits);
    if (route === 'POST /packs') {
      const urls = (input.packs as { hash: string }[]).map((p) => ({ hash: p.hash, url: `${this.url}/s3pack/${p.hash}?generation=${this.generation}`, headers: { 'if-none-match': '*' } }));
      return json(res, 200, { urls, expiresAt: new Date(Date.now() + 60_000).toISOString() });
    }
    if ((m = /^POST \/uploads\/(\w+)\/urls$/.exec(route))) return this.uploadUrls(res, m[1], input.hashes, input.compression, input.verify === true);
    if ((m = /^POST \/uploads\/(\w+)\/commit$/.exec(route))) {
      const outcome = this.commit(m[1], input.expectedRevision, input.manifest);
      this.commitStatuses.push(outcome.status);
      return this.answer(res, outcome);
    }
    if (route === 'GET /paths') return this.lookup(res, url.searchParams.get('path') ?? '');
    if (route === 'GET /folders') return this.list(res, url.searchParams.get('path') ?? '/');
    if (route === 'POST /download-batches') return this.downloadBatch(res, input.files);
    if ((m = /^GET \/files\/([\w-]+)\/download$/.exec(route))) return this.download(res, m[1], Number(url.searchParams.get('chunkOffset') ?? 0));
    if ((m = /^DELETE \/files\/([\w-]+)$/.exec(route))) return this.remove(res, m[1]);
    return json(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${route}` } });
  }

  /** Starts a closed upload (the whole manifest) or an open one (a session key, the chunks cut so far), as the service does. */
  private startUpload(input: StartInput) {
    const uploadId = this.sessionFor(input.sessionKey === undefined ? { ...input, contentHash: input.contentHash ?? '' } : { ...input, contentHash: '', chunks: [] }, input.sessionKey);
    const missing = [...new Set(input.chunks.map((c) => c.hash))].filter((h) => !this.registry.has(h));
    const existingId = this.paths.get(input.path.toLowerCase());
    const existing = existingId ? { fileId: existingId, revision: (this.files.get(existingId) as StoredFile).meta.revision } : null;
    return {
      uploadId,
      missing,
      urls: missing.slice(0, this.startUrlBatch).map((h) => this.presign(h, input.compression)),
      existing,
      expiresAt: new Date(Date.now() + 900_000).toISOString(),
    };
  }

  /** The id of the session for this content at this path (created unless there), as the service derives it. */
  private sessionFor(input: Omit<Session, 'mimeType'> & { mimeType?: string }, sessionKey?: string): string {
    const uploadId = sha(Buffer.from(JSON.stringify([input.path.toLowerCase(), input.contentHash, input.chunks, sessionKey ?? null]))).slice(0, 32);
    if (!this.sessions.has(uploadId)) {
      this.sessions.set(uploadId, {
        path: input.path,
        size: input.size,
        contentHash: input.contentHash,
        chunks: input.chunks,
        mimeType: input.mimeType ?? 'application/octet-stream',
        ...(sessionKey !== undefined ? { open: true } : {}),
      });
    }
    return uploadId;
  }

  private startBatch(res: ServerResponse, uploads: StartInput[]): void {
    json(res, 200, { results: uploads.map((u, i) => (i < this.batchBudgetFiles ? { ok: true, upload: this.startUpload(u) } : DEFERRED)) });
  }

  private commitBatch(res: ServerResponse, commits: { uploadId: string; expectedRevision: number; expectedFileId?: string; pack?: string }[]): void {
    const results = commits.map((c, i) => {
      if (i >= this.batchBudgetFiles) return DEFERRED;
      const outcome = this.commit(c.uploadId, c.expectedRevision, undefined, c.expectedFileId);
      if (outcome.status === 200) return { ok: true, file: outcome.body };
      if (c.pack !== undefined && this.rejectedPacks.has(c.pack)) return { ok: false, error: { code: 'PACK_REJECTED', message: 'pack rejected', details: { pack: c.pack } } };
      // The batch has no pending answer: as the service's, it lists unregistered chunks as missing.
      if (outcome.status === 202) {
        const { pending } = outcome.body as { pending: string[] };
        return { ok: false, error: { code: 'CHUNKS_MISSING', message: 'chunks missing', details: { missing: pending, missingCount: pending.length } } };
      }
      return { ok: false, error: (outcome.body as { error: unknown }).error };
    });
    json(res, 200, { results });
  }

  private answer(res: ServerResponse, outcome: { status: number; body: unknown }): void {
    json(res, outcome.status, outcome.body);
  }

  private uploadUrls(res: ServerResponse, uploadId: string, hashes: string[], compression: Compression | undefined, verify: boolean): void {
    const session = this.sessions.get(uploadId);
    if (!session) return json(res, 404, { error: { code: 'UPLOAD_NOT_FOUND', message: 'no such upload' } });
    const inManifest = new Set(session.open ? hashes : session.chunks.map((c) => c.hash));
    // As the service does when asked to verify: an object stored but never registered is checked now, kept or deleted.
    for (const h of verify ? hashes : []) {
      const held = this.objects.get(h);
      if (held && !this.registry.has(h)) {
        if (this.verifies(h, held)) this.registry.add(h);
        else this.objects.delete(h);
      }
    }
    const missing = hashes.filter((h) => inManifest.has(h) && !this.registry.has(h));
    json(res, 200, { urls: missing.map((h) => this.presign(h, compression)), missing });
  }

  private commit(uploadId: string, expectedRevision: number, manifest?: { contentHash: string; chunks: ChunkRef[] }, expectedFileId?: string): { status: number; body: unknown } {
    const found = this.sessions.get(uploadId);
    if (!found) return { status: 404, body: { error: { code: 'UPLOAD_NOT_FOUND', message: 'no such upload' } } };
    if (Boolean(found.open) !== (manifest !== undefined)) {
      return { status: 400, body: { error: { code: 'VALIDATION_FAILED', message: 'an open upload, and only one, commits with its manifest' } } };
    }
    // An open upload's commit is carried out as the closed session of its content.
    const session = manifest ? (this.sessions.get(this.sessionFor({ ...found, ...manifest })) as Session) : found;
    if (session.committed) return { status: 200, body: session.committed };
    const missing = [...new Set(session.chunks.map((c) => c.hash))].filter((h) => !this.registry.has(h));
    // As the service does: chunks storage holds but the tracker has not registered yet make the commit pending.
    const absent = missing.filter((h) => !this.objects.has(h));
    // A held registration runs once a commit asked (a pack's blobs are absent until their pack is tracked).
    for (const h of missing) {
      const track = this.untracked.get(h);
      this.untracked.delete(h);
      if (track) setImmediate(track);
    }
    if (absent.length > 0) {
      return { status: 409, body: { error: { code: 'CHUNKS_MISSING', message: 'chunks missing', details: { missing: absent, missingCount: absent.length } } } };
    }
    if (missing.length > 0) {
      return { status: 202, body: { status: 'pending', pending: missing, pendingCount: missing.length, retryAfterMs: 1 } };
    }
    const key = session.path.toLowerCase();
    const previous = this.paths.has(key) ? this.files.get(this.paths.get(key) as string) : undefined;
    const current = previous?.meta.revision ?? 0;
    if (current !== expectedRevision || (expectedFileId !== undefined && previous?.meta.fileId !== expectedFileId)) {
      return { status: 409, body: { error: { code: 'REVISION_CONFLICT', message: 'stale', details: { currentRevision: current } } } };
    }
    const now = new Date().toISOString();
    const meta: FileMetadata = {
      fileId: previous?.meta.fileId ?? randomUUID(),
      ownerId: 'owner',
      path: session.path,
      name: session.path.split('/').pop() as string,
      size: session.size,
      mimeType: session.mimeType,
      contentHash: session.contentHash,
      revision: current + 1,
      status: 'uploaded',
      chunkCount: session.chunks.length,
      createdAt: previous?.meta.createdAt ?? now,
      updatedAt: now,
    };
    this.files.set(meta.fileId, { meta, chunks: session.chunks });
    this.paths.set(key, meta.fileId);
    session.committed = meta;
    return { status: 200, body: meta };
  }

  private lookup(res: ServerResponse, path: string): void {
    const id = this.paths.get(path.toLowerCase());
    if (!id) return json(res, 404, { error: { code: 'NOT_FOUND', message: `nothing at ${path}` } });
    json(res, 200, (this.files.get(id) as StoredFile).meta);
  }

  /** Files directly in `folder`, and the folders that hold files below it (folders are not stored), by case-folded name as the service orders them. */
  private list(res: ServerResponse, folder: string): void {
    const prefix = folder === '/' ? '/' : `${folder}/`;
    const live = [...this.files.values()].filter((f) => f.meta.status === 'uploaded' && f.meta.path.startsWith(prefix));
    // As the service answers a folder that does not exist (the fake stores no empty folders).
    if (folder !== '/' && live.length === 0) return json(res, 404, { error: { code: 'NOT_FOUND', message: `no folder at ${folder}` } });
    const folders = new Set(live.map((f) => f.meta.path.slice(prefix.length)).filter((rest) => rest.includes('/')).map((rest) => rest.slice(0, rest.indexOf('/'))));
    const entries: FolderEntry[] = [
      ...[...folders].map((name): FolderEntry => ({ kind: 'folder', name, path: `${prefix}${name}` })),
      ...live
        .filter((f) => !f.meta.path.slice(prefix.length).includes('/'))
        .map(({ meta }): FolderEntry => ({
          kind: 'file',
          name: meta.name,
          path: meta.path,
          fileId: meta.fileId,
          size: meta.size,
          revision: meta.revision,
          contentHash: meta.contentHash,
          updatedAt: meta.updatedAt,
        })),
    ].sort((x, y) => x.name.toLowerCase().localeCompare(y.name.toLowerCase()));
    json(res, 200, { path: folder, entries });
  }

  private download(res: ServerResponse, fileId: string, chunkOffset: number): void {
    const page = this.page(fileId, chunkOffset, this.downloadPageChunks);
    if (!page) return json(res, 404, { error: { code: 'NOT_FOUND', message: 'not found' } });
    json(res, 200, page);
  }

  /** As the service: each file's first page (of `downloadBatchPageChunks`), by id or path, or NOT_FOUND in its place. */
  private downloadBatch(res: ServerResponse, refs: ({ fileId: string } | { path: string })[]): void {
    if (refs.length > LIMITS.batchMaxFiles) return json(res, 400, { error: { code: 'VALIDATION_FAILED', message: 'too many files' } });
    const results = refs.map((ref) => {
      const fileId = 'fileId' in ref ? ref.fileId : this.paths.get(ref.path.toLowerCase());
      const page = fileId === undefined ? undefined : this.page(fileId, 0, LIMITS.downloadBatchPageChunks);
      return page ? { ok: true, download: page } : { ok: false, error: { code: 'NOT_FOUND', message: 'not found' } };
    });
    json(res, 200, { results });
  }

  private page(fileId: string, chunkOffset: number, pageChunks: number) {
    const file = this.files.get(fileId);
    if (!file || file.meta.status !== 'uploaded') return undefined;
    let offset = 0;
    const all: DownloadChunk[] = file.chunks.map((c, index) => {
      const stored = this.objects.get(c.hash);
      const compression = this.compressions.get(c.hash) ?? 'none';
      const chunk = { index, hash: c.hash, size: c.size, offset, storedSize: stored?.length ?? c.size, compression, url: this.sign('cdn', c.hash) };
      offset += c.size;
      return chunk;
    });
    const chunks = all.slice(chunkOffset, chunkOffset + pageChunks);
    const next = chunkOffset + chunks.length;
    return {
      file: file.meta,
      chunks,
      ...(next < all.length && { nextChunkOffset: next }),
      urlsExpireAt: new Date(Date.now() + 300_000).toISOString(),
    };
  }

  private remove(res: ServerResponse, fileId: string): void {
    const file = this.files.get(fileId);
    if (!file) return json(res, 404, { error: { code: 'NOT_FOUND', message: 'not found' } });
    this.paths.delete(file.meta.path.toLowerCase());
    file.meta = { ...file.meta, status: 'deleted', revision: file.meta.revision + 1 };
    json(res, 200, { ...file.meta, restorableUntil: new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString() });
  }

  private presign(hash: string, compression: Compression = 'none') {
    const headers: Record<string, string> = { 'if-none-match': '*', 'x-fake-signed': 'yes' };
    if (compression !== 'none') headers[COMPRESSION_HEADER] = compression;
    return { hash, url: `${this.sign('s3', hash)}&compression=${compression}`, headers };
  }

  /** The tracker's check: the plaintext (decompressed as the metadata says) hashes to the key. */
  private verifies(hash: string, stored: Buffer): boolean {
    try {
      return sha(this.compressions.get(hash) === 'gzip' ? gunzipSync(stored) : stored) === hash;
    } catch {
      return false;
    }
  }

  private sign(kind: 's3' | 'cdn', hash: string): string {
    return `${this.url}/${kind}/${hash}?generation=${this.generation}`;
  }

  private expired(url: URL): boolean {
    return Number(url.searchParams.get('generation')) < this.validFrom;
  }

  private put(req: IncomingMessage, res: ServerResponse, hash: string, url: URL, body: Buffer): void {
    const fault = this.onPut?.(hash, this.attempts('put', hash));
    // The signature covers the compression metadata: a PUT must carry exactly what its URL was signed for.
    const compression = (req.headers[COMPRESSION_HEADER] as Compression | undefined) ?? 'none';
    const signed = req.headers['x-fake-signed'] === 'yes' && url.searchParams.get('compression') === compression;
    const status = this.expired(url) ? 403 : !signed ? 403 : (fault?.status ?? (this.objects.has(hash) ? 412 : 200));
    this.puts.push({ hash, status, bytes: body.length, compression });
    if (status !== 200) {
      res.writeHead(status, { 'content-type': 'application/xml' }).end(this.expired(url) ? EXPIRED : (fault?.body ?? ''));
      return;
    }
    if (!fault?.corrupt) {
      this.objects.set(hash, body);
      if (compression === 'none') this.compressions.delete(hash);
      else this.compressions.set(hash, compression);
      // The tracker: verifies the object, then registers it (or deletes it), some time after the PUT.
      const track = () => {
        if (this.verifies(hash, body)) this.registry.add(hash);
        else this.objects.delete(hash);
      };
      if (this.registerOnlyOnceAsked) this.untracked.set(hash, track);
      else setTimeout(track, this.registrationDelayMs);
    }
    res.writeHead(200).end();
  }

  /** A pack PUT: the "tracker" later checks every blob (onPut may corrupt any) and registers all of them or none. */
  private putPack(res: ServerResponse, packHash: string, url: URL, body: Buffer): void {
    const blobs = parsePackIndex(body);
    const status = this.expired(url) ? 403 : sha(body) !== packHash ? 400 : 200;
    this.packPuts.push({ hash: packHash, status, blobs: blobs.length });
    if (status !== 200) {
      res.writeHead(status, { 'content-type': 'application/xml' }).end(this.expired(url) ? EXPIRED : '');
      return;
    }
    const stored = blobs.map((b) => {
      const fault = this.onPut?.(b.hash, this.attempts('put', b.hash));
      this.puts.push({ hash: b.hash, status: 200, bytes: b.storedLength, compression: b.compression });
      const bytes = body.subarray(b.offset, b.offset + b.storedLength);
      return { ...b, bytes: fault?.corrupt ? Buffer.from(bytes.map((x) => x ^ 0xff)) : bytes };
    });
    const track = () => {
      if (this.rejectedPacks.has(packHash)) return;
      const good = stored.every((b) => {
        try {
          return sha(b.compression === 'gzip' ? gunzipSync(b.bytes) : b.bytes) === b.hash;
        } catch {
          return false;
        }
      });
      if (!good) return void this.rejectedPacks.add(packHash);
      for (const b of stored) {
        if (this.registry.has(b.hash)) continue;
        this.objects.set(b.hash, b.bytes);
        if (b.compression === 'none') this.compressions.delete(b.hash);
        else this.compressions.set(b.hash, b.compression);
        this.registry.add(b.hash);
      }
    };
    // Held like a chunk's registration: the pack is tracked once a commit asks for any of its blobs.
    if (this.registerOnlyOnceAsked) for (const b of stored) this.untracked.set(b.hash, track);
    else setTimeout(track, this.registrationDelayMs);
    res.writeHead(200).end();
  }

  private get(res: ServerResponse, hash: string, url: URL): void {
    const fault = this.onGet?.(hash, this.attempts('get', hash));
    const object = this.objects.get(hash);
    const status = this.expired(url) ? 403 : (fault?.status ?? (object ? 200 : 404));
    this.gets.push({ hash, status });
    if (status !== 200 || !object) {
      res.writeHead(status, { 'content-type': 'application/xml' }).end(this.expired(url) ? EXPIRED : '');
      return;
    }
    res.writeHead(200).end(fault?.corrupt ? Buffer.from(object.map((b) => b ^ 0xff)) : object);
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}
