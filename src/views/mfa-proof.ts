import { ValidationError } from '../errors.ts';
import type { Gatehouse } from '../gatehouse.ts';
import { charFields } from '../http/fields.ts';
import { judgeSecret } from '../mfa/code-attempt.ts';
import type { ChangeContext } from '../mfa/second-factors.ts';
import type { SessionRecord, User } from '../stores/types.ts';
import type { ViewContext } from '../view.ts';

/** The longest `code` accepted: dj-rest-auth's `max_length=9` (a recovery code with its dash). */
export const CODE_MAX_LENGTH = 9;

function given(data: Record<string, unknown>, name: string): boolean {
  const value = data[name];
  return value !== undefined && value !== null && value !== '';
}

/**
 * A fresh proof that the person at the keyboard is the account's owner,
 * required by every change of factors (ASVS V7.5.1): `code` — a current TOTP
 * code, used up — when `codeAllowed` and the user has TOTP, else
 * `current_password`. Either is judged inside the login throttle's buckets,
 * so the re-authentication cannot be used to guess. Throws the contract's
 * 400s: `{"code":["Invalid code."]}`, `{"current_password":["Invalid password."]}`,
 * or `{"<missing>":["This field is required."]}` when neither was sent.
 *
 * ```ts
 * await requireProof(gh, ctx, { codeAllowed: true, missing: 'code' });
 * ```
 */
export async function requireProof(
  gh: Gatehouse,
  ctx: ViewContext<User>,
  { codeAllowed, missing }: { codeAllowed: boolean; missing: 'current_password' | 'code' },
): Promise<void> {
  const data = (ctx.data() ?? {}) as Record<string, unknown>;
  const user = ctx.user;
  const who = { account: user.username, address: ctx.req.clientAddress };
  if (codeAllowed && given(data, 'code') && (await gh.mfa.isEnabled(user.id))) {
    const { code } = charFields(data, { code: { maxLength: CODE_MAX_LENGTH } });
    if (!(await judgeSecret(gh.loginThrottle, who, () => gh.mfa.verifyTotp(user, code))))
      throw new ValidationError({ code: ['Invalid code.'] });
    return;
  }
  if (!given(data, 'current_password')) throw new ValidationError({ [missing]: ['This field is required.'] });
  const { current_password } = charFields(data, { current_password: { trim: false } });
  const valid = await judgeSecret(
    gh.loginThrottle,
    who,
    async () => (await gh.hashers.verify(current_password, user.password)).valid,
  );
  if (!valid) throw new ValidationError({ current_password: ['Invalid password.'] });
}

/**
 * Who is making a change, for the services: the request as its origin, and
 * its session (when it came with one), which stays while every other ends.
 *
 * ```ts
 * await gh.mfa.deactivate(ctx.user, changeContext(ctx));
 * ```
 */
export function changeContext(ctx: ViewContext<User>): ChangeContext {
  const keep = ctx.authenticator?.name === 'session' ? (ctx.auth as SessionRecord).keyHash : undefined;
  return { origin: ctx.req, keepSessionKeyHash: keep };
}
