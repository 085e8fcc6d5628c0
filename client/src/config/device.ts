/**
 * This device's name as the service records it with each change (revisions, trash entries): the
 * TOTE_DEVICE variable, else the host name. A sync folder may name itself otherwise (`tote sync --device`).
 */
import { hostname } from 'node:os';
import { LIMITS } from '@contract/limits';

const CONTROL = /[\u0000-\u001f\u007f]/g;

/** `name` without control characters and cut to the length the service accepts (whole characters). */
export function deviceName(name: string): string {
  let clean = name.replace(CONTROL, '').trim();
  while (Buffer.byteLength(clean) > LIMITS.maxDeviceNameBytes) clean = [...clean].slice(0, -1).join('');
  return clean;
}

export const defaultDeviceName = (env: Readonly<Record<string, string | undefined>>): string => deviceName(env.TOTE_DEVICE || hostname());
