import type { Gatehouse } from '../gatehouse.ts';
import { type AuthRequest, createAuthRequest } from '../request.ts';
import type { User } from '../stores/types.ts';

/** The credential kinds a client can hold: a session cookie, an API token, an access JWT. */
export type CredentialKind = 'session' | 'token' | 'jwt';

/** What a logged-in client sends: headers for `fetch`, a test client, or `makeRequest`. */
export interface LoggedIn {
  kind: CredentialKind;
  /**
   * `cookie` (`sessionid` and `csrftoken`) and `x-csrftoken` for a session, so
   * unsafe requests pass CSRF too; `authorization: Token …` or `Bearer …` otherwise.
   */
  headers: Record<string, string>;
  /** The session key, API token key or access JWT itself. */
  credential: string;
  /** The JWT refresh token (`jwt` only). */
  refresh?: string;
}

/**
 * Logs a user in the way each login endpoint does (the session login with
 * its rotated CSRF secret, an API token, a JWT pair) and returns what the
 * client would send from then on — one call instead of a login round trip.
 *
 * ```ts
 * const alice = await gh.accounts.create({ username: 'alice', password: 'Pw-12345678' });
 * const { headers } = await loggedIn(gh, alice, 'session');
 * await fetch(`${base}/api/notes/`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
 * ```
 */
export async function loggedIn(gh: Gatehouse, user: User, kind: CredentialKind): Promise<LoggedIn> {
  switch (kind) {
    case 'session': {
      const req = createAuthRequest({
        method: 'POST',
        url: '/api/login/',
        headers: {},
        clientAddress: '192.0.2.10',
      });
      const { cookies } = await gh.login(req, user);
      const session = cookies.find((c) => c.name === gh.sessions.cookieName)!.value;
      const csrf = cookies.find((c) => c.name === gh.csrf.cookieName)!.value;
      return {
        kind,
        credential: session,
        headers: {
          cookie: `${gh.sessions.cookieName}=${session}; ${gh.csrf.cookieName}=${csrf}`,
          [gh.csrf.headerName]: csrf,
        },
      };
    }
    case 'token': {
      const { key } = await gh.tokens.issue(user, { name: 'testing' });
      return { kind, credential: key, headers: { authorization: `Token ${key}` } };
    }
    case 'jwt': {
      const { access, refresh } = await gh.jwt.obtain(user);
      return { kind, credential: access, refresh, headers: { authorization: `Bearer ${access}` } };
    }
  }
}

/**
 * An `AuthRequest` from a logged-in client, for calling a view or
 * `gh.check` in process: `loggedIn` and `makeRequest` in one call.
 *
 * ```ts
 * const req = await requestAs(gh, alice, 'token', 'POST', { body: '{"title":"x"}' });
 * const res = await notesView.handle(req);
 * ```
 */
export async function requestAs(
  gh: Gatehouse,
  user: User,
  kind: CredentialKind,
  method = 'GET',
  init: {
    url?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    clientAddress?: string;
  } = {},
): Promise<AuthRequest> {
  const { headers } = await loggedIn(gh, user, kind);
  const body = init.body === undefined ? null : Buffer.from(init.body);
  return createAuthRequest({
    method,
    url: init.url ?? '/api/things/',
    headers: {
      ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
      ...headers,
      ...init.headers,
    },
    clientAddress: init.clientAddress ?? '192.0.2.10',
    rawBody: body,
  });
}
