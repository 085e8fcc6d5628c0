/**
 * The conflict decision: given how a synced file changed on each side since both agreed, what the
 * sync does about it. One function, an ordered list of rules; the first that matches decides.
 *
 * Priorities, in order: never lose bytes that exist nowhere else; keep the user's latest intent; stay
 * quiet when both sides already agree. Concretely:
 *
 *  1. A local file still being written waits (nothing is decided about half a file).            -> wait
 *  2. Nothing changed on either side.                                                          -> nothing
 *  3. Deleted on both sides.                                                                   -> forget
 *  4. Only the remote changed.                                                                 -> pull
 *  5. Only the local side changed.                                                             -> push
 *  6. Deleted here, edited or moved there: the edit beats the delete, the file comes back.     -> restore
 *  7. Deleted there, edited or moved here: the edit beats the delete, uploaded as a new file.  -> push-as-new
 *  8. Edited on both sides: to the same content, they agree (following the remote's path if
 *     they moved it elsewhere); to different content, both are kept: the remote version takes
 *     the name, the local bytes become `name (conflicted copy <device> <date>).ext`.
 *                                                    -> converged | follow-remote | keep-both
 *  9. Edited on one side, moved on the other: both changes survive; the remote part is applied
 *     here first, the local part goes up on the next pass.                                     -> pull-first
 * 10. Moved on both sides: to the same place they agree, else the remote's place wins (the
 *     content is the same, so nothing is lost either way).                 -> converged | follow-remote
 */
export interface SideChange {
  readonly deleted: boolean;
  /** The path differs from the synced one (a change of case or of Unicode form counts). */
  readonly moved: boolean;
  /** The content differs from the synced one. */
  readonly edited: boolean;
}

export type LocalSide = SideChange | 'being-written';

export type Decision =
  | 'wait'
  | 'nothing'
  | 'forget'
  | 'pull'
  | 'push'
  | 'restore'
  | 'push-as-new'
  | 'converged'
  | 'follow-remote'
  | 'keep-both'
  | 'pull-first';

/** Whether both sides ended with the same content, and at the same path. */
export interface Agreement {
  readonly sameContent: boolean;
  readonly samePath: boolean;
}

export const UNCHANGED: SideChange = { deleted: false, moved: false, edited: false };

const changed = (c: SideChange) => c.deleted || c.moved || c.edited;

export function decide(local: LocalSide, remote: SideChange, outcome: Agreement): Decision {
  if (local === 'being-written') return 'wait';
  if (!changed(local) && !changed(remote)) return 'nothing';
  if (local.deleted && remote.deleted) return 'forget';
  if (!changed(local)) return 'pull';
  if (!changed(remote)) return 'push';
  if (local.deleted) return 'restore';
  if (remote.deleted) return 'push-as-new';
  if (local.edited && remote.edited) {
    if (!outcome.sameContent) return 'keep-both';
    return outcome.samePath ? 'converged' : 'follow-remote';
  }
  if (local.edited || remote.edited) return 'pull-first';
  return outcome.samePath ? 'converged' : 'follow-remote';
}
