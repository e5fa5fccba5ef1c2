import { useEffect, useId, useRef, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { ApiProblem, humanMessage } from '../api/problem';
import { humanize } from './format';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

export function Button({ variant = 'primary', busy, children, className, disabled, ...rest }:
    ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }) {
  return (
    <button {...rest} className={`btn btn-${variant} ${className ?? ''}`} disabled={disabled || busy}
      aria-busy={busy || undefined}>
      {busy && <span className="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}

/** An API problem as a person reads it: what happened, what to do, and the trace id to quote to support. */
export function ProblemAlert({ error, title, action }: { error: unknown; title?: string; action?: ReactNode }) {
  if (!error) return null;
  const problem = error instanceof ApiProblem ? error : null;
  return (
    <div className="alert alert-error" role="alert">
      {title && <p className="alert-title">{title}</p>}
      <p>{humanMessage(error)}</p>
      {problem?.traceId && (
        <p className="trace">If you contact support, quote this reference: <code>{problem.traceId}</code></p>
      )}
      {action}
    </div>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'warning'; children: ReactNode }) {
  return <div className={`alert alert-${kind}`} role="status">{children}</div>;
}

const STATUS_TONE: Record<string, string> = {
  active: 'ok', succeeded: 'ok', paid: 'ok', verified: 'ok', processed: 'ok',
  pending: 'wait', submitted: 'wait', running: 'wait', unverified: 'neutral', partially_processed: 'wait', adjusted: 'neutral',
  reauth_required: 'warn', expired: 'warn', disputed: 'warn',
  failed: 'bad', denied: 'bad', revoked: 'bad', error: 'bad', cancelled: 'neutral',
};

export function StatusBadge({ status, label }: { status: string | null | undefined; label?: string }) {
  const value = status ?? 'unknown';
  return <span className={`badge badge-${STATUS_TONE[value] ?? 'neutral'}`}>{label ?? humanize(value)}</span>;
}

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return (
    <p className="loading" role="status"><span className="spinner" aria-hidden="true" />{label}…</p>
  );
}

/** A confirmation in a native modal dialog (focus trapped, Escape closes). */
export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onCancel, busy }: {
  open: boolean; title: string; children: ReactNode; confirmLabel: string; onConfirm: () => void;
  onCancel: () => void; busy?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal(); else dialog.setAttribute('open', '');
    } else if (!open && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close(); else dialog.removeAttribute('open');
    }
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onCancel={(e) => { e.preventDefault(); onCancel(); }}>
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="actions">
        <Button variant="secondary" onClick={onCancel} disabled={busy}>Cancel</Button>
        <Button variant="danger" onClick={onConfirm} busy={busy}>{confirmLabel}</Button>
      </div>
    </dialog>
  );
}

/** Copies text and says so (for an API key shown once). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  return (
    <>
      <Button type="button" variant="secondary" onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied('done');
        } catch {
          setCopied('failed');
        }
      }}>{label}</Button>
      <span className="copy-status" role="status">
        {copied === 'done' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copy failed: select the key and copy it.' : ''}
      </span>
    </>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ClinicWave Companion`;
    // Screen-reader and keyboard users land on the new page's heading after client-side navigation.
    ref.current?.focus();
  }, [title]);
  return (
    <div className="page-header">
      <h1 ref={ref} tabIndex={-1}>{title}</h1>
      {children && <div className="page-actions">{children}</div>}
    </div>
  );
}
