/**
 * The usual setup of a test that drives the real client against the fake service: registers a
 * beforeEach that starts the fake, makes a temp folder and a client signed in to the fake (recording
 * its events), and an afterEach that ends them. Read the fields inside tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToteClient, type ToteClient, type ToteClientOptions } from '../../../../client/src/client';
import type { ToteEvent } from '../../../../client/src/events';
import { FakeTote } from './fake-tote';

export interface FakeClient {
  readonly fake: FakeTote;
  /** A temp folder for the test's files (the client's config and state live inside it). */
  readonly root: string;
  readonly client: ToteClient;
  readonly events: ToteEvent[];
}

/** Waits of at most 5 ms: retries and commit polls run at once. */
export const quickSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 5)));

export function fakeClient(options: ToteClientOptions = {}): FakeClient {
  const fixture = {} as { fake: FakeTote; root: string; client: ToteClient; events: ToteEvent[] };
  beforeEach(async () => {
    fixture.fake = new FakeTote();
    await fixture.fake.start();
    fixture.root = mkdtempSync(join(tmpdir(), 'tote-client-'));
    fixture.fake.signIn(join(fixture.root, 'config'));
    const events: ToteEvent[] = [];
    fixture.events = events;
    fixture.client = await createToteClient({
      endpoint: fixture.fake.url,
      configDir: join(fixture.root, 'config'),
      stateDir: join(fixture.root, 'state'),
      env: {},
      commitPatienceMs: 300,
      ...options,
      onEvent: (e) => {
        events.push(e);
        options.onEvent?.(e);
      },
    });
  });
  afterEach(async () => {
    fixture.client.close();
    await fixture.fake.stop();
    rmSync(fixture.root, { recursive: true, force: true });
  });
  return fixture;
}
