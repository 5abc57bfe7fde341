import type { LoginThrottle } from '../throttling/login-throttle.ts';

/**
 * Judges a secret the user typed (a second-factor code, the password that
 * re-authenticates a change) inside the login throttle's buckets, as every
 * login does: past either bucket it throws Throttled (429) before looking at
 * the secret, and a wrong one counts as a failed login for the account and
 * the address. The one place a code check meets the throttle, so moving to
 * the throttle's count-before-check verb (`begin` … `succeeded`) is a change
 * here alone.
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
  await throttle.check(account, address);
  const ok = await check();
  if (!ok) await throttle.recordFailure(account, address);
  return ok;
}
