/**
 * Invitations become shares: when an account is confirmed (the user pool's post-confirmation
 * trigger), every invitation waiting for its address becomes that account's grant of the file, with
 * the role and the dates the owner gave it. From then on the file is in the account's shared list
 * and change feed like any share, and the owner's collaborators list shows it under the same id.
 *
 * Confirming is what proves the address: a sign-up is confirmed with the code mailed to it (or by an
 * administrator), so no one gets a file shared with an address they cannot read.
 *
 * Each invitation is claimed in one transaction that removes it only if it is still there and grants
 * only if the file is still live, so a revoke or a delete racing with the confirmation wins; claiming
 * again finds nothing (the trigger may run more than once).
 */
import type { Caller } from '@shared/identity';
import type { FileRepository } from '@repo/files';
import type { InvitationRecord, ShareRecord } from '@repo/items';
import type { ShareRepository } from '@repo/shares';
import { applyChange, type ChangeDeps } from './changes';

export interface ClaimDeps extends ChangeDeps {
  readonly files: FileRepository;
  readonly shares: ShareRepository;
}

export interface ConfirmedAccount extends Caller {
  readonly email: string;
}

/** Turns every invitation to the account's address into its grant; answers how many became grants. */
export async function claimInvitations(deps: ClaimDeps, account: ConfirmedAccount): Promise<number> {
  const invitations = await deps.shares.invitationsTo(account.email);
  const claimed = await Promise.all(invitations.map((invitation) => claim(deps, account, invitation)));
  return claimed.filter(Boolean).length;
}

function claim(deps: ClaimDeps, account: ConfirmedAccount, invitation: InvitationRecord): Promise<boolean> {
  const { email, ...shared } = invitation;
  const grant: ShareRecord = { ...shared, recipientId: account.userId, recipientEmail: email };
  const ended = { kind: 'invitation', email, fileId: invitation.fileId } as const;
  return applyChange(deps, async () => {
    const [file, open] = await Promise.all([deps.files.getFile(invitation.fileId), deps.shares.invitationsOf([email], invitation.fileId)]);
    if (!open.has(email.toLowerCase())) return { result: false };
    // A file gone or moved to another owner, or an address that is now the owner's own: nothing to grant.
    const grantable = file?.status === 'uploaded' && file.ownerId === invitation.ownerId && invitation.ownerId !== account.userId;
    if (!grantable) return { write: [deps.shares.removeItem(ended)], result: false };
    return { write: [deps.files.checkLive(invitation.fileId, invitation.ownerId), deps.shares.claimItem(invitation), deps.shares.put(grant)], result: true };
  });
}
