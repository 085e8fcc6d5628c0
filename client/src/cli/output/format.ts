/** How the CLI writes sizes, rates and failures for people. */
import type { ToteError, ToteErrorCode } from '../../core/errors';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`;
}

export const formatRate = (bytesPerSecond: number): string => `${formatBytes(Math.round(bytesPerSecond))}/s`;

/** A moment for people, in local time: the time alone when it is today, else the date too. */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}`;
  if (when.toDateString() === now.toDateString()) return time;
  return `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())} ${time}`;
}

/** What to do next, for failures a person can fix. */
const HINTS: Partial<Record<ToteErrorCode, string>> = {
  NOT_LOGGED_IN: 'run `tote login <email>`',
  UNAUTHORIZED: 'run `tote login <email>`',
  USER_NOT_CONFIRMED: 'run `tote confirm <email> <code>`',
  REVISION_CONFLICT: 'it changed meanwhile; run the command again',
  IS_A_FOLDER: 'list what is in it with `tote ls <folder>`',
};

/** One line: `tote: <subject>: <message> (<CODE>)`, plus a hint where one helps. */
export function formatFailure(error: ToteError): string {
  const subject = error.subject !== undefined ? `${error.subject}: ` : '';
  const hint = HINTS[error.code] !== undefined && !error.message.includes('`tote ') ? `; ${HINTS[error.code]}` : '';
  return `tote: ${subject}${error.message}${hint} (${error.code})`;
}
