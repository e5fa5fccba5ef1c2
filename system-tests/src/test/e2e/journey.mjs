// The patient's journey through companion-web in a real Chromium, against the running suite (bin/platform up):
// sign up → sign in → connect trellis (approve on the sandbox page) → claims appear with no manual step → filter →
// manual sync → denied consent creates nothing → connect athenahealth → account view → API key created, used and
// revoked → sign out → the old token is refused. Once at a desktop size and once at a 390 px phone size; axe-core
// on every screen (no serious or critical violation); a screenshot of every screen in SCREENSHOT_DIR.
//
// Run by system-tests' CompanionWebSystemTests (./mvnw verify), or by hand with the suite up:
//   cd system-tests/src/test/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci && node journey.mjs
// Environment: APP_URL (http://localhost:5173), API_URL (http://localhost:8080), CHROMIUM_PATH (/usr/bin/chromium),
// SCREENSHOT_DIR (./screenshots), VIEWPORTS (desktop,phone), HEADED=1 to watch.
import { chromium } from 'playwright-core';
import axe from 'axe-core';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const APP = (process.env.APP_URL || 'http://localhost:5173').replace(/\/$/, '');
const API = (process.env.API_URL || 'http://localhost:8080').replace(/\/$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OUT = path.resolve(process.env.SCREENSHOT_DIR || 'screenshots');
const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};
const STEP_TIMEOUT = 90_000;
const SANDBOX_PATIENT = 'patient-001';
const SANDBOX_PASSWORD = 'sandbox-password';

class JourneyError extends Error {}

function check(condition, message) {
  if (!condition) throw new JourneyError(message);
}

function log(...args) {
  console.log(`[e2e ${new Date().toISOString().slice(11, 19)}]`, ...args);
}

/** Polls until fn answers truthy (eventual consistency across services), at most `attempts` times. */
async function eventually(fn, what, attempts = 40, pauseMs = 500) {
  let last;
  for (let i = 0; i < attempts; i++) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  throw new JourneyError(`never happened: ${what}`);
}

async function api(pathname, headers = {}) {
  const response = await fetch(API + pathname, { headers: { Accept: 'application/json', ...headers } });
  const text = await response.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: response.status, body };
}

async function journey(browser, name) {
  const options = VIEWPORTS[name];
  const context = await browser.newContext({ ...options, locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(STEP_TIMEOUT);
  const page = await context.newPage();
  const problems = [];
  const axeFindings = [];
  let shot = 0;
  let accessToken = null;

  page.on('request', (request) => {
    const auth = request.headers().authorization;
    if (request.url().startsWith(API + '/api/') && auth?.startsWith('Bearer ')) accessToken = auth.slice(7);
  });
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to (load|execute|connect|apply)/i.test(text)) problems.push(`CSP: ${text}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

  async function screen(label) {
    await page.waitForLoadState('load');
    await page.evaluate(axe.source);
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    for (const v of bad) {
      axeFindings.push(`${name}/${label}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    }
    shot += 1;
    const file = path.join(OUT, `${name}-${String(shot).padStart(2, '0')}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true });
    log(`${name}: screen "${label}" (${page.url().replace(/\?.*/, '')}) axe serious/critical: ${bad.length}, ${path.basename(file)}`);
  }

  const suffix = `${name}-${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`;
  const username = `e2e-${suffix}`;
  const password = `Journey-${crypto.randomBytes(6).toString('hex')}-9`;

  try {
    // The app is served with its Content-Security-Policy.
    const first = await page.goto(APP + '/');
    const csp = first.headers()['content-security-policy'] || '';
    check(csp.includes("connect-src 'self' " + new URL(API).origin), `the app's CSP limits connect-src to the API: ${csp}`);
    check(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), `the app's CSP forbids inline scripts: ${csp}`);
    await page.getByRole('heading', { name: 'Your health accounts in one place' }).waitFor();
    await screen('welcome');

    // Sign up (the app's form → POST /api/v1/auth/register).
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel(/^Email/).fill(`${username}@example.test`);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Repeat the password').fill(password);
    await screen('sign-up');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Your account is ready' }).waitFor();

    // Sign in at auth-service's page (authorization code + PKCE).
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.toString().startsWith(API + '/login'));
    await page.getByLabel('Username').waitFor();
    await screen('auth-login');
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.toString().startsWith(APP + '/'));
    await page.getByRole('heading', { name: 'Your accounts' }).waitFor();
    await page.getByRole('heading', { name: 'No providers connected yet' }).waitFor();
    check(accessToken, 'the app calls the API with a bearer token');
    const storage = await page.evaluate(() => JSON.stringify({ ...window.localStorage }) + JSON.stringify({ ...window.sessionStorage }));
    check(!storage.includes(accessToken) && !/refresh_token|access_token/.test(storage), 'no token in localStorage or sessionStorage');
    await screen('home-empty');

    // Connect trellis: catalog → terms → the sandbox's consent page → back, finished by the app.
    await connect(page, /Trellis/i, 'approve', screen, true);
    await page.waitForURL(/\/connections\/[^/?]+\?connected=1/);
    const trellisUrl = page.url();
    // Claims appear without any manual step (the initial sync runs by itself).
    const rows = page.getByRole('region', { name: 'Claims' }).locator('tbody tr');
    await rows.first().waitFor();
    check(await rows.count() > 0, 'claims are listed after connecting');
    await screen('connection-claims');

    // Filter by the first claim's status: every row shown has it.
    const firstStatus = (await rows.first().locator('td[data-label="Status"]').innerText()).trim();
    await page.getByLabel('Status').selectOption({ label: firstStatus });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/status=/);
    await eventually(async () => {
      const statuses = await rows.locator('td[data-label="Status"]').allInnerTexts();
      return statuses.length > 0 && statuses.every((s) => s.trim() === firstStatus);
    }, `only "${firstStatus}" claims after filtering`);
    await screen('connection-filtered');
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.waitForURL((url) => !url.search.includes('status='));

    // Manual sync, with its outcome.
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByText(/Sync finished: \d+ new, \d+ updated/).waitFor();
    await screen('connection-synced');

    // A denied consent: a clear message, and no connection created.
    const before = await api('/api/connections', { Authorization: `Bearer ${accessToken}` });
    check(before.status === 200, `connections listed with the app's token (${before.status})`);
    await connect(page, /Trellis/i, 'deny', screen, false);
    await page.getByRole('heading', { name: 'Nothing was connected' }).waitFor();
    await page.getByRole('alert').filter({ hasText: /declined/i }).waitFor();
    await screen('connect-denied');
    const after = await api('/api/connections', { Authorization: `Bearer ${accessToken}` });
    check(after.status === 200 && after.body.connections.length === before.body.connections.length,
      `a denied consent creates nothing (${before.body.connections.length} → ${after.body.connections?.length})`);

    // Connect athenahealth and see the account.
    await connect(page, /athena/i, 'approve', screen, false);
    await page.waitForURL(/\/connections\/[^/?]+\?connected=1/);
    check(page.url() !== trellisUrl, 'athenahealth is a new connection');
    await page.getByRole('heading', { name: 'athenahealth account' }).waitFor();
    await page.getByText('Balance', { exact: true }).waitFor();
    await screen('athena-account');

    // Home: every connection, the account summary, the latest claims across connections.
    await page.getByRole('link', { name: 'Home', exact: true }).click();
    await page.getByRole('heading', { name: 'Your accounts' }).waitFor();
    await eventually(async () => (await page.getByRole('list', { name: 'Your connections' }).locator('> li').count()) === 2,
      'two connections on the home page');
    await page.getByRole('heading', { name: 'athenahealth account' }).waitFor();
    await page.getByRole('heading', { name: 'Latest claims' }).waitFor();
    await page.getByRole('region', { name: 'Latest claims' }).locator('tbody tr').first().waitFor();
    await screen('home');

    // API keys: create (shown once, copyable), use it, revoke it, and it stops working.
    await page.getByRole('link', { name: 'API keys', exact: true }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByLabel('Name').fill(`e2e key ${name}`);
    await page.getByRole('button', { name: 'Create key' }).click();
    const secretField = page.getByLabel('New API key');
    await secretField.waitFor();
    const apiKey = await secretField.inputValue();
    check(/^cwk_/.test(apiKey), 'the new key is shown');
    await screen('api-key-created');
    const withKey = await api('/api/connections/' + trellisUrl.match(/connections\/([^/?]+)/)[1] + '/claims?size=1',
      { 'X-API-Key': apiKey });
    check(withKey.status === 200, `the new key reads claims (${withKey.status})`);
    await page.getByRole('button', { name: 'I have stored it, hide the key' }).click();
    await secretField.waitFor({ state: 'detached' });
    check(!(await page.content()).includes(apiKey), 'the key is gone from the page once hidden');
    await page.getByRole('button', { name: `Revoke key e2e key ${name}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText('The key was revoked. It no longer works.').waitFor();
    await screen('api-key-revoked');
    await eventually(async () => (await api('/api/connections', { 'X-API-Key': apiKey })).status === 401,
      'the revoked key is refused');

    // Sign out: tokens revoked, the old access token refused.
    const oldToken = accessToken;
    check((await api('/api/v1/auth/me', { Authorization: `Bearer ${oldToken}` })).status === 200, 'the token works before sign-out');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.toString().startsWith(APP + '/signed-out'));
    await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
    await screen('signed-out');
    await eventually(async () => (await api('/api/v1/auth/me', { Authorization: `Bearer ${oldToken}` })).status === 401,
      'the old access token is refused after sign-out');
    // And the app does not come back signed in.
    await page.goto(APP + '/');
    await page.getByRole('heading', { name: 'Your health accounts in one place' }).waitFor();

    check(problems.length === 0, `browser problems:\n  ${problems.join('\n  ')}`);
    check(axeFindings.length === 0, `axe-core serious/critical violations:\n  ${axeFindings.join('\n  ')}`);
    log(`${name}: journey passed (${shot} screens)`);
  } catch (error) {
    await page.screenshot({ path: path.join(OUT, `${name}-failure.png`), fullPage: true }).catch(() => {});
    log(`${name}: FAILED at ${page.url()}`);
    if (problems.length) log(`${name}: browser problems:\n  ${problems.join('\n  ')}`);
    if (axeFindings.length) log(`${name}: axe findings so far:\n  ${axeFindings.join('\n  ')}`);
    throw error;
  } finally {
    await context.close();
  }
}

/** From anywhere in the app: Connect → provider → accept terms → the sandbox's page → decision. */
async function connect(page, provider, decision, screen, shoot) {
  await page.getByRole('link', { name: 'Connect', exact: true }).click();
  await page.getByRole('heading', { name: 'Connect a provider' }).waitFor();
  if (shoot) await screen('connect-catalog');
  await page.getByRole('button', { name: new RegExp(`^Connect ${provider.source}`, 'i') }).first().click();
  await page.getByRole('heading', { name: 'Terms for sharing your data' }).waitFor();
  await page.getByLabel(/I accept the terms/).check();
  if (shoot) await screen('connect-terms');
  await page.getByRole('button', { name: /^Continue to/ }).click();
  // The provider's consent page (the sandbox locally).
  await page.waitForURL((url) => !url.toString().startsWith(APP));
  await page.locator('#username').fill(SANDBOX_PATIENT);
  await page.locator('#password').fill(SANDBOX_PASSWORD);
  if (shoot) await page.screenshot({ path: path.join(OUT, `${page.viewportSize().width < 500 ? 'phone' : 'desktop'}-provider-consent.png`), fullPage: true });
  await page.getByRole('button', { name: decision === 'approve' ? 'Allow' : 'Deny' }).click();
  await page.waitForURL((url) => url.toString().startsWith(APP + '/'));
}

async function main() {
  if (!fs.existsSync(CHROMIUM)) {
    console.log(`SKIPPED: no Chromium at ${CHROMIUM} — install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`);
    process.exit(3);
  }
  fs.mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: !process.env.HEADED,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const failures = [];
  try {
    for (const name of (process.env.VIEWPORTS || 'desktop,phone').split(',')) {
      try {
        await journey(browser, name.trim());
      } catch (error) {
        failures.push(`${name}: ${error.stack || error}`);
      }
    }
  } finally {
    await browser.close();
  }
  if (failures.length) {
    console.error(`JOURNEY FAILED\n${failures.join('\n')}`);
    process.exit(1);
  }
  log(`all journeys passed; screenshots in ${OUT}`);
}

main().catch((error) => {
  console.error(`JOURNEY FAILED\n${error.stack || error}`);
  process.exit(1);
});
