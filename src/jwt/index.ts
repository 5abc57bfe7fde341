/**
 * The JWT layer: simplejwt 5.5's tokens on jose. Endpoints and `JWTAuthentication`
 * are built on these; nothing here touches a store.
 *
 * ```ts
 * import { CachedVerifier, JwtCodec, JwtKeys, TokenError } from './jwt/index.ts';
 * const codec = new JwtCodec({ keys: new JwtKeys({ algorithm: 'HS256', secret }) });
 * const verifier = new CachedVerifier(codec);
 * ```
 */
export { VerifiedTokenCache } from './access-cache.ts';
export { CachedVerifier } from './cached-verifier.ts';
export type { IssuedClaims, JwtClaims, TokenType } from './claims.ts';
export { JwtCodec, type JwtCodecOptions, MAX_TOKEN_LENGTH, type SignedToken } from './codec.ts';
export {
  type AsymmetricAlgorithm,
  type AsymmetricKeysOptions,
  type HmacAlgorithm,
  type HmacKeysOptions,
  type JwtAlgorithm,
  JwtKeys,
  type KeyInput,
  type PublicJwk,
} from './keys.ts';
export { TokenError, type TokenErrorMessage, type TokenErrorReason } from './token-error.ts';
