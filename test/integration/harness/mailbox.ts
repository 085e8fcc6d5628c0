/**
 * The local runtime's stand-in for a mailbox: cognito-local "delivers" a sign-up's confirmation code
 * by printing it, and the runtime logs it (`Confirmation code for <email>: <code>`), as `npm start`
 * shows it to a person. Tests that confirm a sign-up the way a person does read it from there; only
 * on the local runtime (a deployment mails the code).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eventually } from './eventually';
import { RUNTIME_LOG } from './runtime-process';
import type { Target } from './target';

export async function confirmationCode(target: Target, email: string): Promise<string> {
  if (!target.local) throw new Error('confirmation codes are readable on the local runtime only');
  const log = path.join(target.local.dataDir, RUNTIME_LOG);
  const line = new RegExp(`Confirmation code for ${email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (\\d+)`, 'g');
  return eventually(`the confirmation code for ${email}`, async () => [...fs.readFileSync(log, 'utf8').matchAll(line)].at(-1)?.[1]);
}
