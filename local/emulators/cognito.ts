/**
 * Cognito: cognito-local as a child process on a port of its own, run from its own folder in the data
 * dir (it keeps its database in `./.cognito`), behind the Cognito front (cognito-front.ts) on the
 * Cognito port. The token issuer is the front's address, so issued tokens name an issuer whose JWKS
 * can be fetched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { LOCAL_HOST } from '../config';
import { startDeferredServer } from '../http/deferred-server';
import { startChild } from '../process/child';
import { freePort } from '../process/ports';
import { answersHttp } from '../process/wait';
import { createCodeReader, type DeliveredCode } from './cognito-codes';
import { cognitoFront, type PoolRules } from './cognito-front';

export interface CognitoLocal {
  /** Where clients and functions reach Cognito: the front. Until `enforce` it answers 503. */
  readonly endpoint: string;
  /** cognito-local itself, for provisioning the template's pools before the front opens. */
  readonly adminEndpoint: string;
  /** Issuer of the tokens for a pool: `<endpoint>/<poolId>`; its JWKS is under `/.well-known/jwks.json`. */
  issuer(userPoolId: string): string;
  /** Opens the front with the deployed pools' rules; `admin` is a client of `adminEndpoint`. */
  enforce(pools: readonly PoolRules[], admin: CognitoIdentityProviderClient): void;
  stop(): Promise<void>;
}

export async function startCognitoLocal(opts: {
  port: number;
  directory: string;
  logFile: string;
  pidFile?: string;
  onCode: (code: DeliveredCode) => void;
  onUnexpectedExit?: (reason: string) => void;
}): Promise<CognitoLocal> {
  const front = await startDeferredServer(opts.port, 'cognito');
  const adminEndpoint = `http://${LOCAL_HOST}:${await freePort()}`;
  const configDir = path.join(opts.directory, '.cognito');
  fs.mkdirSync(configDir, { recursive: true });
  fs.writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ TokenConfig: { IssuerDomain: front.url } }, null, 2));
  const child = await startChild({
    name: 'cognito-local',
    command: process.execPath,
    args: [require.resolve('cognito-local/lib/bin/start.js')],
    cwd: opts.directory,
    env: {
      ...process.env,
      PORT: new URL(adminEndpoint).port,
      HOST: LOCAL_HOST,
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      FORCE_COLOR: '0',
    },
    logFile: opts.logFile,
    pidFile: opts.pidFile,
    healthy: () => answersHttp(`${adminEndpoint}/health`),
    startTimeoutMs: 30_000,
    onLine: createCodeReader(opts.onCode),
    onUnexpectedExit: opts.onUnexpectedExit,
  }).catch(async (error: unknown) => {
    await front.stop();
    throw error;
  });
  let closeFront = () => undefined as void;
  return {
    endpoint: front.url,
    adminEndpoint,
    issuer: (userPoolId) => `${front.url}/${userPoolId}`,
    enforce(pools, admin) {
      const { handler, close } = cognitoFront({ upstream: adminEndpoint, admin, pools });
      front.serve(handler);
      closeFront = close;
    },
    async stop() {
      await front.stop();
      closeFront();
      await child.stop();
    },
  };
}
