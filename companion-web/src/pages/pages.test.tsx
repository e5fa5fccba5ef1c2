import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { renderWith } from '../test-utils';
import { Home } from './Home';
import { SignUp } from './SignUp';
import { ConnectionPage } from './Connection';

const trellis = { id: 'c-1', provider_key: 'trellis', provider_type: 'fhir', provider_name: 'Trellis Healthcare',
  connection_name: 'My Trellis', status: 'active', last_sync_at: '2026-12-01T10:00:00Z', next_sync_at: null };
const epic = { id: 'c-2', provider_key: 'epic', provider_type: 'fhir', provider_name: 'Epic',
  connection_name: 'My Epic', status: 'reauth_required', last_sync_at: null, next_sync_at: null };
const claim = (id: string, date: string, status = 'paid') => ({ id, provider_claim_id: `P-${id}`, claim_type: 'medical',
  service_date: date, provider_name: 'City Clinic', service_description: `Visit ${id}`, total_amount: 100,
  patient_responsibility: 20, status, verification_status: 'unverified' });
const page = (claims: unknown[]) => ({ claims, page: { number: 0, size: 10, total_elements: claims.length, total_pages: 1 } });

describe('Home', () => {
  it('shows what needs attention first, with a reconnect button, then connections and the latest claims', async () => {
    const { wrapper } = renderWith(<Home />, { routes: {
      'GET /api/connections': { body: { connections: [trellis, epic] } },
      'GET /api/connections/c-1/claims': { body: page([claim('a', '2026-10-01'), claim('b', '2026-11-05', 'denied')]) },
    } });
    render(wrapper);
    const attention = await screen.findByRole('region', { name: 'Needs your attention' });
    expect(within(attention).getByText('My Epic')).toBeInTheDocument();
    expect(within(attention).getByRole('link', { name: 'Reconnect My Epic' })).toHaveAttribute('href', '/connect?provider=epic');
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings.indexOf('Needs your attention')).toBeLessThan(headings.indexOf('Connections'));
    const rows = await screen.findAllByRole('row');
    // Newest first across connections.
    expect(rows[1]).toHaveTextContent('Visit b');
    expect(rows[2]).toHaveTextContent('Visit a');
  });

  it('shows an API problem with the trace id to quote', async () => {
    const { wrapper } = renderWith(<Home />, { routes: {
      'GET /api/connections': { status: 503, body: { code: 'UPSTREAM_UNAVAILABLE', trace_id: 'trace-503' } },
    } });
    render(wrapper);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Your connections could not be loaded');
    expect(alert).toHaveTextContent('trace-503');
  });

  it('sends the user to sign in again when the session token is refused', async () => {
    const { wrapper, signIn } = renderWith(<Home />, { routes: {
      'GET /api/connections': { status: 401, body: { code: 'TOKEN_REVOKED' } },
    } });
    render(wrapper);
    await screen.findByRole('alert');
    expect(signIn).toHaveBeenCalled();
  });
});

describe('SignUp', () => {
  it('checks the password rules before sending', async () => {
    const { wrapper, fetchImpl } = renderWith(<SignUp />, { signedIn: false });
    render(wrapper);
    await userEvent.type(screen.getByLabelText('Username'), 'patient7');
    await userEvent.type(screen.getByLabelText('Password'), 'short');
    await userEvent.type(screen.getByLabelText('Repeat the password'), 'other');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('At least 10 characters.')).toBeInTheDocument();
    expect(screen.getByText('The passwords differ.')).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('registers without a token and says when a username is taken or when to retry', async () => {
    const { wrapper, fetchImpl } = renderWith(<SignUp />, { signedIn: false, routes: {
      'POST /api/v1/auth/register': { status: 429, body: { code: 'RATE_LIMITED', trace_id: 't-429' }, headers: { 'Retry-After': '30' } },
    } });
    render(wrapper);
    await userEvent.type(screen.getByLabelText('Username'), 'patient7');
    await userEvent.type(screen.getByLabelText('Password'), 'long-enough-9');
    await userEvent.type(screen.getByLabelText('Repeat the password'), 'long-enough-9');
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Please try again in 30 seconds.');
    const [, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>).Authorization).toBeUndefined();
    expect(JSON.parse(init.body as string)).toMatchObject({ username: 'patient7', tenant: 'clinicwave' });
  });
});

describe('Connection', () => {
  it('filters claims through the API and shows the manual sync outcome', async () => {
    const { wrapper, fetchImpl } = renderWith(
      <Routes><Route path="/connections/:id" element={<ConnectionPage />} /></Routes>,
      { path: '/connections/c-1', routes: {
        'GET /api/connections': { body: { connections: [trellis] } },
        'GET /api/connections/c-1/claims': { body: page([claim('a', '2026-10-01')]) },
        'POST /api/connections/c-1/sync': { body: { success: true, sync_id: 's-1', status: 'succeeded', claims_created: 3, claims_updated: 1 } },
      } });
    render(wrapper);
    await screen.findByText('Visit a');
    await userEvent.selectOptions(screen.getByLabelText('Status'), 'denied');
    await userEvent.selectOptions(screen.getByLabelText('Type'), 'dental');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await vi.waitFor(() => expect(fetchImpl.mock.calls.some(([url]) =>
      String(url).includes('status=denied') && String(url).includes('claim_type=dental'))).toBe(true));
    await userEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    expect(await screen.findByText(/Sync finished: 3 new, 1 updated/)).toBeInTheDocument();
  });

  it('asks for confirmation before disconnecting', async () => {
    const { wrapper, fetchImpl } = renderWith(
      <Routes><Route path="/connections/:id" element={<ConnectionPage />} /></Routes>,
      { path: '/connections/c-1', routes: {
        'GET /api/connections': { body: { connections: [trellis] } },
        'GET /api/connections/c-1/claims': { body: page([]) },
      } });
    render(wrapper);
    await userEvent.click(await screen.findByRole('button', { name: 'Disconnect' }));
    const dialog = screen.getByRole('dialog', { hidden: true });
    expect(dialog).toHaveTextContent('Disconnect My Trellis?');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel', hidden: true }));
    expect(fetchImpl.mock.calls.some(([, init]) => (init as RequestInit)?.method === 'DELETE')).toBe(false);
  });
});
