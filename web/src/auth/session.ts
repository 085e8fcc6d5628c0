/**
 * The signed-in session in the browser, as the API client's token source.
 *
 * Where tokens live, and why:
 * - The access token lives in memory only: it is what every API call carries, and no storage an
 *   injected script could read outlives the page.
 * - The refresh token lives in memory and in sessionStorage (never localStorage): a reload of the tab
 *   keeps you signed in, closing the tab ends the session, and other tabs do not inherit it. That is
 *   the right default for a borrowed computer. The web app client's refresh tokens last 12 hours
 *   (lib/constructs/auth.ts), and signing out revokes the refresh token at Cognito.
 * - The page runs under a strict CSP (scripts from our own origin only, no inline code), which is what
 *   keeps foreign scripts away from both.
 *
 * A token is refreshed shortly before it expires, and at once when the API refuses it; concurrent
 * callers share one refresh.
 */
import { WebError } from '../errors';
import type { CognitoGateway, Tokens } from './cognito';

const STORAGE_KEY = 'tote.session';
/** Refresh this long before expiry, so no request leaves with a token about to lapse. */
const EXPIRY_MARGIN_MS = 60_000;

interface Persisted {
  readonly email: string;
  readonly refreshToken: string;
}

export class Session {
  private access?: { token: string; expiresAt: number };
  private refreshing?: Promise<string>;

  private constructor(
    private readonly gateway: CognitoGateway,
    readonly email: string,
    private readonly refreshToken: string,
    private readonly onExpired: () => void,
  ) {}

  /** Signs in with a password and keeps the session for this tab. */
  static async signIn(gateway: CognitoGateway, email: string, password: string, onExpired: () => void): Promise<Session> {
    const tokens = await gateway.passwordSignIn(email, password);
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ email, refreshToken: tokens.refreshToken } satisfies Persisted));
    const session = new Session(gateway, email, tokens.refreshToken, onExpired);
    session.accept(tokens);
    return session;
  }

  /** The session this tab had before a reload, refreshed; undefined when there is none or it has ended. */
  static async resume(gateway: CognitoGateway, onExpired: () => void): Promise<Session | undefined> {
    const saved = readPersisted();
    if (!saved) return undefined;
    const session = new Session(gateway, saved.email, saved.refreshToken, onExpired);
    try {
      await session.refreshedAccessToken();
      return session;
    } catch (error) {
      if (error instanceof WebError && error.code === 'NOT_SIGNED_IN') return undefined;
      throw error;
    }
  }

  async accessToken(): Promise<string> {
    if (this.access && this.access.expiresAt - EXPIRY_MARGIN_MS > Date.now()) return this.access.token;
    return this.refreshedAccessToken();
  }

  refreshedAccessToken(): Promise<string> {
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Ends the session here and at Cognito; signing out never fails for the person. */
  async signOut(): Promise<void> {
    sessionStorage.removeItem(STORAGE_KEY);
    this.access = undefined;
    await this.gateway.revoke(this.refreshToken).catch(() => undefined);
  }

  private async refresh(): Promise<string> {
    let tokens: Tokens;
    try {
      tokens = await this.gateway.refresh(this.refreshToken);
    } catch (error) {
      if (error instanceof WebError && error.code === 'AUTH_FAILED') {
        sessionStorage.removeItem(STORAGE_KEY);
        this.access = undefined;
        this.onExpired();
        throw new WebError('NOT_SIGNED_IN', 'your session has ended: sign in again');
      }
      throw error;
    }
    return this.accept(tokens);
  }

  private accept(tokens: Tokens): string {
    this.access = { token: tokens.accessToken, expiresAt: tokens.expiresAt };
    return tokens.accessToken;
  }
}

function readPersisted(): Persisted | undefined {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Persisted> | null;
    return value && typeof value.email === 'string' && typeof value.refreshToken === 'string'
      ? { email: value.email, refreshToken: value.refreshToken }
      : undefined;
  } catch {
    return undefined;
  }
}
