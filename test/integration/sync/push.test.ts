/**
 * Two running daemons on the push channel: a change on A reaches B through a hint, not a poll (B's
 * poll interval while the channel is up is longer than the test), and when B's connection is killed
 * in the middle of a stream of changes (DeleteConnection, as API Gateway does at its limits), B
 * reconnects and nothing is missed: the feed is the truth, the hint only a wake-up.
 */
import { ApiGatewayManagementApiClient, DeleteConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { ToteEvent } from '../../../client/src';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { createUser, type TestUser } from '../harness/users';
import { pushUrl } from '../push/support';
import { treeOf, writeText, type SyncDevice } from './support/devices';
import { appears, runningDaemons } from './support/daemons';

/** Longer than any test here: a poll cannot be what brought a change. */
const PUSH_POLL_MS = 10 * 60_000;
/** Generous: on a loaded machine an upload alone can take many seconds; the assertions do not depend on time. */
const ARRIVAL_MS = 90_000;
const TEST_TIMEOUT_MS = 300_000;

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, withinMs = ARRIVAL_MS): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const pushStates = (events: readonly ToteEvent[]) => events.flatMap((e) => (e.type === 'push.state' ? [e.state] : []));
const pulls = (events: readonly ToteEvent[]) => events.flatMap((e) => (e.type === 'sync.pull' ? [e] : []));

let target: Target;
beforeAll(async () => {
  target = await getTarget();
}, SETUP_TIMEOUT_MS);

describe('sync on the push channel', () => {
  const daemons = runningDaemons();
  afterAll(() => daemons.stop(), SETUP_TIMEOUT_MS);

  /** Devices A and B of a new user, both daemons running with the push channel up. */
  async function pair(): Promise<{ a: SyncDevice; b: SyncDevice; user: TestUser }> {
    const user = await createUser(target);
    const pairDevices: SyncDevice[] = [];
    for (const name of ['A', 'B']) pairDevices.push(await daemons.open(target, user, name, { push: true, pushPollMs: PUSH_POLL_MS }));
    for (const d of pairDevices) await until(`${d.name}'s push channel`, () => pushStates(d.events).includes('connected'));
    return { a: pairDevices[0], b: pairDevices[1], user };
  }

  test(
    'a change on A wakes B through a hint: B reads the feed for the hint, not for a poll',
    async () => {
      // Prepare
      const { a, b } = await pair();
      await writeText(a, 'warm-up.txt', 'first');
      await appears(b, 'warm-up.txt', ARRIVAL_MS);
      const seen = b.events.length;
      // Act
      await writeText(a, 'news.txt', 'fresh');
      await appears(b, 'news.txt', ARRIVAL_MS);
      // Assess
      const after = b.events.slice(seen);
      const hint = after.findIndex((e) => e.type === 'push.hint');
      const bringing = pulls(after).find((p) => p.pulled > 0);
      expect(hint).toBeGreaterThanOrEqual(0);
      expect(bringing?.reasons).toContain('push');
      expect(pulls(after).flatMap((p) => p.reasons)).not.toContain('poll');
      expect(await treeOf(b)).toEqual(await treeOf(a));
    },
    TEST_TIMEOUT_MS,
  );

  // Needs the local runtime: connection ids are read from its DynamoDB.
  const onLocalRuntime = process.env.TOTE_LOCAL_RUNTIME_JSON ? test : test.skip;
  onLocalRuntime(
    "B's connection killed in the middle of a stream of changes: B reconnects and misses nothing",
    async () => {
      // Prepare
      const local = target.local!;
      const { a, b, user } = await pair();
      const table = Object.entries(local.tableNames).find(([logicalId]) => logicalId.includes('FileMetadata'))![1];
      const ddb = new DynamoDBClient({ endpoint: local.dynamodbEndpoint, region: local.region });
      const gateway = new ApiGatewayManagementApiClient({ endpoint: (await pushUrl(target)).replace(/^ws/, 'http'), region: local.region });
      const connectionIds = async () => {
        const answer = await ddb.send(
          new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: `CONN#${user.sub}` } } }),
        );
        return (answer.Items ?? []).map((item) => item.sk.S as string);
      };
      const written: string[] = [];
      // Act: every connection of the user (A's and B's) is ended by the service halfway through.
      for (let i = 0; i < 8; i++) {
        written.push(`stream-${i}.txt`);
        await writeText(a, written[i], `change ${i}`);
        if (i === 3) for (const connectionId of await connectionIds()) await gateway.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
        await new Promise((r) => setTimeout(r, 250));
      }
      // Assess
      for (const rel of written) await appears(b, rel, ARRIVAL_MS);
      expect(await treeOf(b)).toEqual(await treeOf(a));
      const states = pushStates(b.events);
      expect(states.lastIndexOf('disconnected')).toBeGreaterThan(states.indexOf('connected'));
      await until('B connected again', () => pushStates(b.events).at(-1) === 'connected');
      ddb.destroy();
      gateway.destroy();
    },
    TEST_TIMEOUT_MS,
  );
});
