import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useClaims, useConnections, useDisconnect, useRefreshConnection, useSync, useVerifyClaim, type ClaimFilters } from '../api/queries';
import type { Claim } from '../api/types';
import { Button, ConfirmDialog, Notice, PageHeader, ProblemAlert, Spinner, StatusBadge } from '../ui/components';
import { formatDate, formatDateTime, formatMoney, humanize } from '../ui/format';
import { AthenaSummary } from './Home';
import { connectionTitle, isAthena, needsAttention } from './connectionUtil';

const STATUSES = ['submitted', 'pending', 'processed', 'partially_processed', 'paid', 'adjusted', 'denied', 'cancelled'];
const TYPES = ['medical', 'dental', 'pharmacy', 'vision'];
const PAGE_SIZE = 10;

export function ConnectionPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const justConnected = params.get('connected') === '1';
  const [firstSyncSeen, setFirstSyncSeen] = useState(false);
  // Right after connecting, follow the connection until its first sync is recorded (last_sync_at).
  const connections = useConnections({ poll: justConnected && !firstSyncSeen });
  const connection = connections.data?.find((c) => c.id === id);
  if (justConnected && !firstSyncSeen && connection?.last_sync_at) setFirstSyncSeen(true);
  const filters: ClaimFilters = {
    status: params.get('status') ?? undefined,
    claim_type: params.get('claim_type') ?? undefined,
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    page: Number(params.get('page') ?? 0) || 0,
    size: PAGE_SIZE,
  };
  const filtered = !!(filters.status || filters.claim_type || filters.from || filters.to);
  const claims = useClaims(id, filters, { pollWhileEmpty: justConnected && !filtered });
  const sync = useSync(id);
  const refresh = useRefreshConnection();
  const disconnect = useDisconnect();
  const [confirming, setConfirming] = useState(false);

  const setFilters = (next: ClaimFilters) => {
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(next)) {
      if (value !== undefined && value !== '' && key !== 'size' && !(key === 'page' && value === 0)) query[key] = String(value);
    }
    setParams(query);
  };

  if (connections.isPending) return <Spinner label="Loading the connection" />;
  if (!connection) {
    return (
      <>
        <PageHeader title="Connection not found" />
        <ProblemAlert error={connections.error} />
        <p>This connection does not exist or was removed. <Link to="/">Back to your accounts</Link></p>
      </>
    );
  }
  const title = connectionTitle(connection);
  const attention = needsAttention(connection);

  return (
    <>
      <PageHeader title={title}>
        <StatusBadge status={connection.status} />
      </PageHeader>
      {justConnected && <Notice kind="success">{title} is connected.{(claims.data?.page.total_elements ?? 0) > 0
        ? '' : ' Your claims are loading and appear below as they arrive.'}</Notice>}
      {attention === 'reauth' && (
        <div className="alert alert-warning" role="alert">
          <p>The provider needs you to sign in with them again before we can update your data.</p>
          <Link className="btn btn-primary" to={`/connect?provider=${encodeURIComponent(connection.provider_key ?? '')}`}>Reconnect</Link>
        </div>
      )}
      <section className="card" aria-labelledby="about-h">
        <h2 id="about-h" className="visually-hidden">About this connection</h2>
        <dl className="facts facts-wide">
          <div><dt>Provider</dt><dd>{connection.provider_name}</dd></div>
          <div><dt>Connected</dt><dd>{formatDate(connection.created_at)}</dd></div>
          <div><dt>Last sync</dt><dd>{connection.last_sync_at ? formatDateTime(connection.last_sync_at) : 'Not yet'}</dd></div>
          <div><dt>Next sync</dt><dd>{connection.next_sync_at ? formatDateTime(connection.next_sync_at) : 'Not scheduled'}</dd></div>
          <div><dt>Access</dt><dd><StatusBadge status={connection.token_status ?? connection.status} /></dd></div>
        </dl>
        <div className="actions">
          <Button onClick={() => sync.mutate()} busy={sync.isPending} disabled={attention === 'reauth'}>Sync now</Button>
          <Button variant="secondary" onClick={() => refresh.mutate(connection.id)} busy={refresh.isPending}>Refresh access</Button>
          <Button variant="danger" onClick={() => setConfirming(true)}>Disconnect</Button>
        </div>
        <div aria-live="polite" className="outcome">
          {sync.isSuccess && (sync.data.status === 'failed'
            ? <ProblemAlert error={new Error(`The sync failed${sync.data.error ? `: ${sync.data.error}` : '.'}`)} />
            : <Notice kind="success">Sync finished: {sync.data.claims_created ?? 0} new, {sync.data.claims_updated ?? 0} updated
                {sync.data.last_sync_at ? ` (${formatDateTime(sync.data.last_sync_at)})` : ''}.</Notice>)}
          {refresh.isSuccess && <Notice kind="success">Access refreshed{refresh.data.expires_at ? `; valid until ${formatDateTime(refresh.data.expires_at)}` : ''}.</Notice>}
        </div>
        <ProblemAlert error={sync.error} title="The sync did not finish" />
        <ProblemAlert error={refresh.error} title="Access could not be refreshed" />
      </section>

      {isAthena(connection) && attention !== 'reauth' && <AthenaSummary connection={connection} />}

      <section aria-labelledby="claims-h">
        <h2 id="claims-h">Claims</h2>
        <ClaimFiltersForm value={filters} onChange={(f) => setFilters({ ...f, page: 0 })} />
        <ProblemAlert error={claims.error} title="Claims could not be loaded" />
        {claims.isPending && <Spinner label="Loading claims" />}
        {claims.data && <ClaimsTable connectionId={id} claims={claims.data.claims} />}
        {claims.data && claims.data.claims.length === 0 && (
          <p className="muted" role="status">{filtered ? 'No claims match these filters.' : justConnected
            ? 'Loading your claims from the provider…' : 'No claims yet.'}</p>
        )}
        {claims.data && claims.data.page.total_pages > 1 && (
          <nav className="pager" aria-label="Claims pages">
            <Button variant="secondary" disabled={filters.page === 0}
              onClick={() => setFilters({ ...filters, page: (filters.page ?? 0) - 1 })}>Previous</Button>
            <span aria-live="polite">Page {(filters.page ?? 0) + 1} of {claims.data.page.total_pages}
              {' '}({claims.data.page.total_elements} claims)</span>
            <Button variant="secondary" disabled={(filters.page ?? 0) + 1 >= claims.data.page.total_pages}
              onClick={() => setFilters({ ...filters, page: (filters.page ?? 0) + 1 })}>Next</Button>
          </nav>
        )}
        {claims.data && claims.data.page.total_pages <= 1 && claims.data.claims.length > 0 && (
          <p className="muted">{claims.data.page.total_elements} claim{claims.data.page.total_elements === 1 ? '' : 's'}</p>
        )}
      </section>

      <ConfirmDialog open={confirming} title={`Disconnect ${title}?`} confirmLabel="Disconnect" busy={disconnect.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => disconnect.mutate(connection.id, {
          onSuccess: () => { setConfirming(false); navigate('/', { replace: true }); },
        })}>
        <p>We will revoke ClinicWave’s access at {connection.provider_name} and delete the claims we keep from it.
          You can connect again later.</p>
        <ProblemAlert error={disconnect.error} />
      </ConfirmDialog>
    </>
  );
}

function ClaimFiltersForm({ value, onChange }: { value: ClaimFilters; onChange: (f: ClaimFilters) => void }) {
  const { register, handleSubmit, reset, formState: { errors } } = useForm<ClaimFilters>({
    values: { status: value.status ?? '', claim_type: value.claim_type ?? '', from: value.from ?? '', to: value.to ?? '' },
  });
  return (
    <form className="filters" aria-label="Filter claims" onSubmit={handleSubmit((f) => onChange(f))}>
      <div className="field">
        <label htmlFor="f-status">Status</label>
        <select id="f-status" {...register('status')}>
          <option value="">Any status</option>
          {STATUSES.map((s) => <option key={s} value={s}>{humanize(s)}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-type">Type</label>
        <select id="f-type" {...register('claim_type')}>
          <option value="">Any type</option>
          {TYPES.map((t) => <option key={t} value={t}>{humanize(t)}</option>)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-from">From</label>
        <input id="f-from" type="date" {...register('from')} />
      </div>
      <div className="field">
        <label htmlFor="f-to">To</label>
        <input id="f-to" type="date" aria-invalid={!!errors.to} aria-describedby={errors.to ? 'f-to-error' : undefined}
          {...register('to', { validate: (to, all) => !to || !all.from || to >= all.from || 'The end date is before the start date.' })} />
        {errors.to && <p id="f-to-error" className="field-error">{errors.to.message}</p>}
      </div>
      <div className="filter-actions">
        <Button type="submit">Apply filters</Button>
        <Button type="button" variant="ghost" onClick={() => { reset({ status: '', claim_type: '', from: '', to: '' }); onChange({}); }}>Clear</Button>
      </div>
    </form>
  );
}

function ClaimsTable({ connectionId, claims }: { connectionId: string; claims: Claim[] }) {
  const verify = useVerifyClaim(connectionId);
  if (claims.length === 0) return null;
  return (
    <>
      <ProblemAlert error={verify.error} title="The claim could not be updated" />
      <div className="table-wrap" role="region" aria-label="Claims" tabIndex={0}>
        <table className="table claims-table">
          <caption className="visually-hidden">Claims of this connection</caption>
          <thead>
            <tr>
              <th scope="col">Date</th><th scope="col">Service</th><th scope="col">Type</th>
              <th scope="col" className="num">Total</th><th scope="col" className="num">You owe</th>
              <th scope="col">Status</th><th scope="col">Verification</th>
            </tr>
          </thead>
          <tbody>
            {claims.map((claim) => (
              <tr key={claim.id}>
                <td data-label="Date"><div className="cell">{formatDate(claim.service_date)}</div></td>
                <td data-label="Service"><div className="cell">
                  <span className="cell-main">{claim.service_description || '—'}</span>
                  <span className="cell-sub">{[claim.provider_name, claim.patient_name].filter(Boolean).join(' · ') || claim.provider_claim_id}</span>
                </div></td>
                <td data-label="Type"><div className="cell">{humanize(claim.claim_type)}</div></td>
                <td data-label="Total" className="num"><div className="cell">{formatMoney(claim.total_amount, claim.currency ?? undefined)}</div></td>
                <td data-label="You owe" className="num"><div className="cell">{formatMoney(claim.patient_responsibility, claim.currency ?? undefined)}</div></td>
                <td data-label="Status"><div className="cell"><StatusBadge status={claim.status} /></div></td>
                <td data-label="Verification"><div className="cell">
                  <StatusBadge status={claim.verification_status} />
                  {claim.verification_status === 'unverified' && (
                    <span className="row-actions">
                      <Button variant="ghost" busy={verify.isPending && verify.variables?.id === claim.id}
                        aria-label={`Confirm claim ${claim.provider_claim_id} is correct`}
                        onClick={() => verify.mutate({ id: claim.id, status: 'verified' })}>Confirm</Button>
                      <Button variant="ghost" aria-label={`Dispute claim ${claim.provider_claim_id}`}
                        onClick={() => verify.mutate({ id: claim.id, status: 'disputed' })}>Dispute</Button>
                    </span>
                  )}
                </div></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
