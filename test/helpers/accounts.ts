/**
 * Accounts on a running reference server (test/helpers/server.ts), over real
 * HTTP with `fetch`: the preamble of the suites that fault, restart or
 * duplicate servers and need a signed-in user first.
 *
 * ```ts
 * const server = await startServer();
 * const { session } = await registerAndLogin(server.url, 'alice', 'Pw-12345678');
 * const token = await obtainToken(server.url, 'alice', 'Pw-12345678');
 * await fetch(`${server.url}/api/dashboard/`, { headers: { cookie: `sessionid=${session}` } });
 * ```
 */
import assert from 'node:assert/strict';

/** A signed-in browser's cookies: the `sessionid` and the `csrftoken` secret. */
export interface SignedIn {
  session: string;
  csrf: string;
}

const CSRF_COOKIE = /csrftoken=([A-Za-z0-9]+)/;
const SESSION_COOKIE = /sessionid=([a-z0-9]{32})/;

/**
 * The CSRF secret from `GET /api/csrf/`, and JSON headers that pass Django's
 * check with it: the secret as the `csrftoken` cookie and as `X-CSRFToken`.
 */
export async function csrfHeaders(
  baseUrl: string,
): Promise<{ csrf: string; headers: Record<string, string> }> {
  const res = await fetch(`${baseUrl}/api/csrf/`);
  const csrf = CSRF_COOKIE.exec(res.headers.getSetCookie()[0] ?? '')?.[1];
  if (!csrf) throw new Error(`GET ${baseUrl}/api/csrf/ set no csrftoken cookie (status ${res.status})`);
  return {
    csrf,
    headers: { 'content-type': 'application/json', cookie: `csrftoken=${csrf}`, 'x-csrftoken': csrf },
  };
}

/** `POST /api/register/` as a fresh browser would (CSRF token first); asserts 201 Created. */
export async function register(baseUrl: string, username: string, password: string): Promise<void> {
  const { headers } = await csrfHeaders(baseUrl);
  await registerWith(baseUrl, headers, username, password);
}

/**
 * Registers `username` and logs in with the same CSRF token (asserting the
 * registration's 201), and returns the session key and the CSRF secret the
 * browser holds afterwards (login rotates it).
 */
export async function registerAndLogin(
  baseUrl: string,
  username: string,
  password: string,
): Promise<SignedIn> {
  const { csrf, headers } = await csrfHeaders(baseUrl);
  await registerWith(baseUrl, headers, username, password);
  const login = await fetch(`${baseUrl}/api/login/`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ username, password }),
  });
  const cookies = login.headers.getSetCookie().join(';');
  const session = SESSION_COOKIE.exec(cookies)?.[1];
  if (!session)
    throw new Error(`POST ${baseUrl}/api/login/ as ${username} set no session (status ${login.status})`);
  return { session, csrf: CSRF_COOKIE.exec(cookies)?.[1] ?? csrf };
}

/** A DRF token for `username` from `POST /api-token-auth/` (no session, no CSRF). */
export async function obtainToken(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api-token-auth/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const { token } = (await res.json()) as { token?: unknown };
  if (typeof token !== 'string')
    throw new Error(`POST ${baseUrl}/api-token-auth/ gave no token (status ${res.status})`);
  return token;
}

async function registerWith(
  baseUrl: string,
  headers: Record<string, string>,
  username: string,
  password: string,
): Promise<void> {
  const res = await fetch(`${baseUrl}/api/register/`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 201);
}
