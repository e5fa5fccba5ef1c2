import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { User, UserManager } from 'oidc-client-ts';
import { createUserManager, markSignedIn, returnToOf, wasSignedIn, type SignInState } from './oidc';
import { currentLocation, safeReturnTo } from './returnTo';

export interface AuthContextValue {
  user: User | null;
  /** True until the first check of the in-memory store and any callback handling is done. */
  loading: boolean;
  error: string | null;
  accessToken: () => string | null;
  signIn: (returnTo?: string) => Promise<void>;
  /** Handles /callback: exchanges the code, answers where to go next. */
  completeSignIn: () => Promise<string>;
  signOut: () => Promise<void>;
  /** A tab that was signed in before (reload, back from a provider): sign in again through the SSO session. */
  shouldResume: boolean;
}

/** Exported for tests, which provide a signed-in (or signed-out) user without an authorization server. */
export const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children, manager }: { children: ReactNode; manager?: UserManager }) {
  const userManager = useMemo(() => manager ?? createUserManager(), [manager]);
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const userRef = useRef<User | null>(null);
  userRef.current = user;

  useEffect(() => {
    let active = true;
    userManager.getUser().then((u) => {
      if (active) {
        setUser(u && !u.expired ? u : null);
        setLoading(false);
      }
    });
    const loaded = (u: User) => setUser(u);
    const unloaded = () => setUser(null);
    const renewFailed = () => {
      // The refresh token was refused (revoked, rotated elsewhere, expired): start again through sign-in.
      setUser(null);
      void userManager.removeUser();
    };
    userManager.events.addUserLoaded(loaded);
    userManager.events.addUserUnloaded(unloaded);
    userManager.events.addSilentRenewError(renewFailed);
    return () => {
      active = false;
      userManager.events.removeUserLoaded(loaded);
      userManager.events.removeUserUnloaded(unloaded);
      userManager.events.removeSilentRenewError(renewFailed);
    };
  }, [userManager]);

  const signIn = useCallback(async (returnTo?: string) => {
    const state: SignInState = { returnTo: safeReturnTo(returnTo ?? currentLocation()) };
    await userManager.signinRedirect({ state });
  }, [userManager]);

  const completeSignIn = useCallback(async () => {
    try {
      const signedIn = await userManager.signinRedirectCallback();
      markSignedIn(true);
      setUser(signedIn);
      setError(null);
      return returnToOf(signedIn);
    } catch (e) {
      markSignedIn(false);
      setError((e as Error).message || 'Sign-in failed');
      throw e;
    } finally {
      setLoading(false);
    }
  }, [userManager]);

  const signOut = useCallback(async () => {
    const current = userRef.current;
    markSignedIn(false);
    try {
      // Revoke the refresh token (its whole family) and the access token at auth-service: the old token is refused
      // everywhere from now on, then end the SSO session there.
      if (current) await userManager.revokeTokens(['refresh_token', 'access_token']);
    } finally {
      setUser(null);
      await userManager.signoutRedirect({ id_token_hint: current?.id_token });
    }
  }, [userManager]);

  const value = useMemo<AuthContextValue>(() => ({
    user,
    loading,
    error,
    accessToken: () => userRef.current?.access_token ?? null,
    signIn,
    completeSignIn,
    signOut,
    shouldResume: wasSignedIn(),
  }), [user, loading, error, signIn, completeSignIn, signOut]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
