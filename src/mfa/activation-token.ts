import type { SecretBox } from './secret-box.ts';

/** How long a TOTP activation may take: dj-rest-auth's MFA_EPHEMERAL_TOKEN_TIMEOUT, 300 s. */
export const ACTIVATION_TTL_MS = 300_000;
const PURPOSE = 'totp-activation';
// A sealed 32-character secret and its time come to about 130 characters.
const MAX_TOKEN_LENGTH = 512;

/**
 * The `activation_token` of `GET /auth/mfa/totp/activate/`: the new secret
 * and the time it was drawn, sealed for this user. dj-rest-auth signs the
 * secret in clear; sealed, the token is as stateless but unreadable, and a
 * token minted for another user simply does not open.
 *
 * ```ts
 * const token = sealActivationToken(box, { secret, userId: user.id, now: clock.now() });
 * ```
 */
export function sealActivationToken(
  box: SecretBox,
  { secret, userId, now }: { secret: string; userId: number; now: number },
): string {
  return box.seal(JSON.stringify({ secret, iat: now }), { purpose: PURPOSE, userId });
}

/**
 * The secret inside an activation token, when the token is this user's and
 * younger than 300 s; null otherwise (malformed, tampered, another user's,
 * expired, or from the future).
 *
 * ```ts
 * const secret = openActivationToken(box, body.activation_token, { userId: user.id, now: clock.now() });
 * if (secret === null) throw new ValidationError({ activation_token: ['Invalid or expired activation token.'] });
 * ```
 */
export function openActivationToken(
  box: SecretBox,
  token: string,
  { userId, now }: { userId: number; now: number },
): string | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
  const opened = box.open(token, { purpose: PURPOSE, userId });
  if (opened === null) return null;
  try {
    const { secret, iat } = JSON.parse(opened.plaintext) as { secret?: unknown; iat?: unknown };
    if (typeof secret !== 'string' || typeof iat !== 'number') return null;
    if (now < iat || now >= iat + ACTIVATION_TTL_MS) return null;
    return secret;
  } catch {
    return null;
  }
}
