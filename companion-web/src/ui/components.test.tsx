import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiProblem } from '../api/problem';
import { ConfirmDialog, ProblemAlert, StatusBadge } from './components';

describe('ProblemAlert', () => {
  it('shows a human message and the trace id to quote, as an alert', () => {
    render(<ProblemAlert title="Claims could not be loaded"
      error={new ApiProblem(503, { code: 'UPSTREAM_UNAVAILABLE', trace_id: '4bf92f3577b34da6', detail: 'java.net.ConnectException' })} />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Claims could not be loaded');
    expect(alert).toHaveTextContent(/not answering right now/);
    expect(alert).toHaveTextContent('4bf92f3577b34da6');
    expect(alert).not.toHaveTextContent('java.net');
  });
  it('renders nothing without an error', () => {
    const { container } = render(<ProblemAlert error={null} />);
    expect(container).toBeEmptyDOMElement();
  });
});

describe('StatusBadge', () => {
  it('writes the status for people', () => {
    render(<StatusBadge status="reauth_required" />);
    expect(screen.getByText('Reauth required')).toHaveClass('badge-warn');
  });
});

describe('ConfirmDialog', () => {
  it('asks before acting and can be cancelled', async () => {
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(<ConfirmDialog open title="Disconnect Trellis?" confirmLabel="Disconnect" onConfirm={onConfirm} onCancel={onCancel}>
      <p>Access is revoked.</p></ConfirmDialog>);
    const dialog = screen.getByRole('dialog', { name: 'Disconnect Trellis?', hidden: true });
    expect(dialog).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Cancel', hidden: true }));
    expect(onCancel).toHaveBeenCalled();
    expect(onConfirm).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Disconnect', hidden: true }));
    expect(onConfirm).toHaveBeenCalled();
  });
});
