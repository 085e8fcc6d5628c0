/**
 * Signing up as a person does, through the client: the pool's password policy applies (the local
 * runtime reads it from the synthesized template, as Cognito has it from the deployed one), and
 * confirming an account twice says it is confirmed rather than failing.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createToteClient, isToteError, type ToteClient } from '../../client/src';
import { run } from '../../client/src/cli/main';
import { getTarget, type Target } from './harness/target';
import { SETUP_TIMEOUT_MS } from './harness/timeouts';
import { createUser } from './harness/users';

let target: Target;
let client: ToteClient;
let root: string;

beforeAll(async () => {
  target = await getTarget();
  root = await mkdtemp(join(tmpdir(), 'tote-signup-'));
  client = await createToteClient({ endpoint: target.apiUrl, configDir: join(root, 'config'), stateDir: join(root, 'state') });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  client?.close();
  await rm(root, { recursive: true, force: true });
});

const newEmail = () => `signup-${randomUUID()}@example.com`;

async function refusal(password: string): Promise<{ code: string; message: string }> {
  const error = await client.signup(newEmail(), password).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isToteError(error)) throw new Error(`sign-up with ${JSON.stringify(password)} was accepted`);
  return { code: error.code, message: error.message };
}

test.each([
  ['weak', 'Password not long enough'],
  ['Abcdefgh1!x', 'Password not long enough'],
  ['abcdefgh1!xy', 'Password must have uppercase characters'],
  ['ABCDEFGH1!XY', 'Password must have lowercase characters'],
  ['Abcdefghi!xy', 'Password must have numeric characters'],
  ['Abcdefghi1xy', 'Password must have symbol characters'],
])(
  'sign-up with %j is refused: %s',
  async (password, problem) => {
    expect(await refusal(password)).toEqual({ code: 'INVALID_PASSWORD', message: `Password did not conform with policy: ${problem}` });
  },
  SETUP_TIMEOUT_MS,
);

test(
  'a password of 12 characters with every class is accepted',
  async () => {
    expect(await client.signup(newEmail(), 'Abcdefgh1!xy')).toMatchObject({ confirmed: false });
  },
  SETUP_TIMEOUT_MS,
);

test(
  'confirming an account that is confirmed already says so, whatever the code',
  async () => {
    // Prepare: a confirmed account
    const user = await createUser(target);

    // Act
    const again = await client.confirm(user.email, '000000');
    let printed = '';
    const out = { isTTY: false, write: (text: string) => (printed += text) };
    const env = { TOTE_ENDPOINT: target.apiUrl, TOTE_CONFIG_DIR: join(root, 'cli-config'), TOTE_STATE_DIR: join(root, 'cli-state') };
    const code = await run(['node', 'tote', 'confirm', user.email, '000000'], { stdout: out, stderr: out, stdin: Readable.from([]) as unknown as NodeJS.ReadStream, env });

    // Assess
    expect(again).toEqual({ alreadyConfirmed: true });
    expect({ code, printed }).toEqual({ code: 0, printed: `${user.email} is confirmed already. Next: tote login ${user.email}\n` });
  },
  SETUP_TIMEOUT_MS,
);

test(
  'a wrong code for an unconfirmed account is still refused',
  async () => {
    // Prepare
    const email = newEmail();
    await client.signup(email, 'Abcdefgh1!xy');

    // Act
    const error = await client.confirm(email, '000000').then(
      () => undefined,
      (e: unknown) => e,
    );

    // Assess
    expect(error).toMatchObject({ code: 'INVALID_CODE' });
  },
  SETUP_TIMEOUT_MS,
);
