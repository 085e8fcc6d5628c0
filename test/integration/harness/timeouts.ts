/**
 * Jest's 5 s default suits the tests themselves; these are for the parts that legitimately wait on a
 * loaded machine: setting up users and files, and the chunk tracker (an S3 event, then a cold worker).
 */
export const SETUP_TIMEOUT_MS = 60_000;
export const TRACKER_WAIT_MS = 20_000;
/** A test that waits for the tracker, with room for its own requests around the wait. */
export const TRACKER_TEST_TIMEOUT_MS = TRACKER_WAIT_MS + 10_000;
/** How long a local runtime may take to be ready (the synth is cached by then) on a loaded machine. */
export const RUNTIME_READY_MS = 180_000;
/** Two runtime starts, each within its own limit, and a small upload. */
export const RESTART_TEST_TIMEOUT_MS = 2 * RUNTIME_READY_MS + SETUP_TIMEOUT_MS;
