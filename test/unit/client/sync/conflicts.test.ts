import { decide, UNCHANGED, type Decision, type LocalSide, type SideChange } from '../../../../client/src/sync/conflicts';

const edited: SideChange = { deleted: false, moved: false, edited: true };
const moved: SideChange = { deleted: false, moved: true, edited: false };
const movedEdited: SideChange = { deleted: false, moved: true, edited: true };
const deleted: SideChange = { deleted: true, moved: false, edited: false };
const same = { sameContent: true, samePath: true };
const differ = { sameContent: false, samePath: false };

/** [local, remote, outcome, decision, why] — in the order of the rules. */
const CASES: [LocalSide, SideChange, { sameContent: boolean; samePath: boolean }, Decision, string][] = [
  ['being-written', edited, differ, 'wait', 'nothing is decided about a file still being written'],
  [UNCHANGED, UNCHANGED, same, 'nothing', 'nothing changed'],
  [deleted, deleted, differ, 'forget', 'deleted on both sides'],
  [UNCHANGED, edited, differ, 'pull', 'only the remote changed'],
  [UNCHANGED, deleted, differ, 'pull', 'a remote delete of an unchanged file'],
  [edited, UNCHANGED, differ, 'push', 'only the local side changed'],
  [deleted, UNCHANGED, differ, 'push', 'a local delete of a file unchanged remotely'],
  [deleted, edited, differ, 'restore', 'a remote edit beats a local delete'],
  [deleted, moved, differ, 'restore', 'a remote move beats a local delete'],
  [edited, deleted, differ, 'push-as-new', 'a local edit beats a remote delete'],
  [moved, deleted, differ, 'push-as-new', 'a local move beats a remote delete'],
  [edited, edited, differ, 'keep-both', 'different edits on both sides'],
  [edited, edited, same, 'converged', 'the same edit on both sides'],
  [movedEdited, edited, { sameContent: true, samePath: false }, 'follow-remote', 'the same edit, moved here'],
  [moved, edited, differ, 'pull-first', 'moved here, edited there'],
  [edited, moved, differ, 'pull-first', 'edited here, moved there'],
  [moved, moved, same, 'converged', 'moved to the same place on both sides'],
  [moved, moved, { sameContent: true, samePath: false }, 'follow-remote', 'moved to different places'],
];

describe('decide', () => {
  it.each(CASES)('local %j, remote %j (%j) -> %s: %s', (local, remote, outcome, decision) => {
    expect(decide(local, remote, outcome)).toBe(decision);
  });
});
