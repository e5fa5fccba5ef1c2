import type { ApiClient } from '../api/client';
import { ApiProblem } from '../api/problem';
import { finishConnect, parseConnectReturn, readPending, rememberPending, startConnect } from './finish';

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() { return map.size; },
    clear: () => map.clear(),
    getItem: (k) => map.get(k) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (k) => { map.delete(k); },
    setItem: (k, v) => { map.set(k, v); },
  };
}

function fakeApi(post: (path: string, body: unknown) => Promise<unknown>): ApiClient {
  return { post: vi.fn(post) } as unknown as ApiClient;
}

describe('parseConnectReturn', () => {
  it('reads the new awaiting_completion redirect', () => {
    expect(parseConnectReturn('?provider_key=trellis&state=S1&code=C1&status=awaiting_completion&iss=http%3A%2F%2Fidp'))
      .toEqual({ kind: 'awaiting', state: 'S1', code: 'C1', iss: 'http://idp', providerKey: 'trellis' });
  });
  it('reads the older redirect that already carries the connection', () => {
    expect(parseConnectReturn('?connection_id=2b1c-44&status=active&provider_key=epic'))
      .toEqual({ kind: 'connected', connectionId: '2b1c-44', providerKey: 'epic', status: 'active' });
  });
  it('reads an error, and maps a raw access_denied', () => {
    expect(parseConnectReturn('?provider_key=trellis&error=PROVIDER_CONSENT_DENIED'))
      .toEqual({ kind: 'error', code: 'PROVIDER_CONSENT_DENIED', providerKey: 'trellis' });
    expect(parseConnectReturn('?error=access_denied')).toMatchObject({ code: 'PROVIDER_CONSENT_DENIED' });
    expect(parseConnectReturn('?error=<script>')).toMatchObject({ code: 'OAUTH_AUTHORIZATION_FAILED' });
  });
  it('refuses anything else', () => {
    expect(parseConnectReturn('?state=S1&code=C1')).toEqual({ kind: 'invalid' });
    expect(parseConnectReturn('?connection_id=../../admin')).toEqual({ kind: 'invalid' });
    expect(parseConnectReturn('')).toEqual({ kind: 'invalid' });
  });
});

describe('startConnect', () => {
  it('initiates with the return URL and the accepted terms, and remembers the state', async () => {
    const storage = memoryStorage();
    const api = fakeApi(async () => ({ oauth_url: 'http://sandbox/trellis/oauth2/authorize?state=S9&x=1', session_token: 'secret' }));
    const url = await startConnect(api, 'trellis', '1.0', 'http://localhost:5173', storage, 1000);
    expect(url).toBe('http://sandbox/trellis/oauth2/authorize?state=S9&x=1');
    expect(api.post).toHaveBeenCalledWith('/api/oauth/initiate', {
      provider_key: 'trellis', redirect_url: 'http://localhost:5173/connect/return', accepted_terms_version: '1.0' });
    expect(readPending(storage, 1000)).toEqual({ state: 'S9', provider_key: 'trellis', started_at: 1000 });
    // The session token is a proof of the flow: it is not written to storage.
    expect(JSON.stringify([...Array(storage.length).keys()].map((i) => storage.getItem(storage.key(i)!)))).not.toContain('secret');
  });
});

describe('finishConnect', () => {
  it('completes an awaiting flow this tab started with POST /api/oauth/complete', async () => {
    const storage = memoryStorage();
    rememberPending({ state: 'S1', provider_key: 'trellis', started_at: 0 }, storage);
    const api = fakeApi(async () => ({ success: true, connection_id: 'c-1', provider_key: 'trellis', provider_name: 'Trellis' }));
    const outcome = await finishConnect(api, { kind: 'awaiting', state: 'S1', code: 'C1', iss: 'http://idp' }, storage, 10);
    expect(api.post).toHaveBeenCalledWith('/api/oauth/complete', { state: 'S1', code: 'C1', iss: 'http://idp' });
    expect(outcome).toEqual({ kind: 'connected', connectionId: 'c-1', providerKey: 'trellis', providerName: 'Trellis' });
    expect(readPending(storage, 10)).toBeNull();
  });

  it('refuses to finish a flow it did not start (a planted link), without calling the API', async () => {
    const storage = memoryStorage();
    const api = fakeApi(async () => { throw new Error('must not be called'); });
    const outcome = await finishConnect(api, { kind: 'awaiting', state: 'ATTACKER', code: 'C' }, storage, 0);
    expect(outcome).toMatchObject({ kind: 'failed', code: 'CONNECT_NOT_STARTED_HERE' });
    rememberPending({ state: 'MINE', provider_key: 'trellis', started_at: 0 }, storage);
    const mismatch = await finishConnect(api, { kind: 'awaiting', state: 'ATTACKER', code: 'C' }, storage, 0);
    expect(mismatch).toMatchObject({ kind: 'failed', code: 'CONNECT_NOT_STARTED_HERE' });
    expect(api.post).not.toHaveBeenCalled();
  });

  it('forgets an expired pending flow', async () => {
    const storage = memoryStorage();
    rememberPending({ state: 'S1', provider_key: 'trellis', started_at: 0 }, storage);
    expect(readPending(storage, 16 * 60 * 1000)).toBeNull();
  });

  it('passes the API problem on (e.g. CONNECT_FLOW_FORBIDDEN) and forgets the flow', async () => {
    const storage = memoryStorage();
    rememberPending({ state: 'S1', provider_key: 'trellis', started_at: 0 }, storage);
    const api = fakeApi(async () => { throw new ApiProblem(403, { code: 'CONNECT_FLOW_FORBIDDEN', trace_id: 'tr' }); });
    const outcome = await finishConnect(api, { kind: 'awaiting', state: 'S1', code: 'C1' }, storage, 0);
    expect(outcome).toMatchObject({ kind: 'failed', code: 'CONNECT_FLOW_FORBIDDEN' });
    expect(outcome.kind === 'failed' && outcome.problem?.traceId).toBe('tr');
    expect(readPending(storage, 0)).toBeNull();
  });

  it('takes an already finished connection as is, and a denied consent as a failure creating nothing', async () => {
    const storage = memoryStorage();
    const api = fakeApi(async () => { throw new Error('must not be called'); });
    await expect(finishConnect(api, { kind: 'connected', connectionId: 'c-2', providerKey: 'epic' }, storage))
      .resolves.toEqual({ kind: 'connected', connectionId: 'c-2', providerKey: 'epic' });
    await expect(finishConnect(api, { kind: 'error', code: 'PROVIDER_CONSENT_DENIED', providerKey: 'trellis' }, storage))
      .resolves.toEqual({ kind: 'failed', code: 'PROVIDER_CONSENT_DENIED', providerKey: 'trellis' });
    expect(api.post).not.toHaveBeenCalled();
  });
});
