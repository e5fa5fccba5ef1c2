import { NavLink, Outlet } from 'react-router';
import { useState } from 'react';
import { useAuth } from '../auth/AuthProvider';
import { Button } from './components';

export function Layout() {
  const { user, signOut } = useAuth();
  const [signingOut, setSigningOut] = useState(false);
  const name = (user?.profile.preferred_username as string | undefined) ?? user?.profile.sub;
  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="topbar">
        <div className="topbar-inner">
          <NavLink to="/" className="brand" aria-label="ClinicWave Companion, home">
            <img src="/favicon.svg" alt="" width="28" height="28" />
            <span>ClinicWave</span>
          </NavLink>
          {user && (
            <nav aria-label="Main">
              <ul className="nav">
                <li><NavLink to="/" end>Home</NavLink></li>
                <li><NavLink to="/connect">Connect</NavLink></li>
                <li><NavLink to="/api-keys">API keys</NavLink></li>
              </ul>
            </nav>
          )}
          {user && (
            <div className="account">
              <span className="account-name" title="Signed in">{name}</span>
              <Button variant="ghost" busy={signingOut} onClick={async () => {
                setSigningOut(true);
                try { await signOut(); } finally { setSigningOut(false); }
              }}>Sign out</Button>
            </div>
          )}
        </div>
      </header>
      <main id="main" className="container" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="footer container">
        <p>ClinicWave Companion · your providers’ data, read with your consent. Disconnect any time.</p>
      </footer>
    </>
  );
}
