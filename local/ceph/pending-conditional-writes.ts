/**
 * Conditional PUTs the front (./conditional-write-front) is still deciding. radosgw pushes a PUT's
 * notification while the PUT is in flight, before the front can undo a version it refuses; the
 * tracker would then register bytes that are deleted a moment later, and the registry would promise a
 * chunk storage does not hold. So a notice for such a key waits for the verdict, and is dropped when
 * its version is the one the front undid.
 */
import type { ObjectAddress } from '../emulators/conditional-writes';

/** Resolves with the version id the front deleted, or undefined when the write stood. */
type Verdict = Promise<string | undefined>;

export class PendingConditionalWrites {
  private readonly verdicts = new Map<string, Set<Verdict>>();

  /** Registers a conditional PUT about to be forwarded; call the result with the refused version, if any. */
  begin(address: ObjectAddress): (refusedVersion?: string) => void {
    const id = idOf(address);
    let settle!: (refusedVersion?: string) => void;
    const verdict: Verdict = new Promise((resolve) => (settle = resolve));
    const forKey = this.verdicts.get(id) ?? new Set<Verdict>();
    forKey.add(verdict);
    this.verdicts.set(id, forKey);
    return (refusedVersion) => {
      settle(refusedVersion);
      forKey.delete(verdict);
      if (forKey.size === 0 && this.verdicts.get(id) === forKey) this.verdicts.delete(id);
    };
  }

  /** Whether this version of the object was written only to be undone (waits for pending verdicts). */
  async refused(address: ObjectAddress, versionId: string | undefined): Promise<boolean> {
    const pending = [...(this.verdicts.get(idOf(address)) ?? [])];
    if (pending.length === 0 || versionId === undefined) return false;
    return (await Promise.all(pending)).includes(versionId);
  }
}

const idOf = ({ bucket, key }: ObjectAddress) => `${bucket}/${key}`;
