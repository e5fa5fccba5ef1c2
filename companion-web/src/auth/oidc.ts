import { InMemoryWebStorage, UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { config, appOrigin } from '../config';
import { safeReturnTo } from './returnTo';

/** Non-sensitive marker: "a session was started in this tab", so a reload re-authenticates without a click. */
const SIGNED_IN_MARKER = 'cw.session';

export interface SignInState {
  returnTo: string;
}

/**
 * Authorization code + PKCE S256 against auth-service through the gateway (its discovery document).
 * Tokens live only in memory (InMemoryWebStorage): a reload or a navigation away loses them, and the app signs in
 * again through auth-service's SSO session (a top-level redirect that comes straight back while that session
 * lasts). The transient sign-in request (PKCE verifier, state) sits in sessionStorage for the one round trip and is
 * removed when it completes. Access tokens are renewed with the rotating refresh token.
 */
export function createUserManager(): UserManager {
  const origin = appOrigin();
  return new UserManager({
    authority: config.apiBaseUrl,
    client_id: config.clientId,
    redirect_uri: `${origin}/callback`,
    post_logout_redirect_uri: `${origin}/signed-out`,
    response_type: 'code',
    scope: config.scopes,
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage, prefix: 'cw.oidc.' }),
    automaticSilentRenew: true,
    // The refresh token renews; no hidden iframe (auth-service forbids framing).
    silentRequestTimeoutInSeconds: 10,
    revokeTokenTypes: ['refresh_token', 'access_token'],
    loadUserInfo: false,
    monitorSession: false,
  });
}

export function markSignedIn(on: boolean): void {
  try {
    if (on) window.sessionStorage.setItem(SIGNED_IN_MARKER, '1');
    else window.sessionStorage.removeItem(SIGNED_IN_MARKER);
  } catch {
    // storage unavailable: the user clicks "Sign in" instead
  }
}

export function wasSignedIn(): boolean {
  try {
    return window.sessionStorage.getItem(SIGNED_IN_MARKER) === '1';
  } catch {
    return false;
  }
}

export function returnToOf(user: User | void | null): string {
  const state = (user?.state ?? null) as SignInState | null;
  return safeReturnTo(state?.returnTo);
}
