import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { storedCode } from '../../../local/emulators/cognito-codes';

const POOL = 'local_Pool1';
let storeDir: string;

beforeEach(() => {
  storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tote-cognito-store-'));
});
afterEach(() => fs.rmSync(storeDir, { recursive: true, force: true }));

const user = (email: string, code?: string) => ({
  Attributes: [
    { Name: 'sub', Value: `sub-of-${email}` },
    { Name: 'email', Value: email },
  ],
  ...(code ? { ConfirmationCode: code } : {}),
});

function writeStore(users: Record<string, unknown>): void {
  fs.writeFileSync(path.join(storeDir, `${POOL}.json`), JSON.stringify({ Users: users, Options: {} }));
}

test('finds the code waiting for a user by the email it signed up with, or by its user name', () => {
  // Prepare: cognito-local keys users by their generated name when the pool signs in by email
  writeStore({ 'uuid-a': user('a@example.com', '302342'), 'uuid-b': user('b@example.com', '118811') });

  // Act / Assess
  expect(storedCode(storeDir, POOL, 'b@example.com')).toEqual({ destination: 'b@example.com', code: '118811' });
  expect(storedCode(storeDir, POOL, 'uuid-a')).toEqual({ destination: 'a@example.com', code: '302342' });
});

test('answers nothing for a confirmed user, an unknown one, another pool or a missing store', () => {
  // Prepare
  writeStore({ 'uuid-a': user('a@example.com') });

  // Act / Assess
  expect(storedCode(storeDir, POOL, 'a@example.com')).toBeUndefined();
  expect(storedCode(storeDir, POOL, 'nobody@example.com')).toBeUndefined();
  expect(storedCode(storeDir, 'local_Other', 'a@example.com')).toBeUndefined();
  fs.writeFileSync(path.join(storeDir, `${POOL}.json`), '{ half a fi');
  expect(storedCode(storeDir, POOL, 'a@example.com')).toBeUndefined();
});
