import { ApiClient, type TokenSource } from '../../../web/src/api/client';

type Answer = { status: number; body?: unknown };

/** A fetch that answers from a script and records what was asked. */
function scripted(answers: Answer[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: URL | string, init: RequestInit) => {
    calls.push({ url: String(url), init });
    const next = answers.shift() ?? { status: 500 };
    return new Response(next.body === undefined ? '' : JSON.stringify(next.body), { status: next.status });
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

const tokens = (): TokenSource & { refreshed: number } => {
  const source = {
    refreshed: 0,
    accessToken: async () => 'old',
    refreshedAccessToken: async () => {
      source.refreshed++;
      return 'new';
    },
  };
  return source;
};

describe('web API client', () => {
  it('builds the request from the contract: path parameters, query, bearer token and JSON body', async () => {
    // Prepare
    const { calls, fetch } = scripted([{ status: 200, body: { fileId: 'f1', collaborators: [] } }]);
    const api = new ApiClient({ endpoint: 'http://api', tokens: tokens(), fetch });
    // Act
    await api.call('shareFile', { params: { fileId: 'a b' }, body: { emails: ['bob@example.com'], role: 'viewer' } });
    // Assess
    expect(calls[0].url).toBe('http://api/files/a%20b/shares');
    expect(calls[0].init).toMatchObject({ method: 'PUT', body: '{"emails":["bob@example.com"],"role":"viewer"}' });
    expect(calls[0].init.headers).toMatchObject({ authorization: 'Bearer old', 'content-type': 'application/json' });
  });

  it('refreshes the token once when the API refuses it, and repeats the call with the new one', async () => {
    // Prepare
    const source = tokens();
    const { calls, fetch } = scripted([{ status: 401, body: { message: 'Unauthorized' } }, { status: 200, body: { path: '/', entries: [] } }]);
    const api = new ApiClient({ endpoint: 'http://api', tokens: source, fetch });
    // Act
    const answer = await api.call('listFolder', { query: { path: '/' } });
    // Assess
    expect(answer.entries).toEqual([]);
    expect(source.refreshed).toBe(1);
    expect(calls.map((c) => (c.init.headers as Record<string, string>).authorization)).toEqual(['Bearer old', 'Bearer new']);
  });

  it('passes the service\'s error code and details through', async () => {
    // Prepare
    const { fetch } = scripted([{ status: 400, body: { error: { code: 'UNKNOWN_RECIPIENTS', message: 'no account', details: { emails: ['x@example.com'] } } } }]);
    const api = new ApiClient({ endpoint: 'http://api', tokens: tokens(), fetch });
    // Act
    const failure = await api.call('shareFile', { params: { fileId: 'f' }, body: { emails: ['x@example.com'], role: 'viewer' } }).catch((e: unknown) => e);
    // Assess
    expect(failure).toMatchObject({ code: 'UNKNOWN_RECIPIENTS', status: 400, details: { emails: ['x@example.com'] } });
  });

  it('retries a read through transient failures, but never a move whose outcome is unknown', async () => {
    // Prepare
    const read = scripted([{ status: 503 }, { status: 502 }, { status: 200, body: { entries: [] } }]);
    const move = scripted([{ status: 503 }, { status: 200, body: {} }]);
    // Act
    const listed = await new ApiClient({ endpoint: 'http://api', tokens: tokens(), fetch: read.fetch }).call('listShared', { query: {} });
    const moved = await new ApiClient({ endpoint: 'http://api', tokens: tokens(), fetch: move.fetch })
      .call('moveFile', { params: { fileId: 'f' }, body: { toPath: '/b' } })
      .catch((e: unknown) => e);
    // Assess
    expect(listed.entries).toEqual([]);
    expect(read.calls).toHaveLength(3);
    expect(moved).toMatchObject({ code: 'UNAVAILABLE', status: 503 });
    expect(move.calls).toHaveLength(1);
  });
});
