/**
 * cognito-local "delivers" a confirmation code by printing a box to its console, but its logger can
 * hold that box back until it writes something else (its buffered stream miscounts the box's
 * multi-byte characters), so a person watching `npm start` may never see the code. The code is read
 * instead from cognito-local's user store, right after an operation that sends one succeeds.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface DeliveredCode {
  readonly destination: string;
  readonly code: string;
}

/** Operations after which Cognito sends the user a code. */
export const CODE_SENDING_OPERATIONS: ReadonlySet<string> = new Set(['SignUp', 'ResendConfirmationCode', 'ForgotPassword']);

interface StoredUser {
  readonly Attributes?: readonly { Name: string; Value: string }[];
  readonly ConfirmationCode?: string;
}

/**
 * The code waiting for `username` (the name or the email it signed up with) in a pool's store file,
 * addressed to the user's email; undefined when the store holds none.
 */
export function storedCode(storeDir: string, userPoolId: string, username: string): DeliveredCode | undefined {
  let users: Record<string, StoredUser>;
  try {
    users = (JSON.parse(fs.readFileSync(path.join(storeDir, `${userPoolId}.json`), 'utf8')) as { Users?: Record<string, StoredUser> }).Users ?? {};
  } catch {
    return undefined;
  }
  const emailOf = (user: StoredUser) => user.Attributes?.find((a) => a.Name === 'email')?.Value;
  const user = users[username] ?? Object.values(users).find((u) => emailOf(u) === username);
  const email = user && emailOf(user);
  return user?.ConfirmationCode && email ? { destination: email, code: user.ConfirmationCode } : undefined;
}
