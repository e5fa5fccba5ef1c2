import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../api/queries';
import type { ApiKey } from '../api/types';
import { Button, ConfirmDialog, CopyButton, Notice, PageHeader, ProblemAlert, Spinner, StatusBadge } from '../ui/components';
import { formatDate, formatDateTime } from '../ui/format';

/** Scopes a patient may give a key (a subset of their own permissions; the API checks it again). */
const SCOPES: { value: string; label: string }[] = [
  { value: 'connections:read', label: 'Read connections' },
  { value: 'claims:read', label: 'Read claims' },
  { value: 'athena:read', label: 'Read athenahealth account' },
  { value: 'claims:sync', label: 'Start claim syncs' },
];

interface CreateForm {
  name: string;
  scopes: string[];
  expires_in_days: number;
}

export function ApiKeys() {
  const list = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const { register, handleSubmit, reset, formState: { errors } } = useForm<CreateForm>({
    defaultValues: { name: '', scopes: ['claims:read'], expires_in_days: 90 },
  });
  const active = (list.data ?? []).filter((k) => !k.revoked_at);
  const revoked = (list.data ?? []).filter((k) => k.revoked_at);

  return (
    <>
      <PageHeader title="API keys" />
      <p className="lead">Keys let your own tools read your data through the API. A key can do only what you choose
        below, and you can revoke it at any time.</p>

      {create.data && (
        <section className="card card-ok" aria-labelledby="new-key-h">
          <h2 id="new-key-h">Your new key “{create.data.name}”</h2>
          <p><strong>Copy it now: it is shown only once.</strong> Send it as the <code>X-API-Key</code> header.</p>
          <div className="secret">
            <label htmlFor="new-key" className="visually-hidden">New API key</label>
            <input id="new-key" readOnly value={create.data.api_key} onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={create.data.api_key} />
          </div>
          <Button variant="ghost" onClick={() => create.reset()}>I have stored it, hide the key</Button>
        </section>
      )}

      <section className="card" aria-labelledby="create-h">
        <h2 id="create-h">Create a key</h2>
        <form className="form" noValidate onSubmit={handleSubmit((form) => create.mutate({
          name: form.name.trim(), scopes: form.scopes, expires_in_days: Number(form.expires_in_days),
        }, { onSuccess: () => reset() }))}>
          <div className="field">
            <label htmlFor="key-name">Name</label>
            <input id="key-name" placeholder="e.g. My budgeting spreadsheet" aria-invalid={!!errors.name}
              aria-describedby={errors.name ? 'key-name-error' : undefined}
              {...register('name', { required: 'Give the key a name you will recognise.', maxLength: { value: 100, message: 'At most 100 characters.' } })} />
            {errors.name && <p id="key-name-error" className="field-error">{errors.name.message}</p>}
          </div>
          <fieldset className="field" aria-describedby={errors.scopes ? 'scopes-error' : undefined}>
            <legend>What the key may do</legend>
            {SCOPES.map((s) => (
              <div className="field-check" key={s.value}>
                <input type="checkbox" id={`scope-${s.value}`} value={s.value}
                  {...register('scopes', { validate: (v) => (v && v.length > 0) || 'Choose at least one permission.' })} />
                <label htmlFor={`scope-${s.value}`}>{s.label} <code>{s.value}</code></label>
              </div>
            ))}
            {errors.scopes && <p id="scopes-error" className="field-error">{errors.scopes.message}</p>}
          </fieldset>
          <div className="field">
            <label htmlFor="key-expiry">Expires after</label>
            <select id="key-expiry" {...register('expires_in_days')}>
              <option value={30}>30 days</option>
              <option value={90}>90 days</option>
              <option value={365}>1 year</option>
            </select>
          </div>
          <ProblemAlert error={create.error} title="The key was not created" />
          <Button type="submit" busy={create.isPending}>Create key</Button>
        </form>
      </section>

      <section aria-labelledby="keys-h">
        <h2 id="keys-h">Your keys</h2>
        <ProblemAlert error={list.error} title="Your keys could not be loaded" />
        <ProblemAlert error={revoke.error} title="The key was not revoked" />
        {revoke.isSuccess && <Notice kind="success">The key was revoked. It no longer works.</Notice>}
        {list.isPending && <Spinner label="Loading your keys" />}
        {list.data && active.length === 0 && <p className="muted">No active keys.</p>}
        {active.length > 0 && (
          <ul className="plain-list key-list" aria-label="Active keys">
            {active.map((k) => (
              <li key={k.id} className="card key-item">
                <div>
                  <h3 className="h4">{k.name}</h3>
                  <p className="muted"><code>{k.prefix}…</code> · {k.scopes.join(', ')}</p>
                  <p className="muted">Created {formatDate(k.created_at)} · expires {formatDate(k.expires_at)} ·
                    {k.last_used_at ? ` last used ${formatDateTime(k.last_used_at)}` : ' never used'}</p>
                </div>
                <Button variant="danger" aria-label={`Revoke key ${k.name}`} onClick={() => setRevoking(k)}>Revoke</Button>
              </li>
            ))}
          </ul>
        )}
        {revoked.length > 0 && (
          <details>
            <summary>Revoked keys ({revoked.length})</summary>
            <ul className="plain-list">
              {revoked.map((k) => <li key={k.id}>{k.name} <code>{k.prefix}…</code> <StatusBadge status="revoked" /> {formatDate(k.revoked_at)}</li>)}
            </ul>
          </details>
        )}
      </section>

      <ConfirmDialog open={!!revoking} title={`Revoke “${revoking?.name ?? ''}”?`} confirmLabel="Revoke key"
        busy={revoke.isPending} onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking.id, { onSettled: () => setRevoking(null) })}>
        <p>Anything using this key stops working at once. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
