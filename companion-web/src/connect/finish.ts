import type { ApiClient } from '../api/client';
import { ApiProblem } from '../api/problem';
import type { ConnectResult, InitiateResponse } from '../api/types';

/**
 * The connect flow's finish (the contract of provider-connection-service, docs/companion-web.md):
 * the provider sends the browser to the API's callback, which comes back to {@link RETURN_PATH} with either
 *  - `status=awaiting_completion&state&code[&iss]` — nothing stored yet; this app, signed in as the initiator,
 *    finishes with `POST /api/oauth/complete` (only the initiator's token can);
 *  - `connection_id&status&provider_key` — already finished by the API (the older behaviour);
 *  - `error=<CODE>&provider_key` — the flow ended (e.g. PROVIDER_CONSENT_DENIED), nothing created.
 * The app only finishes flows it started in this tab: the state must match the pending flow it remembered.
 */
export const RETURN_PATH = '/connect/return';
const PENDING_KEY = 'cw.connect.pending';
/** A flow older than the API's state lifetime (10 min) cannot be finished anyway. */
const PENDING_TTL_MS = 15 * 60 * 1000;

export interface PendingConnect {
  state: string | null;
  provider_key: string;
  started_at: number;
}

export type ConnectReturn =
  | { kind: 'awaiting'; state: string; code: string; iss?: string; providerKey?: string }
  | { kind: 'connected'; connectionId: string; providerKey?: string; status?: string }
  | { kind: 'error'; code: string; providerKey?: string }
  | { kind: 'invalid' };

export function parseConnectReturn(search: string): ConnectReturn {
  const params = new URLSearchParams(search);
  const providerKey = params.get('provider_key') ?? undefined;
  const error = params.get('error');
  if (error) return { kind: 'error', code: normaliseErrorCode(error), providerKey };
  const connectionId = params.get('connection_id');
  if (connectionId && /^[A-Za-z0-9-]{1,64}$/.test(connectionId)) {
    return { kind: 'connected', connectionId, providerKey, status: params.get('status') ?? undefined };
  }
  const state = params.get('state');
  const code = params.get('code');
  if (params.get('status') === 'awaiting_completion' && state && code) {
    return { kind: 'awaiting', state, code, iss: params.get('iss') ?? undefined, providerKey };
  }
  return { kind: 'invalid' };
}

function normaliseErrorCode(error: string): string {
  // The API sends its problem codes; a raw OAuth error (access_denied) may reach us from an older API.
  if (error === 'access_denied') return 'PROVIDER_CONSENT_DENIED';
  return /^[A-Z0-9_]{1,64}$/.test(error) ? error : 'OAUTH_AUTHORIZATION_FAILED';
}

export function rememberPending(pending: PendingConnect, storage: Storage = window.sessionStorage): void {
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
}

export function readPending(storage: Storage = window.sessionStorage, now = Date.now()): PendingConnect | null {
  try {
    const raw = storage.getItem(PENDING_KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as PendingConnect;
    if (typeof value.provider_key !== 'string' || typeof value.started_at !== 'number') return null;
    if (now - value.started_at > PENDING_TTL_MS) return null;
    return value;
  } catch {
    return null;
  }
}

export function clearPending(storage: Storage = window.sessionStorage): void {
  storage.removeItem(PENDING_KEY);
}

/** Starts a flow: asks the API for the provider's authorization URL, remembers the state, answers where to go. */
export async function startConnect(api: ApiClient, providerKey: string, termsVersion: string | undefined,
    origin: string, storage: Storage = window.sessionStorage, now = Date.now()): Promise<string> {
  const response = await api.post<InitiateResponse>('/api/oauth/initiate', {
    provider_key: providerKey,
    redirect_url: origin + RETURN_PATH,
    accepted_terms_version: termsVersion,
  });
  const state = response.state ?? stateOf(response.oauth_url);
  rememberPending({ state, provider_key: providerKey, started_at: now }, storage);
  return response.oauth_url;
}

function stateOf(url: string): string | null {
  try {
    return new URL(url).searchParams.get('state');
  } catch {
    return null;
  }
}

export type FinishOutcome =
  | { kind: 'connected'; connectionId: string; providerKey?: string; providerName?: string }
  | { kind: 'failed'; code: string; providerKey?: string; problem?: ApiProblem };

/**
 * Finishes what came back. Never completes a flow this tab did not start (a state planted by someone else's link
 * is refused here, and the API would refuse it too); the pending flow is forgotten whatever the outcome.
 */
export async function finishConnect(api: ApiClient, returned: ConnectReturn,
    storage: Storage = window.sessionStorage, now = Date.now()): Promise<FinishOutcome> {
  const pending = readPending(storage, now);
  try {
    switch (returned.kind) {
      case 'connected':
        return { kind: 'connected', connectionId: returned.connectionId, providerKey: returned.providerKey };
      case 'error':
        return { kind: 'failed', code: returned.code, providerKey: returned.providerKey ?? pending?.provider_key };
      case 'invalid':
        return { kind: 'failed', code: 'OAUTH_STATE_INVALID', providerKey: pending?.provider_key };
      case 'awaiting': {
        if (!pending || (pending.state !== null && pending.state !== returned.state)) {
          return { kind: 'failed', code: 'CONNECT_NOT_STARTED_HERE', providerKey: returned.providerKey };
        }
        try {
          const result = await api.post<ConnectResult>('/api/oauth/complete', {
            state: returned.state,
            code: returned.code,
            ...(returned.iss ? { iss: returned.iss } : {}),
          });
          return { kind: 'connected', connectionId: result.connection_id,
            providerKey: result.provider_key ?? returned.providerKey, providerName: result.provider_name };
        } catch (e) {
          if (e instanceof ApiProblem) return { kind: 'failed', code: e.code, providerKey: returned.providerKey, problem: e };
          throw e;
        }
      }
    }
  } finally {
    clearPending(storage);
  }
}
