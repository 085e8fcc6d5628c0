/**
 * DynamoDB Local, the official AWS emulator (Java), from the jar the amplify-dynamodb-simulator npm
 * package ships. -sharedDb keeps one database file whatever region or credentials a client uses.
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOCAL_HOST, LOCAL_REGION, type DynamoDbStore } from '../config';
import { startChild } from '../process/child';
import { localCredentials } from './credentials';

export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

const emulatorDir = () => path.join(path.dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');

/**
 * The JVM is told to stop at the C1 compiler and use the serial collector: start-up drops from about
 * 1.5 s to 1 s on two cores, and an emulator serving one developer never needs C2's peak speed.
 */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/** JAVA_HOME's java when set (how CI images and JDK installers point at a JDK), else java from PATH. */
export const javaCommand = (env: NodeJS.ProcessEnv) => (env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java');

export async function startDynamoDbLocal(opts: {
  port: number;
  /** Its working folder, and where it keeps its tables when `store` is disk. */
  dbPath: string;
  store?: DynamoDbStore;
  logFile: string;
  pidFile?: string;
  onUnexpectedExit?: (reason: string) => void;
}): Promise<DynamoDbLocal> {
  const dir = emulatorDir();
  const jar = path.join(dir, 'DynamoDBLocal.jar');
  if (!fs.existsSync(jar)) throw new Error(`DynamoDB Local is missing: ${jar} (reinstall amplify-dynamodb-simulator)`);
  fs.mkdirSync(opts.dbPath, { recursive: true });
  const endpoint = `http://${LOCAL_HOST}:${opts.port}`;
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: localCredentials, maxAttempts: 1 });
  const child = await startChild({
    name: 'DynamoDB Local',
    command: javaCommand(process.env),
    args: [
      ...JVM_FLAGS,
      `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      jar,
      '-sharedDb',
      // It would otherwise try to phone home from a developer's machine (and wait on it without a network).
      '-disableTelemetry',
      ...(opts.store === 'memory' ? ['-inMemory'] : ['-dbPath', opts.dbPath]),
      '-port',
      String(opts.port),
    ],
    // Inside the data dir, which is how a later runtime recognizes it as a leftover of this one.
    cwd: opts.dbPath,
    logFile: opts.logFile,
    pidFile: opts.pidFile,
    healthy: async () => Array.isArray((await client.send(new ListTablesCommand({}))).TableNames),
    startTimeoutMs: 30_000,
    requirement: 'DynamoDB Local needs Java 17 or later: install a JDK or set JAVA_HOME',
    onUnexpectedExit: opts.onUnexpectedExit,
  });
  client.destroy();
  return { endpoint, stop: () => child.stop() };
}
