/**
 * A Secrets Manager stand-in that answers GetSecretValue (JSON 1.1 protocol) from an in-memory map.
 * The only secret Tote has is the CloudFront signing key, so no emulator is worth its start-up time.
 */
import * as http from 'node:http';
import { LOCAL_ACCOUNT, LOCAL_HOST, LOCAL_REGION } from '../config';
import { readBody } from '../http/body';
import { closeServer, listen } from '../http/server';

export interface SecretsStandIn {
  readonly endpoint: string;
  put(name: string, value: string): void;
  stop(): Promise<void>;
}

const JSON_11 = 'application/x-amz-json-1.1';

interface StoredSecret {
  readonly name: string;
  readonly value: string;
  readonly versionId: string;
  readonly createdAt: number;
}

export const secretArn = (name: string) => `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${name}`;

export async function startSecretsStandIn(opts: { port: number }): Promise<SecretsStandIn> {
  const secrets = new Map<string, StoredSecret>();
  const find = (id: unknown) => (typeof id === 'string' ? (secrets.get(id) ?? [...secrets.values()].find((s) => secretArn(s.name) === id)) : undefined);

  const server = http.createServer((req, res) => {
    const answer = (status: number, body: object) =>
      res.writeHead(status, { 'content-type': JSON_11 }).end(JSON.stringify(body));
    const target = String(req.headers['x-amz-target'] ?? '');
    readBody(req, 64 * 1024).then(
      (raw) => {
        if (req.method !== 'POST' || target !== 'secretsmanager.GetSecretValue') {
          return answer(400, { __type: 'UnknownOperationException', message: `${target || req.method} is not supported locally` });
        }
        const secret = find(safeJson(raw)?.SecretId);
        if (!secret) {
          return answer(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
        }
        return answer(200, {
          ARN: secretArn(secret.name),
          Name: secret.name,
          VersionId: secret.versionId,
          SecretString: secret.value,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: secret.createdAt,
        });
      },
      () => answer(400, { __type: 'InvalidRequestException', message: 'request body too large' }),
    );
  });
  const port = await listen(server, opts.port, 'secrets');
  return {
    endpoint: `http://${LOCAL_HOST}:${port}`,
    put(name, value) {
      secrets.set(name, { name, value, versionId: crypto.randomUUID(), createdAt: Math.floor(Date.now() / 1000) });
    },
    stop: () => closeServer(server),
  };
}

function safeJson(raw: Buffer): Record<string, unknown> | undefined {
  try {
    return JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
