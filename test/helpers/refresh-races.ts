/**
 * Issue 8's refresh races over real HTTP, for suites that run several server
 * processes on one database: a thief refreshing on one instance while the
 * owner changes the password on another (finding 2), and one refresh token
 * presented to two instances at once (finding 3). Each asserts the property
 * that must hold in every interleaving, never a count of races.
 *
 * ```ts
 * await refreshesThroughPasswordChange({ thief: a.url, owner: b.url, username: 'grace', password: 'Pw-12345678' });
 * await sameRefreshTokenOnTwo(a.url, b.url, 'heidi', 'Pw-12345678');
 * ```
 */
import assert from 'node:assert/strict';

interface Pair {
  refresh: string;
  access: string;
}

async function post(url: string, json: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(json),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
}

const cookie = (lines: string[], name: string) =>
  lines.map((l) => new RegExp(`^${name}=([^;]*)`).exec(l)?.[1]).find((v) => v !== undefined);

/** Logs in through `/api/login/` and returns the headers that make a same-origin, CSRF-checked request. */
async function sessionHeaders(base: string, username: string, password: string) {
  const primed = await fetch(`${base}/api/csrf/`);
  const csrf = cookie(primed.headers.getSetCookie(), 'csrftoken')!;
  const login = await fetch(`${base}/api/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `csrftoken=${csrf}`, 'x-csrftoken': csrf },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(login.status, 200);
  const set = login.headers.getSetCookie();
  const rotated = cookie(set, 'csrftoken') ?? csrf;
  return { cookie: `csrftoken=${rotated}; sessionid=${cookie(set, 'sessionid')}`, 'x-csrftoken': rotated };
}

/**
 * Four families refresh in a loop on `thief` and two clients keep logging in
 * there with the old password while the owner changes it on `owner`. Once
 * the change has answered, no refresh token of theirs refreshes on either
 * instance, and no access token minted in the race authenticates (checked on
 * `owner`, which made the change: the property is "never newer than the check
 * that allowed it", not the revocation bus's speed).
 */
export async function refreshesThroughPasswordChange(options: {
  thief: string;
  owner: string;
  username: string;
  password: string;
}): Promise<void> {
  const { thief, owner, username, password } = options;
  const obtain = () => post(`${thief}/api/token/`, { username, password });
  const owned = await sessionHeaders(owner, username, password);
  const pairs: Pair[] = [];
  // One after another: parallel logins past the account limit are refused before their password is judged.
  for (let i = 0; i < 4; i++) pairs.push((await obtain()).json);
  const latest = pairs.map((p) => p.refresh);
  const minted = pairs.map((p) => p.access);
  const oldPasswordPairs: Pair[] = [];
  let ended = false;
  const refreshers = latest.map(async (_, i) => {
    while (!ended) {
      const res = await post(`${thief}/api/token/refresh/`, { refresh: latest[i] });
      if (res.status !== 200) return;
      latest[i] = res.json.refresh;
      minted.push(res.json.access);
    }
  });
  const logins = Array.from({ length: 2 }, async () => {
    while (!ended) {
      const res = await obtain();
      if (res.status !== 200) return;
      oldPasswordPairs.push(res.json);
    }
  });
  const change = await post(
    `${owner}/api/password/change/`,
    { old_password: password, new_password: `${password}-changed` },
    owned,
  );
  assert.equal(change.status, 200, change.text);
  ended = true;
  await Promise.all([...refreshers, ...logins]);

  for (const refresh of [...latest, ...oldPasswordPairs.map((p) => p.refresh)]) {
    for (const base of [thief, owner]) {
      const again = await post(`${base}/api/token/refresh/`, { refresh });
      assert.equal(again.status, 401, `a refresh token outlived the change: ${again.text}`);
    }
  }
  for (const access of [...minted, ...oldPasswordPairs.map((p) => p.access)]) {
    const use = await fetch(`${owner}/api/profile/`, { headers: { authorization: `Bearer ${access}` } });
    assert.equal(use.status, 401, 'an access token minted in the race outlived the change');
  }
}

/**
 * One refresh token presented on `a` and `b` at once, ten times over: exactly
 * one rotation answers 200 (JWT-18), the other is a replay ("Token is
 * blacklisted"), and afterwards the winner's successor refreshes on neither.
 */
export async function sameRefreshTokenOnTwo(a: string, b: string, username: string, password: string) {
  for (let round = 0; round < 10; round++) {
    const { refresh } = (await post(`${a}/api/token/`, { username, password })).json as Pair;
    const answers = await Promise.all([a, b].map((base) => post(`${base}/api/token/refresh/`, { refresh })));
    const won = answers.filter((r) => r.status === 200);
    assert.equal(won.length, 1);
    assert.equal(
      answers.find((r) => r.status !== 200)?.text,
      '{"detail":"Token is blacklisted","code":"token_not_valid"}',
    );
    for (const base of [a, b]) {
      const next = await post(`${base}/api/token/refresh/`, { refresh: won[0].json.refresh });
      assert.equal(next.status, 401, `the winner's successor survived reuse detection: ${next.text}`);
    }
  }
}
