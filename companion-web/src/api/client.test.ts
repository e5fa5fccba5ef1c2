import { createApiClient } from './client';
import { ApiProblem, humanMessage, parseRetryAfter } from './problem';

function respond(status: number, body: unknown, headers: Record<string, string> = {}) {
  return vi.fn(async () => new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  }));
}

/** The problem a call failed with (the test fails if it succeeded). */
function fail(call: Promise<unknown>): Promise<ApiProblem> {
  return call.then(() => { throw new Error('expected a problem'); }, (e: ApiProblem) => e);
}

describe('API client', () => {
  it('sends the bearer token and JSON, and answers the parsed body', async () => {
    const fetchImpl = respond(200, { connections: [] });
    const api = createApiClient({ baseUrl: 'http://api.test', getAccessToken: () => 'tok-1', fetchImpl });
    await expect(api.get('/api/connections', { query: { status: 'paid', empty: '', none: undefined } }))
      .resolves.toEqual({ connections: [] });
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://api.test/api/connections?status=paid');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok-1');
    expect(init.credentials).toBe('omit');
  });

  it('turns a problem into an ApiProblem with code, trace id and a human message', async () => {
    const api = createApiClient({ baseUrl: 'http://api.test', getAccessToken: () => 't',
      fetchImpl: respond(404, { status: 404, code: 'NOT_FOUND', detail: 'Connection x not found', trace_id: 'abc123' }) });
    const error = await fail(api.get('/api/connections/x/claims'));
    expect(error).toBeInstanceOf(ApiProblem);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.traceId).toBe('abc123');
    expect(humanMessage(error)).toMatch(/could not find/i);
    expect(humanMessage(error)).not.toContain('Connection x');
  });

  it('says when to retry a rate-limited request (Retry-After)', async () => {
    const api = createApiClient({ baseUrl: 'http://api.test', getAccessToken: () => 't',
      fetchImpl: respond(429, { code: 'RATE_LIMITED', trace_id: 't1' }, { 'Retry-After': '42' }) });
    const error = await fail(api.post('/api/v1/auth/register', {}));
    expect(error.retryAfterSeconds).toBe(42);
    expect(humanMessage(error)).toBe('Too many requests right now. Please try again in 42 seconds.');
  });

  it('reports a 401 of the session once, so the app can send the user to sign in', async () => {
    const onSessionEnded = vi.fn();
    const api = createApiClient({ baseUrl: 'http://api.test', getAccessToken: () => 't', onSessionEnded,
      fetchImpl: respond(401, { code: 'TOKEN_REVOKED' }) });
    await expect(api.get('/api/connections')).rejects.toBeInstanceOf(ApiProblem);
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
  });

  it('does not treat a provider REAUTH_REQUIRED 401 as the end of the session', async () => {
    const onSessionEnded = vi.fn();
    const api = createApiClient({ baseUrl: 'http://api.test', getAccessToken: () => 't', onSessionEnded,
      fetchImpl: respond(401, { code: 'REAUTH_REQUIRED' }) });
    const error = await fail(api.get('/api/athena/connections/c/patient'));
    expect(error.code).toBe('REAUTH_REQUIRED');
    expect(onSessionEnded).not.toHaveBeenCalled();
    expect(humanMessage(error)).toMatch(/reconnect/i);
  });

  it('maps a network failure and a non-JSON error page to problems', async () => {
    const down = createApiClient({ baseUrl: 'http://api.test', getAccessToken: () => null,
      fetchImpl: vi.fn(async () => { throw new TypeError('Failed to fetch'); }) });
    const offline = await fail(down.get('/api/providers'));
    expect(offline.code).toBe('NETWORK_ERROR');
    const html = createApiClient({ baseUrl: 'http://api.test', getAccessToken: () => null,
      fetchImpl: vi.fn(async () => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'Content-Type': 'text/html' } })) });
    const error = await fail(html.get('/api/providers'));
    expect(error.status).toBe(502);
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(humanMessage(error)).not.toContain('<html>');
  });

  it('reads RFC 6749 OAuth errors too', async () => {
    const api = createApiClient({ baseUrl: 'http://api.test', getAccessToken: () => null,
      fetchImpl: respond(400, { error: 'invalid_grant', error_description: 'expired' }) });
    const error = await fail(api.post('/oauth2/token'));
    expect(error.code).toBe('INVALID_GRANT');
  });

  it('never sends a token for anonymous calls', async () => {
    const fetchImpl = respond(201, { id: 'u1' });
    const api = createApiClient({ baseUrl: 'http://api.test', getAccessToken: () => 'secret', fetchImpl });
    await api.post('/api/v1/auth/register', { username: 'x' }, { anonymous: true });
    const [, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>).Authorization).toBeUndefined();
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('5')).toBe(5);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 1, 0)).toUTCString(), Date.UTC(2030, 0, 1, 0, 0, 0))).toBe(60);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
