/**
 * What the fuzz suite runs against: a local runtime of its own (a fresh data dir, so "nothing
 * stored changed" can be checked over every table and bucket exactly), on s3rver (the suite tests
 * what the handlers answer, not S3), with a cast: the attacker who sends every request and owns
 * nothing, and a victim with a file shared with a third user and an invited address, an upload in
 * progress, and ids the attacker's requests name. Every token kind the requests use is minted here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { localCredentials } from '../../local/emulators/credentials';
import { api } from '../integration/harness/api';
import { cognitoLocalKey, decodeJwt, signJwt, strangerKey } from '../integration/harness/jwt';
import { startRuntimeProcess, type RuntimeProcess } from '../integration/harness/runtime-process';
import { targetOf, type Target } from '../integration/harness/target';
import { startUpload, testFile, uploadFile } from '../integration/harness/uploads';
import { createUser, signIn, type TestUser } from '../integration/harness/users';
import { collaboratorIdOf } from '../../lambdas/domain/sharing';
import type { TokenKind } from './requests';
import { stateReader, type StateReader } from './state';

export interface World {
  readonly target: Target;
  /** Ids of the victim's things (and of nothing), offered to every id-shaped field. */
  readonly foreign: readonly string[];
  /** The Authorization header value for a token kind, or undefined for none; re-signs in before the access token lapses. */
  authorization(kind: TokenKind): Promise<string | undefined>;
  readonly state: StateReader;
  readonly logFile: string;
  /** Stops the runtime; its data dir (and log) is kept when `keep` or when the runtime failed to stop cleanly. */
  stop(keep?: boolean): Promise<void>;
}

/** Access tokens live 5 minutes; sign in again well before. */
const TOKEN_REFRESH_MS = 3 * 60_000;

export async function createWorld(): Promise<World> {
  // The harness's user helpers confirm sign-ups with admin calls; cognito-local takes any key.
  process.env.AWS_ACCESS_KEY_ID ??= localCredentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= localCredentials.secretAccessKey;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tote-fuzz-'));
  const logFile = path.join(dataDir, 'runtime.log');
  const runtime: RuntimeProcess = await startRuntimeProcess({ dataDir, logFile, s3Backend: 's3rver' });
  try {
    const target = targetOf(runtime.info);
    const [attacker, victim, friend] = await Promise.all([1, 2, 3].map(() => createUser(target)));
    const file = await uploadFile(target, victim, testFile('/fuzz/victim.bin', [3000, 2000]));
    const pending = await startUpload(target, victim, testFile('/fuzz/pending.bin', [1000]));
    const invited = `invited-${randomUUID()}@example.com`;
    const shared = await api(target, 'PUT', `/files/${file.fileId}/shares`, { token: victim.accessToken, body: { emails: [friend.email, invited], role: 'editor' } });
    if (pending.status !== 200 || shared.status !== 200) throw new Error(`fuzz fixture: upload ${pending.status}, share ${shared.status}`);
    const foreign = [file.fileId, pending.json.uploadId, collaboratorIdOf(file.fileId, friend.email), collaboratorIdOf(file.fileId, invited), victim.sub, friend.sub, randomUUID()];
    return {
      target,
      foreign,
      authorization: tokens(target, attacker),
      state: stateReader({ ...runtime.info, credentials: localCredentials }),
      logFile,
      async stop(keep = false) {
        const code = await runtime.stop();
        if (code === 0 && !keep) fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await runtime.stop();
    throw err;
  }
}

function tokens(target: Target, user: TestUser): (kind: TokenKind) => Promise<string | undefined> {
  let current = { access: user.accessToken, id: user.idToken, at: Date.now() };
  const forger = strangerKey();
  const issuer = cognitoLocalKey();
  return async (kind) => {
    if (Date.now() - current.at > TOKEN_REFRESH_MS) {
      const fresh = await signIn(target, user.email, user.password);
      current = { access: fresh.accessToken, id: fresh.idToken, at: Date.now() };
    }
    const genuine = decodeJwt(current.access);
    const past = Math.floor(Date.now() / 1000) - 3600;
    switch (kind) {
      case 'access':
        return `Bearer ${current.access}`;
      case 'none':
        return undefined;
      case 'garbage':
        return 'Bearer not.a.jwt';
      case 'id':
        return `Bearer ${current.id}`;
      case 'expired':
        return `Bearer ${signJwt({ header: genuine.header, payload: { ...genuine.payload, iat: past - 60, exp: past } }, issuer)}`;
      case 'forged':
        return `Bearer ${signJwt(genuine, forger)}`;
      case 'other-client':
        return `Bearer ${signJwt({ header: genuine.header, payload: { ...genuine.payload, client_id: 'another-client' } }, issuer)}`;
    }
  };
}
