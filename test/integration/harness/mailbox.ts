/**
 * The local runtime's stand-in for a mailbox: the confirmation code cognito-local "sent" a sign-up,
 * for tests that confirm an account the way a person does (SignUp, then ConfirmSignUp with the
 * code), on the local runtime only (a deployment mails it). Read from cognito-local's user store,
 * not from the code it prints: its logger holds a message back until it writes another one (its
 * sonic-boom counts the box's multi-byte characters wrongly), so a printed code can lag.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataLayout } from '../../../local/config';
import { eventually } from './eventually';
import type { Target } from './target';

interface StoredUser {
  readonly Attributes?: readonly { Name: string; Value: string }[];
  readonly ConfirmationCode?: string;
}

export async function confirmationCode(target: Target, email: string): Promise<string> {
  if (!target.local) throw new Error('confirmation codes are readable on the local runtime only');
  const store = path.join(dataLayout(target.local.dataDir).cognito, '.cognito', 'db', `${target.auth.userPoolId}.json`);
  return eventually(`the confirmation code for ${email}`, async () => {
    const users = (JSON.parse(fs.readFileSync(store, 'utf8')) as { Users?: Record<string, StoredUser> }).Users ?? {};
    const user = Object.values(users).find((u) => u.Attributes?.some((a) => a.Name === 'email' && a.Value === email));
    return user?.ConfirmationCode;
  });
}
