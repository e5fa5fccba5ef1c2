import { useQueries } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useApi } from '../api/ApiProvider';
import { keys, useAthena, useConnections, type AthenaBalance, type AthenaPatient, type AthenaAppointment } from '../api/queries';
import type { Claim, ClaimsPage, Connection } from '../api/types';
import { PageHeader, ProblemAlert, Spinner, StatusBadge } from '../ui/components';
import { formatDate, formatDateTime, formatMoney, humanize } from '../ui/format';
import { connectionTitle, isAthena, needsAttention, visibleConnections } from './connectionUtil';

export function Home() {
  const connections = useConnections();
  const list = visibleConnections(connections.data);
  const attention = list.filter((c) => needsAttention(c));
  const athena = list.find((c) => isAthena(c) && !needsAttention(c));

  return (
    <>
      <PageHeader title="Your accounts">
        <Link className="btn btn-primary" to="/connect">Connect a provider</Link>
      </PageHeader>
      <ProblemAlert error={connections.error} title="Your connections could not be loaded" />
      {connections.isPending && <Spinner label="Loading your connections" />}

      {attention.length > 0 && (
        <section aria-labelledby="attention-h" className="card card-warn">
          <h2 id="attention-h">Needs your attention</h2>
          <ul className="plain-list">
            {attention.map((c) => (
              <li key={c.id} className="attention-item">
                <div>
                  <strong>{connectionTitle(c)}</strong>{' '}
                  {needsAttention(c) === 'reauth'
                    ? <span>needs you to sign in with the provider again before we can update your data.</span>
                    : <span>could not be updated the last time we tried.</span>}
                </div>
                {needsAttention(c) === 'reauth'
                  ? <Link className="btn btn-primary" to={`/connect?provider=${encodeURIComponent(c.provider_key ?? '')}`}
                      aria-label={`Reconnect ${connectionTitle(c)}`}>Reconnect</Link>
                  : <Link className="btn btn-secondary" to={`/connections/${c.id}`}
                      aria-label={`Open ${connectionTitle(c)}`}>Open</Link>}
              </li>
            ))}
          </ul>
        </section>
      )}

      {connections.isSuccess && list.length === 0 && (
        <section className="card empty">
          <h2>No providers connected yet</h2>
          <p>Connect your clinic, hospital or insurer to see your claims and account here.</p>
          <Link className="btn btn-primary" to="/connect">Connect your first provider</Link>
        </section>
      )}

      {list.length > 0 && (
        <section aria-labelledby="connections-h">
          <h2 id="connections-h">Connections</h2>
          <ul className="grid" aria-label="Your connections">
            {list.map((c) => <ConnectionCard key={c.id} connection={c} />)}
          </ul>
        </section>
      )}

      {athena && <AthenaSummary connection={athena} />}
      {list.length > 0 && <LatestClaims connections={list.filter((c) => !needsAttention(c))} />}
    </>
  );
}

function ConnectionCard({ connection: c }: { connection: Connection }) {
  return (
    <li className="card connection-card">
      <div className="card-head">
        <h3><Link to={`/connections/${c.id}`}>{connectionTitle(c)}</Link></h3>
        <StatusBadge status={c.status} />
      </div>
      <dl className="facts">
        <div><dt>Last sync</dt><dd>{c.last_sync_at ? formatDateTime(c.last_sync_at) : 'Not yet'}</dd></div>
        <div><dt>Next sync</dt><dd>{c.next_sync_at ? formatDateTime(c.next_sync_at) : 'Not scheduled'}</dd></div>
      </dl>
    </li>
  );
}

function LatestClaims({ connections }: { connections: Connection[] }) {
  const api = useApi();
  const results = useQueries({
    queries: connections.map((c) => ({
      queryKey: keys.claims(c.id, { size: 5 }),
      queryFn: () => api.get<ClaimsPage>(`/api/connections/${encodeURIComponent(c.id)}/claims`, { query: { size: 5 } }),
    })),
  });
  const byId = new Map(connections.map((c) => [c.id, c]));
  const claims: (Claim & { connection: Connection })[] = results.flatMap((r, i) =>
    (r.data?.claims ?? []).map((claim) => ({ ...claim, connection: byId.get(connections[i].id)! })));
  claims.sort((a, b) => (b.service_date ?? '').localeCompare(a.service_date ?? ''));
  const latest = claims.slice(0, 8);
  const loading = results.some((r) => r.isPending);
  const error = results.find((r) => r.error)?.error;
  return (
    <section aria-labelledby="latest-h">
      <h2 id="latest-h">Latest claims</h2>
      <ProblemAlert error={error} title="Some claims could not be loaded" />
      {loading && latest.length === 0 && <Spinner label="Loading claims" />}
      {!loading && latest.length === 0 && <p className="muted">No claims yet. New connections load theirs in a moment.</p>}
      {latest.length > 0 && (
        <div className="table-wrap" role="region" aria-labelledby="latest-h" tabIndex={0}>
          <table className="table">
            <thead><tr><th scope="col">Date</th><th scope="col">Service</th><th scope="col">From</th>
              <th scope="col" className="num">You owe</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {latest.map((claim) => (
                <tr key={claim.id}>
                  <td>{formatDate(claim.service_date)}</td>
                  <td>{claim.service_description || humanize(claim.claim_type)}</td>
                  <td><Link to={`/connections/${claim.connection.id}`}>{claim.provider_name || connectionTitle(claim.connection)}</Link></td>
                  <td className="num">{formatMoney(claim.patient_responsibility, claim.currency ?? undefined)}</td>
                  <td><StatusBadge status={claim.status} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function AthenaSummary({ connection }: { connection: Connection }) {
  const patient = useAthena<AthenaPatient>(connection.id, 'patient');
  const balance = useAthena<AthenaBalance>(connection.id, 'balance');
  const appointments = useAthena<{ appointments: AthenaAppointment[] }>(connection.id, 'appointments');
  const upcoming = (appointments.data?.appointments ?? [])
    .filter((a) => a.date >= new Date().toISOString().slice(0, 10))
    .sort((a, b) => a.date.localeCompare(b.date))
    .slice(0, 3);
  const name = [patient.data?.first_name, patient.data?.last_name].filter(Boolean).join(' ');
  return (
    <section aria-labelledby="athena-h" className="card account-card">
      <div className="card-head">
        <h2 id="athena-h">athenahealth account</h2>
        <Link to={`/connections/${connection.id}`}>Open connection</Link>
      </div>
      <ProblemAlert error={patient.error ?? balance.error ?? appointments.error} title="Part of your account could not be loaded" />
      {(patient.isPending || balance.isPending) && <Spinner label="Loading your account" />}
      <dl className="facts facts-wide">
        {patient.data && <div><dt>Patient</dt><dd>{name || '—'}</dd></div>}
        {patient.data?.date_of_birth && <div><dt>Date of birth</dt><dd>{formatDate(patient.data.date_of_birth)}</dd></div>}
        {balance.data && <div><dt>Balance</dt><dd className="big">{formatMoney(balance.data.total_balance, balance.data.currency)}</dd></div>}
        {balance.data && <div><dt>Statements</dt><dd>{balance.data.statements.length}</dd></div>}
      </dl>
      {appointments.data && (
        <>
          <h3>Upcoming appointments</h3>
          {upcoming.length === 0 ? <p className="muted">None scheduled.</p> : (
            <ul className="plain-list">
              {upcoming.map((a) => (
                <li key={a.appointment_id}>
                  <strong>{formatDate(a.date)}{a.start_time ? `, ${a.start_time}` : ''}</strong>{' '}
                  {a.appointment_type || 'Appointment'}{a.provider_name ? ` with ${a.provider_name}` : ''}
                  {a.department_name ? ` · ${a.department_name}` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
