/**
 * Where to go after signing in: only a path inside this app. Anything else (another origin, a protocol-relative
 * "//host", a backslash trick, javascript:) falls back to the home page — the value comes back through the
 * authorization server and must never become an open redirect.
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return fallback;
  try {
    const base = 'https://app.invalid';
    const url = new URL(value, base);
    if (url.origin !== base) return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

/** The path to come back to: the current location, minus the OIDC callback itself. */
export function currentLocation(): string {
  const { pathname, search, hash } = window.location;
  if (pathname === '/callback') return '/';
  return pathname + search + hash;
}
