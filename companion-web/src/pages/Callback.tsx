import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { Button, PageHeader, Spinner } from '../ui/components';

/** The OIDC redirect URI: exchanges the code (PKCE) and returns to where the user was. */
export function Callback() {
  const { completeSignIn, signIn } = useAuth();
  const navigate = useNavigate();
  const [failed, setFailed] = useState<string | null>(null);
  const once = useRef(false);
  useEffect(() => {
    if (once.current) return;
    once.current = true;
    const params = new URLSearchParams(window.location.search);
    if (params.get('error')) {
      setFailed(params.get('error_description') || 'The sign-in was not completed.');
      return;
    }
    completeSignIn()
      .then((returnTo) => navigate(returnTo, { replace: true }))
      .catch(() => setFailed('The sign-in could not be completed. It may have expired: please try again.'));
  }, [completeSignIn, navigate]);
  if (failed) {
    return (
      <section>
        <PageHeader title="Sign-in did not finish" />
        <div className="alert alert-error" role="alert"><p>{failed}</p></div>
        <Button onClick={() => signIn('/')}>Sign in again</Button>
      </section>
    );
  }
  return <Spinner label="Finishing sign-in" />;
}
