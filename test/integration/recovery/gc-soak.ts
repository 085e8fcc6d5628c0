/**
 * `npm run soak:gc -- --runs <n> [--seed-base <s>]`: the collector race test (gc-race.test.ts) for n
 * fresh seeds (../harness/soak.ts), on radosgw when Ceph is installed.
 */
import { soak } from '../harness/soak';

soak({ script: 'soak:gc', what: 'the collector race test', testPath: 'test/integration/recovery/gc-race.test.ts', runsVariable: 'TOTE_GC_RUNS' });
