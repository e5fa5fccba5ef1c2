import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/ApiProvider';
import { humanMessage, ApiProblem } from '../api/problem';
import { keys } from '../api/queries';
import { finishConnect, parseConnectReturn, type FinishOutcome } from '../connect/finish';
import { PageHeader, Spinner } from '../ui/components';

/** Where the provider's consent comes back to (through the API's callback): finish the flow, then show it. */
export function ConnectReturn() {
  const api = useApi();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [outcome, setOutcome] = useState<FinishOutcome | null>(null);
  const once = useRef(false);

  useEffect(() => {
    if (once.current) return;
    once.current = true;
    const returned = parseConnectReturn(window.location.search);
    // The code is single-use and of no further value, but keep it out of history and screenshots all the same.
    window.history.replaceState(null, '', window.location.pathname);
    finishConnect(api, returned).then((result) => {
      if (result.kind === 'connected') {
        void client.invalidateQueries({ queryKey: keys.connections });
        navigate(`/connections/${result.connectionId}?connected=1`, { replace: true });
      } else {
        setOutcome(result);
      }
    }, (e) => setOutcome({ kind: 'failed', code: 'REQUEST_FAILED', problem: e instanceof ApiProblem ? e : undefined }));
  }, [api, client, navigate]);

  if (!outcome || outcome.kind === 'connected') return <Spinner label="Finishing the connection" />;
  const denied = outcome.code === 'PROVIDER_CONSENT_DENIED' || outcome.code === 'OAUTH_AUTHORIZATION_DENIED';
  const message = outcome.problem ? humanMessage(outcome.problem) : humanMessage(new ApiProblem(400, { code: outcome.code }));
  return (
    <section>
      <PageHeader title={denied ? 'Nothing was connected' : 'The connection did not finish'} />
      <div className="alert alert-error" role="alert">
        <p>{message}</p>
        {outcome.problem?.traceId && <p className="trace">If you contact support, quote this reference: <code>{outcome.problem.traceId}</code></p>}
      </div>
      <div className="actions">
        <Link className="btn btn-primary" to={outcome.providerKey ? `/connect?provider=${encodeURIComponent(outcome.providerKey)}` : '/connect'}>
          Try again
        </Link>
        <Link className="btn btn-secondary" to="/">Back to your accounts</Link>
      </div>
    </section>
  );
}
