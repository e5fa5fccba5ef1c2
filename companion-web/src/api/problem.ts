/** An RFC 9457 problem answered by the API (or a network failure), with what a person needs to read. */
export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  trace_id?: string;
  [key: string]: unknown;
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly traceId?: string;
  readonly detail?: string;
  /** Seconds to wait before retrying (from Retry-After), when the API said so. */
  readonly retryAfterSeconds?: number;

  constructor(status: number, body: ProblemBody, retryAfterSeconds?: number) {
    super(body.detail || body.title || `Request failed (${status})`);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = body.code || codeForStatus(status);
    this.traceId = typeof body.trace_id === 'string' ? body.trace_id : undefined;
    this.detail = body.detail;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The session's token is no longer accepted: the user must sign in again. */
  get isSessionProblem(): boolean {
    return this.status === 401 && this.code !== 'REAUTH_REQUIRED' && this.code !== 'CONNECT_PROOF_REQUIRED';
  }
}

function codeForStatus(status: number): string {
  if (status === 0) return 'NETWORK_ERROR';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'INSUFFICIENT_PERMISSIONS';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'UPSTREAM_UNAVAILABLE';
  return 'REQUEST_FAILED';
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

const MESSAGES: Record<string, string> = {
  NETWORK_ERROR: 'We could not reach ClinicWave. Check your connection and try again.',
  UNAUTHENTICATED: 'Your session has ended. Please sign in again.',
  TOKEN_EXPIRED: 'Your session has ended. Please sign in again.',
  TOKEN_INVALID: 'Your session is no longer valid. Please sign in again.',
  TOKEN_REVOKED: 'You were signed out. Please sign in again.',
  INVALID_CREDENTIALS: 'That username and password do not match.',
  ACCOUNT_LOCKED: 'This account is locked for a while after too many failed sign-ins.',
  INSUFFICIENT_PERMISSIONS: 'You do not have permission to do that.',
  NOT_FOUND: 'We could not find that. It may have been removed.',
  RATE_LIMITED: 'Too many requests right now.',
  VALIDATION_FAILED: 'Some of the information is not valid.',
  POLICY_VIOLATION: 'That is not allowed here.',
  SESSION_EXPIRED: 'Your session has ended. Please sign in again.',
  USER_EXISTS: 'That username is taken. Choose another one.',
  REAUTH_REQUIRED: 'The provider needs you to sign in with them again. Reconnect to keep your data up to date.',
  UPSTREAM_UNAVAILABLE: 'The provider or one of our services is not answering right now. Try again in a moment.',
  UPSTREAM_INVALID_RESPONSE: 'The provider answered with something we could not read. Try again later.',
  OAUTH_STATE_INVALID: 'This connection attempt expired or was already used. Please start again.',
  OAUTH_AUTHORIZATION_DENIED: 'Access was declined at the provider, so nothing was connected.',
  PROVIDER_CONSENT_DENIED: 'You declined access at the provider, so nothing was connected.',
  OAUTH_AUTHORIZATION_FAILED: 'The provider did not complete the connection. Please try again.',
  OAUTH_ISSUER_MISMATCH: 'The provider’s answer did not match the provider we sent you to. Nothing was connected.',
  CONNECT_FLOW_FORBIDDEN: 'This connection was started by someone else, so it cannot be finished here. Nothing was connected.',
  CONNECT_NOT_STARTED_HERE: 'This connection was not started in this browser tab, so it was not finished. Start again from Connect.',
  CONNECT_PROOF_REQUIRED: 'Please sign in to finish connecting.',
  REDIRECT_URL_NOT_ALLOWED: 'This app is not allowed to receive the provider’s answer. Contact support.',
  TERMS_VERSION_MISMATCH: 'The provider’s terms changed. Please read and accept the current terms.',
  PROVIDER_UNAVAILABLE: 'This provider cannot be connected right now.',
  API_KEY_INVALID: 'That API key is not valid.',
  CORS_REJECTED: 'This app is not allowed to call the API from here.',
  REQUEST_FAILED: 'Something went wrong with that request.',
};

/** A sentence for a person: what happened and what they can do; never a stack trace or a raw code alone. */
export function humanMessage(problem: ApiProblem | Error | unknown): string {
  if (problem instanceof ApiProblem) {
    let message = MESSAGES[problem.code] ?? (problem.status >= 500 ? MESSAGES.UPSTREAM_UNAVAILABLE : MESSAGES.REQUEST_FAILED);
    if ((problem.code === 'VALIDATION_FAILED' || problem.code === 'POLICY_VIOLATION') && problem.detail) message = `${message} ${problem.detail}`;
    if (problem.code === 'RATE_LIMITED' || problem.retryAfterSeconds !== undefined) {
      message = `${message} ${retryText(problem.retryAfterSeconds)}`;
    }
    return message;
  }
  if (problem instanceof Error && problem.message) return problem.message;
  return MESSAGES.REQUEST_FAILED;
}

export function retryText(seconds: number | undefined): string {
  if (seconds === undefined) return 'Please try again in a minute.';
  if (seconds <= 1) return 'You can try again now.';
  if (seconds < 90) return `Please try again in ${seconds} seconds.`;
  return `Please try again in ${Math.ceil(seconds / 60)} minutes.`;
}
