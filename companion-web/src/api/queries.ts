import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from './ApiProvider';
import type { AthenaAppointment, AthenaBalance, AthenaPatient, ClaimsPage, Connection, Me, Provider, Terms, ApiKey,
  NewApiKey, SyncResult, SyncRun, Claim } from './types';

export interface ClaimFilters {
  status?: string;
  claim_type?: string;
  from?: string;
  to?: string;
  page?: number;
  size?: number;
}

export const keys = {
  me: ['me'] as const,
  providers: ['providers'] as const,
  terms: (key: string) => ['terms', key] as const,
  connections: ['connections'] as const,
  claims: (id: string, filters: ClaimFilters) => ['claims', id, filters] as const,
  claimsOf: (id: string) => ['claims', id] as const,
  apiKeys: ['api-keys'] as const,
  athena: (id: string, what: string) => ['athena', id, what] as const,
};

export function useMe() {
  const api = useApi();
  return useQuery({ queryKey: keys.me, queryFn: () => api.get<Me>('/api/v1/auth/me') });
}

export function useProviders() {
  const api = useApi();
  return useQuery({
    queryKey: keys.providers,
    queryFn: () => api.get<{ providers: Provider[] }>('/api/providers').then((r) => r.providers),
    staleTime: 5 * 60_000,
  });
}

export function useTerms(providerKey: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: keys.terms(providerKey ?? ''),
    queryFn: () => api.get<Terms>(`/api/providers/${encodeURIComponent(providerKey!)}/terms`),
    enabled: !!providerKey,
  });
}

export function useConnections(options: { poll?: boolean } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: keys.connections,
    queryFn: () => api.get<{ connections: Connection[] }>('/api/connections').then((r) => r.connections),
    refetchInterval: options.poll ? 3000 : false,
  });
}

export function useClaims(connectionId: string, filters: ClaimFilters, options: { pollWhileEmpty?: boolean } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: keys.claims(connectionId, filters),
    queryFn: () => api.get<ClaimsPage>(`/api/connections/${encodeURIComponent(connectionId)}/claims`, {
      query: { ...filters },
    }),
    placeholderData: (previous) => previous,
    // A new connection's first sync runs on its own right after connecting: show its claims as they arrive.
    refetchInterval: (query) => options.pollWhileEmpty && (query.state.data?.page.total_elements ?? 0) === 0 ? 2000 : false,
  });
}

export function useSync(connectionId: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const result = await api.post<SyncResult>(`/api/connections/${encodeURIComponent(connectionId)}/sync`);
      if (result.status === 'running') {
        // Took longer than the API waits: follow the run until it ends.
        for (let i = 0; i < 60; i++) {
          await new Promise((resolve) => setTimeout(resolve, 2000));
          const run = await api.get<SyncRun>(`/api/syncs/${encodeURIComponent(result.sync_id)}`);
          if (run.status !== 'running') {
            return { ...result, status: run.status, claims_created: run.claims_created,
              claims_updated: run.claims_updated, error: run.error ?? undefined } as SyncResult & { error?: string };
          }
        }
      }
      return result as SyncResult & { error?: string };
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keys.claimsOf(connectionId) });
      void client.invalidateQueries({ queryKey: keys.connections });
    },
  });
}

export function useVerifyClaim(connectionId: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: 'verified' | 'disputed' }) =>
      api.patch<Claim>(`/api/claims/${encodeURIComponent(id)}/verification`, { verification_status: status }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.claimsOf(connectionId) }),
  });
}

export function useRefreshConnection() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (connectionId: string) =>
      api.post<{ expires_at?: string; status?: string }>('/api/oauth/token/refresh', { connection_id: connectionId }),
    onSettled: () => client.invalidateQueries({ queryKey: keys.connections }),
  });
}

export function useDisconnect() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (connectionId: string) =>
      api.del<{ success: boolean; message: string }>(`/api/connections/${encodeURIComponent(connectionId)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.connections }),
  });
}

export function useApiKeys() {
  const api = useApi();
  return useQuery({
    queryKey: keys.apiKeys,
    queryFn: () => api.get<{ api_keys: ApiKey[] }>('/api/v1/auth/api-keys').then((r) => r.api_keys),
  });
}

export function useCreateApiKey() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; scopes: string[]; expires_in_days?: number }) =>
      api.post<NewApiKey>('/api/v1/auth/api-key', body),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.apiKeys }),
  });
}

export function useRevokeApiKey() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del<void>(`/api/v1/auth/api-keys/${encodeURIComponent(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.apiKeys }),
  });
}

export function useAthena<T>(connectionId: string | undefined, what: 'patient' | 'appointments' | 'balance') {
  const api = useApi();
  return useQuery({
    queryKey: keys.athena(connectionId ?? '', what),
    queryFn: () => api.get<T>(`/api/athena/connections/${encodeURIComponent(connectionId!)}/${what}`),
    enabled: !!connectionId,
    retry: false,
  });
}

export type { AthenaPatient, AthenaAppointment, AthenaBalance };
