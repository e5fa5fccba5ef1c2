/** Where the app finds the API (the gateway) and how it presents itself to auth-service. */
export const config = {
  /** The public gateway: API, OIDC issuer (auth-service behind it). Built in with VITE_API_BASE_URL. */
  apiBaseUrl: (import.meta.env.VITE_API_BASE_URL as string | undefined)?.replace(/\/$/, '') || 'http://localhost:8080',
  clientId: (import.meta.env.VITE_OIDC_CLIENT_ID as string | undefined) || 'companion-web',
  /** The tenant whose users sign in here (auth-service's login page has a hidden tenant field). */
  tenant: (import.meta.env.VITE_TENANT as string | undefined) || 'clinicwave',
  scopes: 'openid profile email offline_access connections:read connections:write claims:read claims:sync claims:verify athena:read apikeys:manage',
};

/** The app's own origin: redirect URIs are built from it, so localhost and 127.0.0.1 both work. */
export function appOrigin(): string {
  return window.location.origin;
}
