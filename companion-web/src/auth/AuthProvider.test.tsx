import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { User, UserManager } from 'oidc-client-ts';
import { AuthProvider, useAuth } from './AuthProvider';
import { createUserManager } from './oidc';

function fakeManager(user: Partial<User> | null) {
  const calls: string[] = [];
  const events = { addUserLoaded: vi.fn(), removeUserLoaded: vi.fn(), addUserUnloaded: vi.fn(),
    removeUserUnloaded: vi.fn(), addSilentRenewError: vi.fn(), removeSilentRenewError: vi.fn() };
  const manager = {
    events,
    getUser: vi.fn(async () => user),
    signinRedirect: vi.fn(async (args: unknown) => { calls.push(`signin ${JSON.stringify(args)}`); }),
    revokeTokens: vi.fn(async (types: string[]) => { calls.push(`revoke ${types.join(',')}`); }),
    signoutRedirect: vi.fn(async (args: { id_token_hint?: string }) => { calls.push(`signout ${args.id_token_hint}`); }),
    signinRedirectCallback: vi.fn(),
    removeUser: vi.fn(),
  };
  return { manager: manager as unknown as UserManager, calls };
}

function Probe() {
  const auth = useAuth();
  return (
    <>
      <p>{auth.user ? `in as ${auth.user.profile.sub}` : 'signed out'}</p>
      <button onClick={() => auth.signOut()}>out</button>
      <button onClick={() => auth.signIn('https://evil.example/x')}>in-evil</button>
      <button onClick={() => auth.signIn('/connections/c-1?status=paid')}>in-here</button>
    </>
  );
}

describe('AuthProvider', () => {
  it('signs out by revoking the refresh and access tokens first, then ending the SSO session', async () => {
    const { manager, calls } = fakeManager({ access_token: 'a', id_token: 'id-1', expired: false, profile: { sub: 'u1' } } as never);
    render(<AuthProvider manager={manager}><Probe /></AuthProvider>);
    expect(await screen.findByText('in as u1')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'out' }));
    expect(calls).toEqual(['revoke refresh_token,access_token', 'signout id-1']);
    expect(await screen.findByText('signed out')).toBeInTheDocument();
  });

  it('carries only in-app paths through sign-in', async () => {
    const { manager, calls } = fakeManager(null);
    render(<AuthProvider manager={manager}><Probe /></AuthProvider>);
    await screen.findByText('signed out');
    await act(() => userEvent.click(screen.getByRole('button', { name: 'in-evil' })));
    await act(() => userEvent.click(screen.getByRole('button', { name: 'in-here' })));
    expect(calls).toEqual(['signin {"state":{"returnTo":"/"}}', 'signin {"state":{"returnTo":"/connections/c-1?status=paid"}}']);
  });
});

describe('createUserManager', () => {
  it('uses code + PKCE against the gateway and keeps the user in memory only', () => {
    const manager = createUserManager();
    const settings = manager.settings;
    expect(settings.authority).toBe('http://localhost:8080');
    expect(settings.client_id).toBe('companion-web');
    expect(settings.response_type).toBe('code');
    expect(settings.redirect_uri).toBe(`${window.location.origin}/callback`);
    expect(settings.scope).toContain('offline_access');
    // The user store is not window.localStorage / sessionStorage.
    const store = (settings.userStore as unknown as { _store: unknown })._store;
    expect(store).not.toBe(window.localStorage);
    expect(store).not.toBe(window.sessionStorage);
    expect(store?.constructor?.name).toBe('InMemoryWebStorage');
  });
});
