import type { Connection } from '../api/types';

export function isAthena(c: Connection): boolean {
  return c.provider_type === 'athenahealth' || c.provider_key === 'athenahealth';
}

export function visibleConnections(list: Connection[] | undefined): Connection[] {
  return (list ?? []).filter((c) => c.status !== 'revoked' && c.status !== 'deleted');
}

export function connectionTitle(c: Connection): string {
  return c.connection_name || c.provider_name || c.provider_display_name || 'Connection';
}

/** What the person must act on first: a provider that needs them to sign in again, a failing sync. */
export function needsAttention(c: Connection): 'reauth' | 'failed' | null {
  if (c.status === 'reauth_required' || c.token_status === 'reauth_required') return 'reauth';
  if (c.status === 'error' || c.status === 'failed' || c.status === 'sync_failed') return 'failed';
  return null;
}
