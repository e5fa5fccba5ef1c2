import { Link } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { Button, PageHeader } from '../ui/components';

export function SignedOut() {
  const { signIn } = useAuth();
  return (
    <section>
      <PageHeader title="You are signed out" />
      <p className="lead">Your session was ended and its tokens revoked. Nothing about you stays in this browser.</p>
      <div className="actions">
        <Button onClick={() => signIn('/')}>Sign in again</Button>
        <Link className="btn btn-secondary" to="/">Home</Link>
      </div>
    </section>
  );
}
