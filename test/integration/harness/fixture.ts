import { getTarget, type Target } from './target';
import { SETUP_TIMEOUT_MS } from './timeouts';
import { createUser, type TestUser } from './users';

export interface SignedIn {
  readonly target: Target;
  readonly user: TestUser;
}

/**
 * The usual test-file setup: registers a beforeAll that finds the target and signs up one confirmed
 * user. Read the fields inside tests (they are filled in before the first one runs).
 */
export function signedInUser(): SignedIn {
  const fixture = {} as { target: Target; user: TestUser };
  beforeAll(async () => {
    fixture.target = await getTarget();
    fixture.user = await createUser(fixture.target);
  }, SETUP_TIMEOUT_MS);
  return fixture;
}
