/**
 * cognito-local as a child process, run from its own folder in the data dir (it keeps its database in
 * `./.cognito`). The token issuer is set to the address it really listens on, so issued tokens name an
 * issuer whose JWKS can be fetched. Its user pool triggers call the runtime's Lambda Invoke API
 * (lambda/invoke-api.ts), which runs the function the template gives each pool.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOCAL_HOST } from '../config';
import { startChild } from '../process/child';
import { answersHttp } from '../process/wait';
import { USER_POOL_TRIGGERS_FUNCTION } from '../lambda/invoke-api';
import { LOCAL_TRIGGERS } from '../template/user-pool-triggers';
import { createCodeReader, type DeliveredCode } from './cognito-codes';

export interface CognitoLocal {
  readonly endpoint: string;
  /** Issuer of the tokens for a pool: `<endpoint>/<poolId>`; its JWKS is under `/.well-known/jwks.json`. */
  issuer(userPoolId: string): string;
  stop(): Promise<void>;
}

export async function startCognitoLocal(opts: {
  port: number;
  directory: string;
  logFile: string;
  pidFile?: string;
  /** Where the runtime serves the Lambda Invoke API that runs user pool triggers. */
  lambdaEndpoint: string;
  onCode: (code: DeliveredCode) => void;
  onUnexpectedExit?: (reason: string) => void;
}): Promise<CognitoLocal> {
  const endpoint = `http://${LOCAL_HOST}:${opts.port}`;
  const configDir = path.join(opts.directory, '.cognito');
  fs.mkdirSync(configDir, { recursive: true });
  const config = {
    TokenConfig: { IssuerDomain: endpoint },
    LambdaClient: { endpoint: opts.lambdaEndpoint },
    TriggerFunctions: Object.fromEntries(LOCAL_TRIGGERS.map((trigger) => [trigger, USER_POOL_TRIGGERS_FUNCTION])),
  };
  fs.writeFileSync(path.join(configDir, 'config.json'), JSON.stringify(config, null, 2));
  const child = await startChild({
    name: 'cognito-local',
    command: process.execPath,
    args: [require.resolve('cognito-local/lib/bin/start.js')],
    cwd: opts.directory,
    env: {
      ...process.env,
      PORT: String(opts.port),
      HOST: LOCAL_HOST,
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      FORCE_COLOR: '0',
    },
    logFile: opts.logFile,
    pidFile: opts.pidFile,
    healthy: () => answersHttp(`${endpoint}/health`),
    startTimeoutMs: 30_000,
    onLine: createCodeReader(opts.onCode),
    onUnexpectedExit: opts.onUnexpectedExit,
  });
  return { endpoint, issuer: (userPoolId) => `${endpoint}/${userPoolId}`, stop: () => child.stop() };
}
