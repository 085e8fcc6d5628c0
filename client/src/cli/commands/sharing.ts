/** share, unshare, collaborators, shared. */
import type { Collaborator, ShareRole, SharedFileEntry } from '@contract/schemas';
import type { RemoteRef, ToteClient } from '../../client';
import { sharedRefOf } from '../../sharing/refs';
import { formatBytes } from '../output/format';
import type { CommandOutput } from './output';

const who = (c: Collaborator) => `${c.email} (${c.role})`;

export async function share(client: ToteClient, remote: RemoteRef, emails: readonly string[], role: ShareRole): Promise<CommandOutput> {
  const result = await client.share(remote, emails, role);
  return { data: result, lines: [`Shared ${remote} with ${result.collaborators.map(who).join(', ')}.`] };
}

export async function unshare(client: ToteClient, remote: RemoteRef, emails: readonly string[]): Promise<CommandOutput> {
  const revoked = await client.unshare(remote, emails);
  return { data: { revoked }, lines: [`Stopped sharing ${remote} with ${revoked.map((c) => c.email).join(', ')}.`] };
}

export async function collaborators(client: ToteClient, remote: RemoteRef): Promise<CommandOutput> {
  const list = await client.collaborators(remote);
  const lines = list.length === 0 ? [`${remote} is not shared with anyone.`] : list.map((c) => `${c.role.padEnd(6)}  ${c.email}`);
  return { data: { collaborators: list }, lines };
}

function sharedLine(entry: SharedFileEntry): string {
  const when = entry.file.updatedAt.slice(0, 16).replace('T', ' ');
  return `${entry.role.padEnd(6)}  ${formatBytes(entry.file.size).padStart(10)}  ${when}  ${sharedRefOf(entry)}`;
}

/** Files others shared with you, by name, each named the way `tote get` and `tote put` accept it. */
export async function shared(client: ToteClient): Promise<CommandOutput> {
  const entries = (await client.shared()).sort((a, b) => sharedRefOf(a).localeCompare(sharedRefOf(b)));
  const lines = entries.length === 0 ? ['Nothing is shared with you.'] : entries.map(sharedLine);
  return { data: { entries }, lines };
}
