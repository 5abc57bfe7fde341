import { VerifiedTokenCache } from './access-cache.ts';
import type { JwtClaims } from './claims.ts';
import { type JwtCodec, MAX_TOKEN_LENGTH } from './codec.ts';

/**
 * Access-token verification for the request hot path: a token seen before is
 * answered from the cache; a new one is verified by the codec (jose) once, and
 * cached if it is a valid access token. Failures are never cached, so every
 * bad token pays the full verification and gets the codec's exact `TokenError`.
 *
 * ```ts
 * const verifier = new CachedVerifier(codec); // 10 000 entries, the codec's clock
 * const claims = await verifier.verifyAccess(rawBearerToken); // throws TokenError
 * ```
 */
export class CachedVerifier {
  readonly codec: JwtCodec;
  readonly cache: VerifiedTokenCache;

  constructor(codec: JwtCodec, cache: VerifiedTokenCache = new VerifiedTokenCache({ clock: codec.clock })) {
    this.codec = codec;
    this.cache = cache;
  }

  /** `codec.verify(token, 'access')`, remembered until the token's `exp`. */
  verifyAccess(token: string): Promise<JwtClaims> {
    // The length check first: a megabyte "token" must not even be hashed as a Map key.
    if (typeof token === 'string' && token.length <= MAX_TOKEN_LENGTH) {
      const hit = this.cache.get(token);
      if (hit !== undefined) return Promise.resolve(hit);
    }
    return this.#verify(token);
  }

  async #verify(token: string): Promise<JwtClaims> {
    const claims = await this.codec.verify(token, 'access');
    this.cache.set(token, claims);
    return claims;
  }
}
