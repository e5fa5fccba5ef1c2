import { useEffect, useRef, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { useAuth } from './AuthProvider';
import { Button, PageHeader, Spinner } from '../ui/components';

/**
 * Screens for signed-in users. Without tokens in memory: a tab that was signed in (a reload, the way back from a
 * provider's consent page) signs in again at once through auth-service's session and comes back here; a new visitor
 * gets a welcome with "Sign in" and "Create an account".
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { user, loading, signIn, shouldResume } = useAuth();
  const location = useLocation();
  const started = useRef(false);
  const returnTo = location.pathname + location.search + location.hash;
  const resume = !user && !loading && (shouldResume || location.pathname === '/connect/return');

  useEffect(() => {
    if (resume && !started.current) {
      started.current = true;
      void signIn(returnTo);
    }
  }, [resume, signIn, returnTo]);

  if (user) return <>{children}</>;
  if (loading || resume) return <Spinner label="Signing you in" />;
  return <Welcome onSignIn={() => signIn(returnTo)} />;
}

export function Welcome({ onSignIn }: { onSignIn: () => void }) {
  return (
    <section className="welcome">
      <PageHeader title="Your health accounts in one place" />
      <p className="lead">
        Connect your healthcare providers and insurers, then see your claims, balances and appointments together —
        read with your consent, disconnected whenever you like.
      </p>
      <div className="actions">
        <Button onClick={onSignIn}>Sign in</Button>
        <Link className="btn btn-secondary" to="/signup">Create an account</Link>
      </div>
    </section>
  );
}
