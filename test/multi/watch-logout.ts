/**
 * The observation behind the multi-instance revocation tests: while a logout
 * is in flight, every instance is asked about the session over and over,
 * and whatever is asked after the logout answered is kept for the test to
 * check (refused, on every instance).
 *
 * ```ts
 * const seen = await watchAndLogout(browser, a.url, [a.url, b.url]);
 * for (const r of seen.afterAnswer) assert.equal(r.status, 403);
 * ```
 */
import type { Browser } from '../helpers/browser.ts';

export interface Observation {
  logout: { status: number; text: string };
  /** Every request that started after the logout had answered, on each instance. */
  afterAnswer: Array<{ where: string; status: number; text: string }>;
  /** How many were asked while the logout was in flight (what they got is not checked). */
  during: number;
}

/** Logs `browser` out on `logoutBase` while asking each of `bases` for `/api/dashboard/` with its session. */
export async function watchAndLogout(
  browser: Browser,
  logoutBase: string,
  bases: string[],
): Promise<Observation> {
  const cookie = browser.sessionCookie;
  const observation: Observation = { logout: { status: 0, text: '' }, afterAnswer: [], during: 0 };
  let answered = false;
  let stop = false;
  const ask = async (base: string) => {
    const startedAfterAnswer = answered;
    const res = await fetch(`${base}/api/dashboard/`, { headers: { cookie } });
    const text = await res.text();
    if (startedAfterAnswer) observation.afterAnswer.push({ where: base, status: res.status, text });
    else observation.during++;
  };
  const watchers = bases.map(async (base) => {
    while (!stop) {
      await ask(base);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
  const res = await browser.send(logoutBase, 'POST', '/api/logout/');
  answered = true;
  observation.logout = { status: res.status, text: res.text };
  await Promise.all(bases.map(ask)); // the very next request, on every instance
  stop = true;
  await Promise.all(watchers);
  return observation;
}

/** Resolves once every server's /healthz answers 200 (after a fault is lifted); throws after `limitMs`. */
export async function untilHealthy(bases: string[], limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (const base of bases) {
    for (;;) {
      const res = await fetch(`${base}/healthz`).catch(() => null);
      if (res?.status === 200) break;
      if (Date.now() > deadline) throw new Error(`${base}/healthz: not 200 within ${limitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
