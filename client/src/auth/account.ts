/**
 * Account commands: sign up, confirm, log in, log out. Where to sign in is asked of the service
 * itself (GET /health announces its user pool), so users configure nothing but the endpoint.
 */
import type { ApiClient } from '../core/api/client';
import { updateSettings } from '../config/settings';
import type { CognitoGateway, ConfirmResult, SignUpResult } from './cognito';
import type { AuthDiscovery, CredentialsStore } from './credentials';

export interface AccountDeps {
  readonly api: ApiClient;
  readonly configDir: string;
  readonly store: CredentialsStore;
  readonly gateway: (auth: AuthDiscovery) => CognitoGateway;
}

export interface LoginResult {
  readonly email: string;
  readonly endpoint: string;
}

export class Account {
  constructor(private readonly deps: AccountDeps) {}

  signUp(email: string, password: string): Promise<SignUpResult> {
    return this.withGateway((g) => g.signUp(email, password));
  }

  confirm(email: string, code: string): Promise<ConfirmResult> {
    return this.withGateway((g) => g.confirm(email, code));
  }

  /** Signs in, keeps the tokens for this endpoint and makes it the default for later commands. */
  async login(email: string, password: string): Promise<LoginResult> {
    const auth = await this.discover();
    const tokens = await this.withGateway((g) => g.passwordSignIn(email, password), auth);
    const endpoint = this.deps.api.endpoint;
    await this.deps.store.put(endpoint, {
      email,
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: tokens.accessTokenExpiresAt.toISOString(),
      refreshToken: tokens.refreshToken,
      auth,
    });
    await updateSettings(this.deps.configDir, { endpoint });
    return { email, endpoint };
  }

  /** Forgets this endpoint's tokens; true when there were any. */
  logout(): Promise<boolean> {
    return this.deps.store.remove(this.deps.api.endpoint);
  }

  private async discover(): Promise<AuthDiscovery> {
    return (await this.deps.api.call('health', {})).auth;
  }

  private async withGateway<T>(use: (gateway: CognitoGateway) => Promise<T>, known?: AuthDiscovery): Promise<T> {
    const gateway = this.deps.gateway(known ?? (await this.discover()));
    try {
      return await use(gateway);
    } finally {
      gateway.close();
    }
  }
}
