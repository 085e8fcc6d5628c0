/** The account check of every authorized route (domain/account-check.ts), built once per cold start. */
import { AccountCheck } from '@domain/account-check';
import { userDirectory } from '@repo/wiring';
import { readConfig } from './config';

let check: AccountCheck | undefined;

/** Reads the user pool id on first use, which is module scope of every authorized handler: a missing one fails the cold start. */
export function accountCheck(): AccountCheck {
  check ??= new AccountCheck(userDirectory(readConfig('userPoolId').userPoolId).directory);
  return check;
}
