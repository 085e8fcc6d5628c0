/** Whether small files go up in packs: the client option, else TOTE_PACKS (on/off), else the default (DEFAULT_TRANSFER_TUNING.packs). */
import { ToteError } from '../core/errors';
import { DEFAULT_TRANSFER_TUNING } from '../core/transfer/environment';

const WORDS: Readonly<Record<string, boolean>> = { on: true, off: false, true: true, false: false, '1': true, '0': false };

export function resolvePacks(option: boolean | undefined, env: string | undefined): boolean {
  if (option !== undefined) return option;
  if (env === undefined || env.trim() === '') return DEFAULT_TRANSFER_TUNING.packs;
  const value = WORDS[env.trim().toLowerCase()];
  if (value === undefined) throw new ToteError('USAGE', `TOTE_PACKS is on or off (got "${env}")`);
  return value;
}
