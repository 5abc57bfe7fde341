import type { LoginThrottle } from '../throttling/login-throttle.ts';

/**
 * Judges a secret the user typed (a second-factor code, the password that
 * re-authenticates a change) inside the login throttle's buckets, as every
 * login does: the attempt is counted in the account's and the address's
 * bucket before the secret is looked at (429 past either, however many
 * arrive at once, AUTH-09b), a wrong one stays counted as a failed login, and
 * a right one is taken back. The one place a code check meets the throttle.
 *
 * ```ts
 * const ok = await judgeSecret(gh.loginThrottle, { account: user.username, address: req.clientAddress },
 *   () => factors.verifyTotp(user, code));
 * ```
 */
export async function judgeSecret(
  throttle: LoginThrottle,
  { account, address }: { account: string; address: string },
  check: () => Promise<boolean>,
): Promise<boolean> {
  const attempt = await throttle.begin(account, address);
  const ok = await check();
  if (ok) await attempt.succeeded();
  return ok;
}
