/** `npm run soak -- --runs <n> [--seed-base <s>]`: the randomized sync test (trinity.test.ts) for n fresh seeds (../harness/soak.ts). */
import { soak } from '../harness/soak';

soak({ script: 'soak', what: 'the randomized sync test', testPath: 'test/integration/sync/trinity.test.ts', runsVariable: 'TOTE_TRINITY_RUNS' });
