import { ApiClient, type TokenSource } from '../../../client/src/core/api/client';
import { FakeTote } from './support/fake-tote';

let fake: FakeTote;
beforeEach(async () => {
  fake = new FakeTote();
  await fake.start();
});
afterEach(() => fake.stop());

const noWait = async () => undefined;

function tokens(first: string, refreshed: string): TokenSource & { refreshes: number } {
  return {
    refreshes: 0,
    accessToken: async () => first,
    async refreshedAccessToken() {
      this.refreshes += 1;
      return refreshed;
    },
  };
}

describe('ApiClient', () => {
  it('sends the bearer token and, when it is refused, refreshes it once and tries again', async () => {
    const source = tokens('stale', fake.token);
    const api = new ApiClient({ endpoint: fake.url, tokens: source, sleep: noWait });
    expect(await api.call('listFolder', { query: { path: '/' } })).toEqual({ path: '/', entries: [] });
    expect(source.refreshes).toBe(1);
  });

  it('reports UNAUTHORIZED when the refreshed token is refused too', async () => {
    const source = tokens('stale', 'also-stale');
    const api = new ApiClient({ endpoint: fake.url, tokens: source, sleep: noWait });
    await expect(api.call('lookupPath', { query: { path: '/a' } })).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401, kind: 'api' });
    expect(source.refreshes).toBe(1);
  });

  it("passes the service's error code, message and details through", async () => {
    const api = new ApiClient({ endpoint: fake.url, tokens: tokens(fake.token, fake.token), sleep: noWait });
    await expect(api.call('lookupPath', { query: { path: '/a.txt' } })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      message: 'nothing at /a.txt',
    });
  });

  it('needs no token for health, and refuses other routes without a session', async () => {
    const api = new ApiClient({ endpoint: fake.url, sleep: noWait });
    expect((await api.call('health', {})).status).toBe('ok');
    await expect(api.call('listFolder', { query: {} })).rejects.toMatchObject({ code: 'NOT_LOGGED_IN' });
  });

  it('turns an unreachable service into a NETWORK error naming it, after retrying a safe route', async () => {
    await fake.stop();
    const retries: number[] = [];
    const api = new ApiClient({ endpoint: fake.url, sleep: noWait, retryAttempts: 3, onRetry: (_r, _e, attempt) => retries.push(attempt) });
    await expect(api.call('health', {})).rejects.toMatchObject({ code: 'NETWORK', kind: 'network', message: expect.stringContaining(fake.url) });
    expect(retries).toEqual([1, 2]);
  });

  it('does not repeat a route that is not safe to repeat', async () => {
    await fake.stop();
    const retries: number[] = [];
    const api = new ApiClient({ endpoint: fake.url, tokens: tokens('t', 't'), sleep: noWait, onRetry: (_r, _e, a) => retries.push(a) });
    await expect(api.call('deleteFile', { params: { fileId: 'f' }, query: {} })).rejects.toMatchObject({ code: 'NETWORK' });
    expect(retries).toEqual([]);
  });

  it('rejects an answer that does not match the contract', async () => {
    const lying: typeof fetch = async () => new Response(JSON.stringify({ status: 'ok' }), { status: 200 });
    const api = new ApiClient({ endpoint: 'http://127.0.0.1:1', fetch: lying, sleep: noWait });
    await expect(api.call('health', {})).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE', message: expect.stringContaining('/auth') });
  });

  it('maps bare gateway failures by status', async () => {
    const throttled: typeof fetch = async () => new Response('{"message":"Too Many Requests"}', { status: 429 });
    const api = new ApiClient({ endpoint: 'http://127.0.0.1:1', fetch: throttled, sleep: noWait, retryAttempts: 2 });
    await expect(api.call('health', {})).rejects.toMatchObject({ code: 'THROTTLED', status: 429, message: expect.stringContaining('Too Many') });
  });
});
