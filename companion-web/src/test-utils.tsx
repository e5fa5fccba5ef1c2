import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import type { User } from 'oidc-client-ts';
import { AuthContext, type AuthContextValue } from './auth/AuthProvider';
import { ApiProvider } from './api/ApiProvider';
import { createApiClient } from './api/client';

/** Answers by "METHOD path" (path without the query); anything else is a 404 problem. */
export type Routes = Record<string, { status?: number; body: unknown; headers?: Record<string, string> }>;

export function fakeFetch(routes: Routes) {
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const key = `${init?.method ?? 'GET'} ${url.pathname}`;
    const route = routes[key];
    if (!route) {
      return new Response(JSON.stringify({ code: 'NOT_FOUND', trace_id: 'test-trace' }),
        { status: 404, headers: { 'Content-Type': 'application/problem+json' } });
    }
    const status = route.status ?? 200;
    return new Response(JSON.stringify(route.body), {
      status,
      headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json', ...route.headers },
    });
  });
}

export function renderWith(ui: ReactNode, { routes = {}, path = '/', signedIn = true, signIn = vi.fn() }:
    { routes?: Routes; path?: string; signedIn?: boolean; signIn?: AuthContextValue['signIn'] } = {}) {
  const fetchImpl = fakeFetch(routes);
  const auth: AuthContextValue = {
    user: signedIn ? ({ access_token: 'test-token', profile: { sub: 'u1', preferred_username: 'pat' } } as unknown as User) : null,
    loading: false,
    error: null,
    accessToken: () => (signedIn ? 'test-token' : null),
    signIn,
    completeSignIn: vi.fn(),
    signOut: vi.fn(),
    shouldResume: false,
  };
  const client = createApiClient({ baseUrl: 'http://api.test', getAccessToken: auth.accessToken,
    onSessionEnded: () => void signIn('/'), fetchImpl });
  const queries = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return {
    fetchImpl,
    signIn,
    wrapper: (
      <AuthContext.Provider value={auth}>
        <ApiProvider client={client}>
          <QueryClientProvider client={queries}>
            <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
          </QueryClientProvider>
        </ApiProvider>
      </AuthContext.Provider>
    ),
  };
}
