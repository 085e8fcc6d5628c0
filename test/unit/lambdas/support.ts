/**
 * Test helpers: API Gateway v2 events as the HTTP API (and the local runtime) sends them, a call
 * helper that parses the answer, and an in-memory item map behind the mocked DocumentClient's reads.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { BatchGetCommand, GetCommand, QueryCommand, type BatchGetCommandInput, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';

export const OWNER = '11111111-2222-3333-4444-555555555555';
export const STRANGER = '99999999-8888-7777-6666-555555555555';
/** Users a file of OWNER's is shared with in the sharing tests. */
export const EDITOR = 'eeeeeeee-2222-3333-4444-555555555555';
export const VIEWER = 'vvvvvvvv-2222-3333-4444-555555555555';

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export interface EventInput {
  readonly sub?: string | null;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly contentType?: string;
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string>;
}

export function apiEvent(input: EventInput = {}): APIGatewayProxyEventV2 {
  const sub = input.sub === undefined ? OWNER : input.sub;
  const body = input.rawBody ?? (input.body === undefined ? undefined : JSON.stringify(input.body));
  return {
    version: '2.0',
    routeKey: 'ANY /test',
    rawPath: '/test',
    rawQueryString: '',
    headers: { 'Content-Type': input.contentType ?? 'application/json' },
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
    ...(input.params ? { pathParameters: input.params } : {}),
    ...(input.query ? { queryStringParameters: input.query } : {}),
    requestContext: {
      ...(sub === null ? {} : { authorizer: { jwt: { claims: { sub }, scopes: [] } } }),
    },
  } as unknown as APIGatewayProxyEventV2;
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  /** Parsed JSON; `any` so assertions can reach into whatever the handler answered. */
  readonly body: any;
}

import { lambdaContext } from '../../support/lambda-context';

export { lambdaContext };

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number; body: string; headers?: Record<string, unknown> }>;

export async function call(handler: Handler, event: APIGatewayProxyEventV2, context = lambdaContext()): Promise<Answer> {
  const res = await handler(event, context);
  return { status: res.statusCode, headers: res.headers ?? {}, body: JSON.parse(res.body) };
}

type Item = Record<string, unknown>;

/**
 * Items by pk|sk, served to GetCommand and BatchGetCommand (respecting ProjectionExpression is not
 * needed: the code under test reads only projected attributes).
 */
export function serveItems(ddb: AwsStub<any, any, any>, items: Item[]): Map<string, Item> {
  const byKey = new Map(items.map((i) => [`${i.pk}|${i.sk}`, i]));
  ddb.on(GetCommand).callsFake((input: { Key: Item }) => ({ Item: byKey.get(`${input.Key.pk}|${input.Key.sk}`) }));
  ddb.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => {
    const [table, request] = Object.entries(input.RequestItems ?? {})[0];
    const found = (request.Keys ?? []).map((k) => byKey.get(`${k.pk}|${k.sk}`)).filter((i): i is Item => i !== undefined);
    return { Responses: { [table]: found }, UnprocessedKeys: {} };
  });
  return byKey;
}

export const chunkItem = (ownerId: string, hash: string, size: number, extra: Item = {}): Item => ({
  pk: `CHUNKS#${ownerId}`,
  sk: hash,
  size,
  storedSize: size,
  compression: 'none',
  registeredAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

export const FILE_ID = '0b7f3c1e-0000-4000-8000-000000000001';

/** The current-state item of FILE_ID (owner OWNER, /Docs/a.txt); override what a test cares about. */
export const fileMetaItem = (extra: Item = {}): Item => ({
  pk: `FILE#${FILE_ID}`,
  sk: 'META',
  fileId: FILE_ID,
  ownerId: OWNER,
  path: '/Docs/a.txt',
  name: 'a.txt',
  size: 3,
  mimeType: 'text/plain',
  contentHash: sha256('a'),
  revision: 2,
  status: 'uploaded',
  chunkCount: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  contentRevision: 2,
  ...extra,
});

/**
 * Items served to QueryCommand, on the table (`pk`, `sk`) or an index (`gsi1pk`, `gsi1sk`): the key
 * condition's first attribute picks the partition, items come in sort-key order, honouring Limit and
 * ExclusiveStartKey (by sort key), so paging code sees DynamoDB's page boundaries.
 */
export function serveQueries(ddb: AwsStub<any, any, any>, items: Item[]): void {
  ddb.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    const [attribute, placeholder] = (input.KeyConditionExpression ?? '').split(/\s*=\s*/);
    const sortKey = attribute === 'pk' ? 'sk' : 'gsi1sk';
    const value = input.ExpressionAttributeValues?.[placeholder];
    const after = input.ExclusiveStartKey?.[sortKey] as string | undefined;
    const matching = items
      .filter((i) => i[attribute] === value && (after === undefined || String(i[sortKey]) > after))
      .sort((a, b) => String(a[sortKey]).localeCompare(String(b[sortKey])));
    const page = input.Limit === undefined ? matching : matching.slice(0, input.Limit);
    const last = page[page.length - 1];
    const more = page.length < matching.length;
    return { Items: page, ...(more && last ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk } } : {}) };
  });
}

/** A SharedFiles item: FILE_ID of OWNER shared with `recipientId`. */
export const shareItem = (recipientId: string, role: 'viewer' | 'editor', extra: Item = {}): Item => {
  const fileId = (extra.fileId as string | undefined) ?? FILE_ID;
  return {
    pk: `USER#${recipientId}`,
    sk: `FILE#${fileId}`,
    gsi1pk: `FILE#${fileId}`,
    gsi1sk: `USER#${recipientId}`,
    recipientId,
    fileId,
    ownerId: OWNER,
    role,
    recipientEmail: `${role}@example.com`,
    ownerEmail: 'owner@example.com',
    sharedBy: OWNER,
    sharedAt: '2026-01-03T00:00:00.000Z',
    updatedAt: '2026-01-03T00:00:00.000Z',
    ...extra,
  };
};

/** A SharedFiles invitation: FILE_ID of OWNER shared with an address that had no account. */
export const invitationItem = (email: string, role: 'viewer' | 'editor', extra: Item = {}): Item => {
  const fileId = (extra.fileId as string | undefined) ?? FILE_ID;
  return {
    pk: `INVITE#${email.toLowerCase()}`,
    sk: `FILE#${fileId}`,
    gsi1pk: `FILE#${fileId}`,
    gsi1sk: `INVITE#${email.toLowerCase()}`,
    email,
    fileId,
    ownerId: OWNER,
    role,
    ownerEmail: 'owner@example.com',
    sharedBy: OWNER,
    sharedAt: '2026-01-02T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    ...extra,
  };
};

/** A GetObject answer for a stored chunk object. */
export const stored = (body: Buffer, metadata: Record<string, string> = {}) => ({
  Body: Readable.from([body]) as never,
  ContentLength: body.length,
  Metadata: metadata,
});

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Other text for the same bytes: base64url's last character carries bits a decoder drops (none when the length is a multiple of 4). */
export function base64urlAlias(text: string): string {
  const bytes = Buffer.from(text, 'base64url');
  const other = [...BASE64URL].map((ch) => text.slice(0, -1) + ch).find((t) => t !== text && Buffer.from(t, 'base64url').equals(bytes));
  if (other === undefined) throw new Error(`${text} has no other spelling`);
  return other;
}
