/**
 * The cloud assemblies every test run shares: local/synth caches one per source fingerprint, so the
 * integration runtime, the CDK tests' bundle checks and the bench bundle the handlers once per change.
 */
import * as path from 'node:path';

export const TEST_SYNTH_CACHE = path.join(__dirname, '..', '..', 'node_modules', '.cache', 'tote-local', 'cdk.out');
