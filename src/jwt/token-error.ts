/** The user-facing strings of simplejwt 5.5 (`tokens.py`, `backends.py`), the only ones that reach the wire. */
export type TokenErrorMessage =
  | 'Token is invalid'
  | 'Token is expired'
  | "Token has no 'exp' claim"
  | 'Token has no id'
  | 'Token has no type'
  | 'Token has wrong type'
  | 'Token is blacklisted';

/**
 * Why a token failed, for logs and tests only (the HTTP body stays generic, as
 * simplejwt's: every signature, algorithm and format problem is `Token is invalid`).
 */
export type TokenErrorReason =
  | 'too_long'
  | 'malformed'
  | 'header'
  | 'algorithm'
  | 'key'
  | 'signature'
  | 'claims'
  | 'audience'
  | 'issuer'
  | 'expired'
  | 'no_exp'
  | 'no_id'
  | 'no_type'
  | 'wrong_type'
  | 'no_iat'
  | 'blacklisted'
  /** A rotated refresh token presented again: its family was revoked. */
  | 'reused'
  /** The token's user is gone or inactive (the verify endpoint). */
  | 'user'
  /** An access token issued before its user's "not before" (logout everywhere, password change). */
  | 'not_before';

const DEFAULT_REASON: Record<TokenErrorMessage, TokenErrorReason> = {
  'Token is invalid': 'malformed',
  'Token is expired': 'expired',
  "Token has no 'exp' claim": 'no_exp',
  'Token has no id': 'no_id',
  'Token has no type': 'no_type',
  'Token has wrong type': 'wrong_type',
  'Token is blacklisted': 'blacklisted',
};

/**
 * simplejwt's `TokenError`: a token that must not be used. The endpoints and
 * `JWTAuthentication` turn it into simplejwt's 401 `InvalidToken`
 * (`{"detail":"<message>","code":"token_not_valid"}`, or one `messages` entry).
 *
 * ```ts
 * try {
 *   await codec.verify(raw, 'refresh');
 * } catch (error) {
 *   if (error instanceof TokenError) log.info('jwt rejected', { reason: error.reason });
 *   throw error;
 * }
 * throw new TokenError('Token is blacklisted'); // from the refresh endpoint's store check
 * ```
 */
export class TokenError extends Error {
  declare readonly message: TokenErrorMessage;
  /** simplejwt's `InvalidToken.default_code`. */
  readonly code = 'token_not_valid';
  readonly reason: TokenErrorReason;

  constructor(message: TokenErrorMessage, options: { reason?: TokenErrorReason; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TokenError';
    this.reason = options.reason ?? DEFAULT_REASON[message];
  }
}

/** `Token is invalid` with a log reason: the one generic rejection. */
export function invalidToken(reason: TokenErrorReason, cause?: unknown): TokenError {
  return new TokenError('Token is invalid', { reason, cause });
}
