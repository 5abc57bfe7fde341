/** A refresh token's own state: outstanding until rotated (used) or logged out (blacklisted). */
export type RefreshTokenState = 'outstanding' | 'used' | 'blacklisted';

/**
 * The rule every RefreshTokenStore decides by, in one place: a token that was
 * used or blacklisted is spent (presenting it again is a replay); an
 * outstanding one is usable only while its family is live — not revoked, and
 * born no earlier than its user's `tokensValidAfter` (a family born before a
 * password change or logout-everywhere is dead, even one that no revocation
 * reached because it was still being minted). The SQL stores write the same
 * rule into their conditional statements; this function explains their misses.
 *
 * ```ts
 * refreshTokenStatus({ state: 'outstanding', revoked: false, bornAt: 5, tokensValidAfter: 9 }); // 'revoked'
 * ```
 */
export function refreshTokenStatus(token: {
  state: RefreshTokenState;
  revoked: boolean;
  bornAt: number;
  tokensValidAfter: number;
}): 'outstanding' | 'spent' | 'revoked' {
  if (token.state !== 'outstanding') return 'spent';
  return familyIsLive(token) ? 'outstanding' : 'revoked';
}

/** Whether a family may still be used: not revoked, and not born before its user's cut-off. */
export function familyIsLive(family: {
  revoked: boolean;
  bornAt: number;
  tokensValidAfter: number;
}): boolean {
  return !family.revoked && family.bornAt >= family.tokensValidAfter;
}
