import { errors, jwtVerify, SignJWT } from 'jose';
import { ConfigurationError } from '../errors.ts';
import { type Clock, systemClock } from '../internal/clock.ts';
import { cryptoRandom, type Random } from '../internal/random.ts';
import { checkClaims, type IssuedClaims, type JwtClaims, newJti, type TokenType } from './claims.ts';
import type { JwtKeys } from './keys.ts';
import { invalidToken, TokenError } from './token-error.ts';

/** Longer tokens are refused before any parsing (JWT-13); a Gatehouse token is about 250 characters. */
export const MAX_TOKEN_LENGTH = 8192;
/** Three non-empty base64url segments: no padding, no whitespace, no JSON serialization, no `h.p.` (JWT-12). */
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface JwtCodecOptions {
  keys: JwtKeys;
  /** simplejwt's `ACCESS_TOKEN_LIFETIME`: 300 (5 minutes). */
  accessLifetimeSeconds?: number;
  /** simplejwt's `REFRESH_TOKEN_LIFETIME`: 86400 (1 day). */
  refreshLifetimeSeconds?: number;
  clock?: Clock;
  random?: Random;
  /** simplejwt's `LEEWAY`: 0; at most 60 seconds. */
  leewaySeconds?: number;
  /** simplejwt's `AUDIENCE`: written as `aud` and required on verify. */
  audience?: string | readonly string[];
  /** simplejwt's `ISSUER`: written as `iss` and required on verify. */
  issuer?: string;
}

export interface SignedToken {
  readonly token: string;
  readonly claims: IssuedClaims;
}

function seconds(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function toTokenError(error: unknown): TokenError {
  if (error instanceof TokenError) return error;
  if (error instanceof errors.JWTExpired) return new TokenError('Token is expired', { cause: error });
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalidToken('signature', error);
  if (error instanceof errors.JOSEAlgNotAllowed) return invalidToken('algorithm', error);
  if (error instanceof errors.JOSENotSupported) return invalidToken('header', error);
  if (error instanceof errors.JWTClaimValidationFailed) return invalidToken('claims', error);
  return invalidToken('malformed', error);
}

/**
 * Signs and verifies simplejwt 5.5 tokens: header `{"alg":"HS256","typ":"JWT"}`
 * (plus `kid` for EdDSA/ES256), claims `token_type, exp, iat, jti, user_id`.
 * `verify` throws `TokenError` with simplejwt's message; nothing is read from an
 * unverified token.
 *
 * ```ts
 * const codec = new JwtCodec({ keys: new JwtKeys({ algorithm: 'HS256', secret }) });
 * const { refresh, access } = await codec.signPair(user.id);
 * const claims = await codec.verify(access.token, 'access'); // claims.user_id === '1'
 * await codec.verify(refresh.token, 'access'); // throws TokenError('Token has wrong type')
 * await codec.verify(anyToken); // the verify endpoint: any token_type (simplejwt's UntypedToken)
 * ```
 */
export class JwtCodec {
  readonly accessLifetimeSeconds: number;
  readonly refreshLifetimeSeconds: number;
  readonly leewaySeconds: number;
  readonly clock: Clock;
  readonly #keys: JwtKeys;
  readonly #random: Random;
  readonly #audienceClaim?: string | readonly string[];
  readonly #audience?: readonly string[];
  readonly #issuer?: string;

  constructor(options: JwtCodecOptions) {
    if (!options?.keys?.algorithms?.length)
      throw new ConfigurationError('JwtCodec needs keys (new JwtKeys({ algorithm, … }))');
    this.#keys = options.keys;
    this.accessLifetimeSeconds = seconds('accessLifetimeSeconds', options.accessLifetimeSeconds ?? 300, 1);
    this.refreshLifetimeSeconds = seconds(
      'refreshLifetimeSeconds',
      options.refreshLifetimeSeconds ?? 86400,
      1,
    );
    this.leewaySeconds = seconds('leewaySeconds', options.leewaySeconds ?? 0, 0, 60);
    this.clock = options.clock ?? systemClock;
    this.#random = options.random ?? cryptoRandom;
    const { audience, issuer } = options;
    if (audience !== undefined) {
      const list = typeof audience === 'string' ? [audience] : [...audience];
      if (list.length === 0 || list.some((a) => typeof a !== 'string' || a === '')) {
        throw new ConfigurationError('audience must be a non-empty string or list of non-empty strings');
      }
      this.#audienceClaim = typeof audience === 'string' ? audience : Object.freeze(list);
      this.#audience = Object.freeze(list);
    }
    if (issuer !== undefined && (typeof issuer !== 'string' || issuer === '')) {
      throw new ConfigurationError('issuer must be a non-empty string');
    }
    this.#issuer = issuer;
  }

  /** Mints one token. `iat` (Unix seconds) lets a pair share the second it was made, as simplejwt's do. */
  async sign(
    type: TokenType,
    userId: string | number,
    options: { iat?: number; jti?: string } = {},
  ): Promise<SignedToken> {
    if (type !== 'access' && type !== 'refresh') throw new ConfigurationError(`unknown token type: ${type}`);
    const user_id = typeof userId === 'number' && Number.isSafeInteger(userId) ? String(userId) : userId;
    if (typeof user_id !== 'string' || user_id === '') throw new ConfigurationError('sign() needs a user id');
    const iat = options.iat ?? Math.floor(this.clock.now() / 1000);
    seconds('iat', iat, 0);
    const lifetime = type === 'access' ? this.accessLifetimeSeconds : this.refreshLifetimeSeconds;
    const claims: Record<string, unknown> = {
      token_type: type,
      exp: iat + lifetime,
      iat,
      jti: options.jti ?? newJti(this.#random),
      user_id,
    };
    if (this.#audienceClaim !== undefined) claims.aud = this.#audienceClaim;
    if (this.#issuer !== undefined) claims.iss = this.#issuer;
    const { key, header } = this.#keys.signer();
    const token = await new SignJWT(claims).setProtectedHeader({ ...header } as { alg: string }).sign(key);
    return Object.freeze({ token, claims: Object.freeze(claims) as IssuedClaims });
  }

  /** A refresh and an access token with the same `iat`, in the obtain endpoint's order. */
  async signPair(userId: string | number): Promise<{ refresh: SignedToken; access: SignedToken }> {
    const refresh = await this.sign('refresh', userId);
    const access = await this.sign('access', userId, { iat: refresh.claims.iat });
    return { refresh, access };
  }

  /** Verifies signature, header and claims; without `expectedType`, any `token_type` passes. */
  async verify(token: string, expectedType?: TokenType): Promise<JwtClaims> {
    if (expectedType !== undefined && expectedType !== 'access' && expectedType !== 'refresh') {
      throw new ConfigurationError(`unknown token type: ${expectedType}`);
    }
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw invalidToken('too_long');
    if (!COMPACT.test(token)) throw invalidToken('malformed');
    const nowMs = this.clock.now();
    const options = {
      algorithms: this.#keys.algorithms as string[],
      currentDate: new Date(nowMs),
      clockTolerance: this.leewaySeconds,
    };
    let payload: Record<string, unknown>;
    for (let attempt = 0; ; attempt++) {
      try {
        ({ payload } = await jwtVerify(
          token,
          (header: Record<string, unknown>) => this.#keys.resolve(header, attempt),
          options,
        ));
        break;
      } catch (error) {
        if (error instanceof errors.JWSSignatureVerificationFailed && attempt + 1 < this.#keys.attempts)
          continue;
        throw toTokenError(error);
      }
    }
    return checkClaims(payload, {
      nowSeconds: Math.floor(nowMs / 1000),
      leewaySeconds: this.leewaySeconds,
      expectedType,
      audience: this.#audience,
      issuer: this.#issuer,
    });
  }
}
