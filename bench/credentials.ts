/**
 * The three credentials a benchmark sends, obtained over HTTP the way a
 * client does: a session cookie (CSRF cookie, then POST /api/login/), a DRF
 * token (POST /api-token-auth/) and a JWT access token (POST /api/token/).
 *
 * ```ts
 * const { session, token, access } = await credentials('http://127.0.0.1:8000', 'alice', { register: true });
 * ```
 */

export const PASSWORD = 'Pw-12345678';

/** An answer to a JSON POST: status, parsed body, Set-Cookie lines. */
export interface JsonReply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: bench code reads known fields of the contract's bodies
  body: any;
  cookies: string[];
}

/** POSTs `body` as JSON. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonReply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: await res.json().catch(() => null),
    cookies: res.headers.getSetCookie(),
  };
}

/** What the scenarios send: the session key, the token key, the access token. */
export interface Credentials {
  session: string;
  token: string;
  access: string;
}

/** Logs `username` in three ways; `register` signs the user up first (a 400 when it exists already is fine). */
export async function credentials(
  url: string,
  username: string,
  options: { register: boolean },
): Promise<Credentials> {
  const csrf = await fetch(`${url}/api/csrf/`);
  const secret = /csrftoken=([A-Za-z0-9]+)/.exec(csrf.headers.getSetCookie().join(';'))![1];
  const user = { username, password: PASSWORD };
  const origin = { cookie: `csrftoken=${secret}`, 'x-csrftoken': secret };
  if (options.register) await postJson(`${url}/api/register/`, user, origin);
  const login = await postJson(`${url}/api/login/`, user, origin);
  const session = /sessionid=([a-z0-9]{32})/.exec(login.cookies.join(';'))?.[1];
  const token = (await postJson(`${url}/api-token-auth/`, user)).body?.token;
  const access = (await postJson(`${url}/api/token/`, user)).body?.access;
  if (!session || !token || !access)
    throw new Error(
      `${url}: could not log ${username} in (login ${login.status} ${JSON.stringify(login.body)})`,
    );
  return { session, token, access };
}

/** A token only (POST /api-token-auth/), after signing the user up when `register`. */
export async function tokenFor(
  url: string,
  username: string,
  options: { register: boolean },
): Promise<string> {
  if (options.register) {
    const csrf = await fetch(`${url}/api/csrf/`);
    const secret = /csrftoken=([A-Za-z0-9]+)/.exec(csrf.headers.getSetCookie().join(';'))![1];
    await postJson(
      `${url}/api/register/`,
      { username, password: PASSWORD },
      { cookie: `csrftoken=${secret}`, 'x-csrftoken': secret },
    );
  }
  const reply = await postJson(`${url}/api-token-auth/`, { username, password: PASSWORD });
  if (reply.status !== 200)
    throw new Error(`${url}: no token for ${username}: ${JSON.stringify(reply.body)}`);
  return reply.body.token;
}
