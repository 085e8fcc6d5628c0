import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The programs startRadosgw runs; Debian ships them in ceph-mon, ceph-osd, radosgw and ceph-common. */
const TOOLS = ['monmaptool', 'ceph-mon', 'ceph-osd', 'ceph', 'radosgw', 'radosgw-admin'] as const;

/** The apt-get line that provides every tool above. */
const CEPH_PACKAGES_INSTALL = 'apt-get install -y ceph-mon ceph-osd radosgw ceph-common';

/** The tools missing from PATH; empty when a cluster can be started. */
function missingCephTools(): string[] {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return TOOLS.filter((tool) => !dirs.some((dir) => isExecutable(join(dir, tool))));
}

/** Why no cluster can be started here, with the command that fixes it; undefined when one can. */
export function cephUnavailable(): string | undefined {
  const missing = missingCephTools();
  return missing.length > 0 ? `Ceph is not installed (missing ${missing.join(', ')}): ${CEPH_PACKAGES_INSTALL}` : undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
