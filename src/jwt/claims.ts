import type { Random } from '../internal/random.ts';
import { invalidToken, TokenError } from './token-error.ts';

export type TokenType = 'access' | 'refresh';

/**
 * A verified claim set. Every claim of the token is kept (a token minted by
 * simplejwt may carry more); the named ones are checked. `user_id` is always a
 * string here: simplejwt ≤5.5.0 wrote integer ids (`1`), which become `"1"`; a
 * claim that is neither a string nor an integer is dropped, so the caller answers
 * `Token contained no recognizable user identification`.
 */
export interface JwtClaims {
  readonly token_type: string;
  readonly exp: number;
  readonly iat: number;
  readonly jti: string;
  readonly user_id?: string;
  readonly aud?: string | readonly string[];
  readonly iss?: string;
  readonly [claim: string]: unknown;
}

/** The claims Gatehouse signs, in simplejwt's order: token_type, exp, iat, jti, user_id (then aud, iss). */
export interface IssuedClaims extends JwtClaims {
  readonly token_type: TokenType;
  readonly user_id: string;
}

export interface ClaimPolicy {
  nowSeconds: number;
  leewaySeconds: number;
  expectedType?: TokenType;
  audience?: readonly string[];
  issuer?: string;
}

/**
 * uuid4().hex from the injected randomness: 32 lowercase hex, version 4, RFC 4122 variant.
 *
 * ```ts
 * newJti(cryptoRandom); // 'e697bf87b192447a9b14d5ecf1ac1f88'
 * ```
 */
export function newJti(random: Random): string {
  const b = random.bytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return b.toString('hex');
}

/** NumericDates must be finite and exactly representable (no `1e309`, no 2^53 + 1). */
function numericOk(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Math.abs(value) <= Number.MAX_SAFE_INTEGER);
}

function normalizeUserId(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/**
 * The checks after jose has verified the signature, `nbf` and a present `exp`,
 * in the order of PyJWT then simplejwt 5.5's `Token.verify()`, so the message
 * a client sees is the one simplejwt would send:
 * numeric dates, `iat` not in the future, `iss`, `aud` (all `Token is invalid`),
 * then `Token has no 'exp' claim`, `Token has no id`, `Token has no type`,
 * `Token has wrong type`; last, a missing `iat` (every 5.x token has one).
 *
 * ```ts
 * const claims = checkClaims(payload, { nowSeconds, leewaySeconds: 0, expectedType: 'access' });
 * ```
 */
export function checkClaims(payload: Record<string, unknown>, policy: ClaimPolicy): JwtClaims {
  const { exp, iat, nbf, jti, token_type } = payload;
  if (!numericOk(exp) || !numericOk(iat) || !numericOk(nbf)) throw invalidToken('claims');
  if (typeof iat === 'number' && iat > policy.nowSeconds + policy.leewaySeconds) throw invalidToken('claims');
  if (policy.issuer !== undefined && payload.iss !== policy.issuer) throw invalidToken('issuer');
  if (policy.audience !== undefined && !audienceOk(payload.aud, policy.audience))
    throw invalidToken('audience');
  if (exp === undefined) throw new TokenError("Token has no 'exp' claim");
  if (typeof jti !== 'string' || jti === '') throw new TokenError('Token has no id');
  if (!Object.hasOwn(payload, 'token_type')) throw new TokenError('Token has no type');
  if (typeof token_type !== 'string') throw new TokenError('Token has wrong type');
  if (policy.expectedType !== undefined && token_type !== policy.expectedType) {
    throw new TokenError('Token has wrong type');
  }
  if (iat === undefined) throw invalidToken('no_iat');
  const claims: Record<string, unknown> = { ...payload };
  const userId = normalizeUserId(payload.user_id);
  if (userId === undefined) delete claims.user_id;
  else claims.user_id = userId;
  return deepFreeze(claims) as JwtClaims;
}

/** Verified claims may be shared (the access cache hands one object to many requests): nothing in them may change. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** PyJWT's rule: `aud` is a string or a list of strings, and one of them is ours. */
function audienceOk(aud: unknown, ours: readonly string[]): boolean {
  const list = typeof aud === 'string' ? [aud] : aud;
  if (!Array.isArray(list) || list.length === 0 || list.some((a) => typeof a !== 'string')) return false;
  return list.some((a) => ours.includes(a));
}
