import { createContext, useContext, useMemo, useRef, type ReactNode } from 'react';
import { createApiClient, type ApiClient } from './client';
import { config } from '../config';
import { useAuth } from '../auth/AuthProvider';
import { currentLocation } from '../auth/returnTo';

const ApiContext = createContext<ApiClient | null>(null);

/** The API client of the signed-in user: a 401 for the session sends the user to sign in and back here. */
export function ApiProvider({ children, client }: { children: ReactNode; client?: ApiClient }) {
  const auth = useAuth();
  const authRef = useRef(auth);
  authRef.current = auth;
  const redirecting = useRef(false);
  const api = useMemo(() => client ?? createApiClient({
    baseUrl: config.apiBaseUrl,
    getAccessToken: () => authRef.current.accessToken(),
    onSessionEnded: () => {
      if (redirecting.current) return;
      redirecting.current = true;
      void authRef.current.signIn(currentLocation());
    },
  }), [client]);
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}
