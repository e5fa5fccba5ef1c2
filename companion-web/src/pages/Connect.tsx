import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useSearchParams } from 'react-router';
import { useApi } from '../api/ApiProvider';
import { useProviders, useTerms } from '../api/queries';
import type { Provider } from '../api/types';
import { startConnect } from '../connect/finish';
import { appOrigin } from '../config';
import { Button, PageHeader, ProblemAlert, Spinner, StatusBadge } from '../ui/components';
import { formatDate } from '../ui/format';

/** The catalog, the chosen provider's terms, then off to the provider's consent page. */
export function Connect() {
  const providers = useProviders();
  const [params, setParams] = useSearchParams();
  const chosenKey = params.get('provider') ?? undefined;
  const chosen = providers.data?.find((p) => p.provider_key === chosenKey);

  return (
    <>
      <PageHeader title={chosen ? `Connect ${chosen.name}` : 'Connect a provider'} />
      <ProblemAlert error={providers.error} title="The provider list could not be loaded" />
      {providers.isPending && <Spinner label="Loading providers" />}
      {chosen ? (
        <ConnectProvider provider={chosen} onBack={() => setParams({})} />
      ) : (
        <>
          <p className="lead">Choose where your health records or claims are. You will sign in there and approve access;
            ClinicWave never sees your password at the provider.</p>
          <ul className="grid" aria-label="Providers">
            {providers.data?.map((p) => (
              <li key={p.provider_key} className="card provider-card">
                <div className="card-head">
                  <h2 className="h3">{p.name}</h2>
                  {p.status !== 'active' && <StatusBadge status={p.status} />}
                </div>
                {p.description && <p>{p.description}</p>}
                <Button variant="secondary" disabled={!p.oauth_enabled || p.status !== 'active'}
                  aria-label={`Connect ${p.name}`} onClick={() => setParams({ provider: p.provider_key })}>
                  Connect
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function ConnectProvider({ provider, onBack }: { provider: Provider; onBack: () => void }) {
  const api = useApi();
  const terms = useTerms(provider.provider_key);
  const [error, setError] = useState<unknown>(null);
  const [leaving, setLeaving] = useState(false);
  const { register, handleSubmit, formState: { errors } } = useForm<{ accept: boolean }>();

  const go = handleSubmit(async () => {
    setError(null);
    setLeaving(true);
    try {
      const url = await startConnect(api, provider.provider_key, terms.data?.version, appOrigin());
      window.location.assign(url);
    } catch (e) {
      setError(e);
      setLeaving(false);
    }
  });

  return (
    <section className="card narrow-card" aria-labelledby="terms-h">
      {provider.description && <p>{provider.description}</p>}
      <h2 id="terms-h">Terms for sharing your data</h2>
      <ProblemAlert error={terms.error} title="The terms could not be loaded" />
      {terms.isPending && <Spinner label="Loading the terms" />}
      {terms.data && (
        <form onSubmit={go} noValidate>
          <p className="muted">Version {terms.data.version}{terms.data.effective_date ? `, effective ${formatDate(terms.data.effective_date)}` : ''}</p>
          <div className="terms" tabIndex={0} role="region" aria-label={`${provider.name} terms`}>
            {terms.data.terms_text.split(/\n{2,}/).map((para, i) => <p key={i}>{para}</p>)}
          </div>
          <div className="field field-check">
            <input id="accept-terms" type="checkbox" aria-invalid={!!errors.accept}
              aria-describedby={errors.accept ? 'accept-error' : undefined}
              {...register('accept', { required: 'Accept the terms to continue.' })} />
            <label htmlFor="accept-terms">I accept the terms (version {terms.data.version})</label>
          </div>
          {errors.accept && <p id="accept-error" className="field-error">{errors.accept.message}</p>}
          <ProblemAlert error={error} title="The connection could not be started" />
          <p className="muted">Next you will sign in at {provider.name} and approve access. You come back here afterwards.</p>
          <div className="actions">
            <Button type="submit" busy={leaving}>Continue to {provider.name}</Button>
            <Button type="button" variant="secondary" onClick={onBack}>Choose another provider</Button>
          </div>
        </form>
      )}
    </section>
  );
}
