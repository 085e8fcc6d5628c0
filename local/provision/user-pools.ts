/**
 * Creates the template's Cognito user pools and app clients in cognito-local on first start and
 * remembers their generated ids; later starts reuse them (recreating any the emulator lost).
 */
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  type CognitoIdentityProviderClient,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { RuntimeState } from './state';

export interface PoolSpec {
  readonly logicalId: string;
  /** Properties with intrinsics resolved. */
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface ClientSpec extends PoolSpec {
  /** Logical id of the pool the client belongs to (its UserPoolId Ref). */
  readonly userPoolLogicalId: string;
}

export async function ensureUserPools(
  client: CognitoIdentityProviderClient,
  pools: readonly PoolSpec[],
  clients: readonly ClientSpec[],
  state: RuntimeState,
): Promise<RuntimeState> {
  const userPools: Record<string, string> = {};
  for (const pool of pools) {
    const known = state.userPools[pool.logicalId];
    userPools[pool.logicalId] = known && (await poolExists(client, known)) ? known : await createPool(client, pool);
  }
  const userPoolClients: Record<string, string> = {};
  for (const spec of clients) {
    const userPoolId = userPools[spec.userPoolLogicalId];
    if (!userPoolId) throw new Error(`user pool client ${spec.logicalId} names unknown pool ${spec.userPoolLogicalId}`);
    const known = state.userPoolClients[spec.logicalId];
    const keep = known && userPoolId === state.userPools[spec.userPoolLogicalId] && (await clientExists(client, userPoolId, known));
    userPoolClients[spec.logicalId] = keep ? known : await createClient(client, userPoolId, spec);
  }
  return { userPools, userPoolClients };
}

async function createPool(client: CognitoIdentityProviderClient, pool: PoolSpec): Promise<string> {
  const { UserPoolName, UserPoolTags, ...rest } = pool.properties as Record<string, unknown>;
  const input = { ...rest, PoolName: String(UserPoolName ?? pool.logicalId), UserPoolTags } as CreateUserPoolCommandInput;
  const created = await client.send(new CreateUserPoolCommand(input));
  return required(created.UserPool?.Id, `CreateUserPool for ${pool.logicalId}`);
}

async function createClient(client: CognitoIdentityProviderClient, userPoolId: string, spec: ClientSpec): Promise<string> {
  const input = { ...spec.properties, UserPoolId: userPoolId, ClientName: String(spec.properties.ClientName ?? spec.logicalId) };
  const created = await client.send(new CreateUserPoolClientCommand(input as CreateUserPoolClientCommandInput));
  return required(created.UserPoolClient?.ClientId, `CreateUserPoolClient for ${spec.logicalId}`);
}

const poolExists = (client: CognitoIdentityProviderClient, id: string) =>
  exists(client.send(new DescribeUserPoolCommand({ UserPoolId: id })));

const clientExists = (client: CognitoIdentityProviderClient, userPoolId: string, clientId: string) =>
  exists(client.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId })));

async function exists(request: Promise<unknown>): Promise<boolean> {
  try {
    await request;
    return true;
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') return false;
    throw err;
  }
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new Error(`${what} returned no id`);
  return value;
}
