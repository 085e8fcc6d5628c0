/**
 * The push channel's state machine, on fake timers and fake sockets: connect with the token as a
 * subprotocol, hints, pings and a missing pong, make-before-break rotation before the 2-hour limit,
 * reconnects with growing jittered backoff, a fresh token after a refusal, no channel announced.
 */
import { PUSH } from '@contract/push';
import { ToteError } from '../../../../client/src/core/errors';
import type { ToteEvent } from '../../../../client/src/events';
import { DEFAULT_PUSH_TUNING, PushChannel, type PushChannelDeps } from '../../../../client/src/push/channel';
import { FakeSockets } from './fake-sockets';

const URL = 'wss://push.example/v1';
const MINUTE = 60_000;

function setup(overrides: Partial<PushChannelDeps> = {}, answerPings = false) {
  const sockets = new FakeSockets(answerPings);
  const events: ToteEvent[] = [];
  const log: string[] = [];
  const tokens = { accessToken: jest.fn(async () => 'token-1'), refreshedAccessToken: jest.fn(async () => 'token-2') };
  const channel = new PushChannel({
    discover: async () => URL,
    tokens,
    sockets,
    emit: (e) => events.push(e),
    // Jitter at its middle: delays are half their ceiling, rotation comes half the jitter early.
    random: () => 0.5,
    ...overrides,
  });
  const unsubscribe = channel.subscribe({ hint: () => log.push('hint'), state: (up) => log.push(up ? 'up' : 'down') });
  return { channel, sockets, events, log, tokens, unsubscribe };
}

/** Lets the channel's awaited discovery and token calls run. */
const settle = () => jest.advanceTimersByTimeAsync(0);
const states = (events: readonly ToteEvent[]) => events.flatMap((e) => (e.type === 'push.state' ? [e.state] : []));

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('PushChannel', () => {
  it('connects to the announced URL offering the protocol and the access token, and passes hints on', async () => {
    // Prepare
    const { channel, sockets, events, log } = setup();
    await settle();
    // Act
    sockets.last.accept();
    sockets.last.message({ type: 'changes' });
    sockets.last.message({ type: 'something-else' });
    // Assess
    expect(sockets.opened).toHaveLength(1);
    expect(sockets.last.url).toBe(URL);
    expect(sockets.last.protocols).toEqual([PUSH.protocol, 'token-1']);
    expect(channel.connected).toBe(true);
    expect(log).toEqual(['up', 'hint']);
    expect(states(events)).toEqual(['connecting', 'connected']);
    expect(events.filter((e) => e.type === 'push.hint')).toHaveLength(1);
  });

  it('pings before the idle timeout, and drops a connection that leaves a ping unanswered, then reconnects', async () => {
    // Prepare
    const { sockets, log } = setup();
    await settle();
    const first = sockets.last;
    first.accept();
    // Act
    await jest.advanceTimersByTimeAsync(DEFAULT_PUSH_TUNING.pingEveryMs);
    first.message({ type: 'pong' });
    await jest.advanceTimersByTimeAsync(DEFAULT_PUSH_TUNING.pingEveryMs);
    await jest.advanceTimersByTimeAsync(DEFAULT_PUSH_TUNING.pongTimeoutMs);
    // Assess
    expect(DEFAULT_PUSH_TUNING.pingEveryMs).toBeLessThan(PUSH.idleTimeoutSeconds * 1000);
    expect(first.sent).toEqual([{ action: 'ping' }, { action: 'ping' }]);
    expect(first.ended).toBe('terminated');
    expect(log).toEqual(['up', 'down']);
    // The first retry waits half of the first backoff ceiling (random 0.5).
    await jest.advanceTimersByTimeAsync(DEFAULT_PUSH_TUNING.reconnect.baseMs / 2);
    expect(sockets.opened).toHaveLength(2);
    sockets.last.accept();
    expect(log).toEqual(['up', 'down', 'up']);
  });

  it('replaces its connection before the 2-hour limit, opening the new one before closing the old', async () => {
    // Prepare
    const { sockets, log } = setup({}, true);
    await settle();
    const first = sockets.last;
    first.accept();
    const rotateAt = DEFAULT_PUSH_TUNING.rotateAfterMs - DEFAULT_PUSH_TUNING.rotateJitterMs / 2;
    // Act
    await jest.advanceTimersByTimeAsync(rotateAt - 1);
    const before = sockets.opened.length;
    await jest.advanceTimersByTimeAsync(1);
    const second = sockets.last;
    const bothOpen = first.ended === undefined;
    second.accept();
    first.message({ type: 'changes' });
    second.message({ type: 'changes' });
    // Assess
    expect(rotateAt).toBeLessThan(PUSH.maxConnectionSeconds * 1000);
    expect(before).toBe(1);
    expect(sockets.opened).toHaveLength(2);
    expect(bothOpen).toBe(true);
    expect(first.ended).toBe('closed');
    expect(log).toEqual(['up', 'hint']);
  });

  it('keeps the working connection when its replacement fails, and tries the replacement again', async () => {
    // Prepare
    const { channel, sockets, log } = setup({}, true);
    await settle();
    const first = sockets.last;
    first.accept();
    await jest.advanceTimersByTimeAsync(DEFAULT_PUSH_TUNING.rotateAfterMs);
    // Act
    sockets.last.drop();
    await jest.advanceTimersByTimeAsync(DEFAULT_PUSH_TUNING.reconnect.baseMs);
    // Assess
    expect(channel.connected).toBe(true);
    expect(first.ended).toBeUndefined();
    expect(sockets.opened).toHaveLength(3);
    expect(log).toEqual(['up']);
  });

  it('backs off with growing jittered delays while connecting fails, and resets once a connection held', async () => {
    // Prepare
    const { sockets } = setup();
    await settle();
    const opensAfter = async (ms: number) => {
      const before = sockets.opened.length;
      await jest.advanceTimersByTimeAsync(ms - 1);
      const early = sockets.opened.length;
      await jest.advanceTimersByTimeAsync(1);
      return early === before && sockets.opened.length === before + 1;
    };
    const { baseMs, capMs } = DEFAULT_PUSH_TUNING.reconnect;
    // Act / Assess: with random 0.5 each delay is half of min(cap, base * 2^n).
    sockets.last.drop();
    expect(await opensAfter(baseMs / 2)).toBe(true);
    sockets.last.drop();
    expect(await opensAfter(baseMs)).toBe(true);
    sockets.last.drop();
    expect(await opensAfter(baseMs * 2)).toBe(true);
    for (let i = 0; i < 10; i++) {
      sockets.last.drop();
      await jest.advanceTimersByTimeAsync(capMs);
    }
    sockets.last.drop();
    expect(await opensAfter(capMs / 2)).toBe(true);
    sockets.last.accept();
    await jest.advanceTimersByTimeAsync(DEFAULT_PUSH_TUNING.stableAfterMs);
    sockets.last.drop();
    expect(await opensAfter(baseMs / 2)).toBe(true);
  });

  it('asks for a fresh token after the service refused one', async () => {
    // Prepare
    const { sockets, tokens } = setup();
    await settle();
    // Act
    sockets.last.refuse(401);
    await jest.advanceTimersByTimeAsync(DEFAULT_PUSH_TUNING.reconnect.baseMs);
    // Assess
    expect(tokens.refreshedAccessToken).toHaveBeenCalledTimes(1);
    expect(sockets.last.protocols).toEqual([PUSH.protocol, 'token-2']);
  });

  it('when the service announces no push channel, says so and asks again much later', async () => {
    // Prepare
    const discover = jest.fn(async (): Promise<string | undefined> => undefined);
    const { sockets, events } = setup({ discover });
    await settle();
    // Act
    await jest.advanceTimersByTimeAsync(DEFAULT_PUSH_TUNING.unavailableRetryMs - 1);
    const asked = discover.mock.calls.length;
    await jest.advanceTimersByTimeAsync(1);
    // Assess
    expect(sockets.opened).toHaveLength(0);
    expect(asked).toBe(1);
    expect(discover).toHaveBeenCalledTimes(2);
    expect(states(events)).toEqual(['connecting', 'unavailable', 'connecting', 'unavailable']);
  });

  it('stays quiet, retrying slowly, while the device is signed out', async () => {
    // Prepare
    const tokens = { accessToken: async () => Promise.reject(new ToteError('NOT_LOGGED_IN', 'not logged in')), refreshedAccessToken: async () => 'never' };
    // Act
    const { sockets, events } = setup({ tokens });
    await settle();
    // Assess
    expect(sockets.opened).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ type: 'push.state', state: 'unavailable', retryInMs: DEFAULT_PUSH_TUNING.unavailableRetryMs });
  });

  it('closes its connection and stops every timer when the last listener leaves', async () => {
    // Prepare
    const { channel, sockets, unsubscribe } = setup();
    await settle();
    sockets.last.accept();
    // Act
    unsubscribe();
    await jest.advanceTimersByTimeAsync(3 * 60 * MINUTE);
    // Assess
    expect(channel.connected).toBe(false);
    expect(sockets.opened).toHaveLength(1);
    expect(sockets.last.ended).toBe('closed');
    expect(sockets.last.sent).toEqual([]);
  });
});
