/**
 * Ids the emulators generated on first start, kept in the data dir so a restart finds the same user
 * pool (and its users) again. Written atomically: a crash mid-write must not orphan the users.
 */
import * as fs from 'node:fs';

export interface RuntimeState {
  readonly userPools: Readonly<Record<string, string>>;
  readonly userPoolClients: Readonly<Record<string, string>>;
}

const EMPTY: RuntimeState = { userPools: {}, userPoolClients: {} };

export function readState(file: string): RuntimeState {
  if (!fs.existsSync(file)) return EMPTY;
  return { ...EMPTY, ...(JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<RuntimeState>) };
}

export function writeState(file: string, state: RuntimeState): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(state, null, 2) + '\n');
  fs.renameSync(temp, file);
}
