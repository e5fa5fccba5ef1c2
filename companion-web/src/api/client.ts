import { ApiProblem, parseRetryAfter, type ProblemBody } from './problem';

export interface ApiClientOptions {
  baseUrl: string;
  /** The current access token, or null when signed out. */
  getAccessToken: () => string | null;
  /** Called once per answer whose 401 means the session is gone (not a provider's REAUTH_REQUIRED). */
  onSessionEnded?: (problem: ApiProblem) => void;
  fetchImpl?: typeof fetch;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send without the bearer token (public endpoints such as sign-up). */
  anonymous?: boolean;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient(options: ApiClientOptions) {
  const doFetch = options.fetchImpl ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const url = new URL(options.baseUrl + path);
    for (const [key, value] of Object.entries(opts.query ?? {})) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    const token = opts.anonymous ? null : options.getAccessToken();
    if (token) headers.Authorization = `Bearer ${token}`;

    let response: Response;
    try {
      response = await doFetch(url.toString(), {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: opts.signal,
        // Tokens travel in the Authorization header only; no cookies to the API.
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error;
      throw new ApiProblem(0, { detail: 'network error' });
    }

    if (response.ok) {
      if (response.status === 204) return undefined as T;
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    }
    const problem = new ApiProblem(response.status, await readProblem(response),
      parseRetryAfter(response.headers.get('Retry-After')));
    if (problem.isSessionProblem && token) options.onSessionEnded?.(problem);
    throw problem;
  }

  return {
    request,
    get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, opts),
    post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
    patch: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
    del: <T>(path: string, opts?: RequestOptions) => request<T>('DELETE', path, opts),
  };
}

async function readProblem(response: Response): Promise<ProblemBody> {
  const type = response.headers.get('Content-Type') ?? '';
  try {
    const text = await response.text();
    if (type.includes('json') && text) {
      const body = JSON.parse(text) as ProblemBody & { error?: string; error_description?: string };
      // OAuth endpoints answer RFC 6749 errors ({error, error_description}) instead of problems.
      if (!body.code && typeof body.error === 'string') {
        return { ...body, code: body.error.toUpperCase(), detail: body.error_description };
      }
      return body;
    }
  } catch {
    // not JSON: fall through to a problem made from the status alone
  }
  return { status: response.status };
}
