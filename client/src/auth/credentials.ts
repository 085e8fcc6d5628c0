/**
 * credentials.json in the config dir (mode 0600): one signed-in session per endpoint, so switching
 * between the local runtime and a deployment never sends one service's tokens to the other.
 */
import type { HealthResponse } from '@contract/schemas';
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from '../config/json-file';

/** Where to sign in, as GET /health announces it. */
export type AuthDiscovery = HealthResponse['auth'];

export interface StoredSession {
  readonly email: string;
  readonly accessToken: string;
  /** ISO time the access token stops being accepted. */
  readonly accessTokenExpiresAt: string;
  readonly refreshToken: string;
  /** Kept so a refresh needs no round trip to /health. */
  readonly auth: AuthDiscovery;
}

interface CredentialsFile {
  sessions: Record<string, StoredSession>;
}

export class CredentialsStore {
  private readonly path: string;

  constructor(configDir: string) {
    this.path = join(configDir, 'credentials.json');
  }

  async get(endpoint: string): Promise<StoredSession | undefined> {
    return (await this.read()).sessions[endpoint];
  }

  async put(endpoint: string, session: StoredSession): Promise<void> {
    const file = await this.read();
    file.sessions[endpoint] = session;
    await writeJsonFile(this.path, file, 0o600);
  }

  /** True when there was a session to forget. */
  async remove(endpoint: string): Promise<boolean> {
    const file = await this.read();
    if (!(endpoint in file.sessions)) return false;
    delete file.sessions[endpoint];
    await writeJsonFile(this.path, file, 0o600);
    return true;
  }

  private async read(): Promise<CredentialsFile> {
    const file = await readJsonFile<CredentialsFile>(this.path, { sessions: {} });
    return { sessions: typeof file.sessions === 'object' && file.sessions !== null ? file.sessions : {} };
  }
}
