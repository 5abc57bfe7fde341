/**
 * Test-only helpers for the JWT tests (imported by `*.test.ts`, never by the
 * library): a movable clock, pinned randomness, and a forger that builds tokens
 * byte by byte the way PyJWT (or an attacker) would.
 *
 * ```ts
 * const clock = fakeClock(1_795_349_992_000);
 * const token = forge({ alg: 'HS256', typ: 'JWT' }, { token_type: 'access', … }, SECRET);
 * ```
 */
import { createHmac, type KeyObject, sign as nodeSign } from 'node:crypto';
import type { Clock } from '../internal/clock.ts';
import type { Random } from '../internal/random.ts';
import { JwtCodec, type JwtCodecOptions } from './codec.ts';
import { JwtKeys } from './keys.ts';

/** Django's `get_random_secret_key()` shape: 50 characters. */
export const SECRET = 'django-insecure-0123456789abcdefghijklmnopqrstuvwxyz!';
/** 2026-11-22T12:19:52Z, the instant of DRF-BEHAVIOR.md §8.2's verified examples. */
export const T0 = 1_795_349_992_000;

export interface FakeClock extends Clock {
  advance(ms: number): void;
  set(ms: number): void;
}

export function fakeClock(start = T0): FakeClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    set: (ms) => {
      now = ms;
    },
  };
}

/** Bytes 0, 1, 2, … so jtis are predictable. */
export function countingRandom(): Random {
  let next = 0;
  return {
    bytes: (length) => Buffer.from(Array.from({ length }, () => next++ & 0xff)),
    string: (length, alphabet) => alphabet[0].repeat(length),
  };
}

export function hs256Codec(options: Partial<JwtCodecOptions> = {}) {
  const clock = fakeClock();
  const codec = new JwtCodec({
    keys: new JwtKeys({ algorithm: 'HS256', secret: SECRET }),
    clock,
    ...options,
  });
  return { codec, clock };
}

export const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8'));
}

/** A JWS over raw header and payload segments, HMAC'd with `secret` (any bytes: a PEM, a DER, …). */
export function hmacSign(header: string, payload: string, secret: string | Buffer, hash = 'sha256'): string {
  const sig = createHmac(hash, secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${sig}`;
}

const HASH: Record<string, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };

/** An HMAC token with exactly this header and payload (PyJWT's compact JSON, insertion order). */
export function forge(
  header: Record<string, unknown>,
  payload: unknown,
  secret: string | Buffer = SECRET,
): string {
  const hash = HASH[header.alg as string] ?? 'sha256';
  return hmacSign(b64(header), b64(payload), secret, hash);
}

/** A token signed with an asymmetric private key (ES256 as IEEE P1363, as JWS wants). */
export function forgeAsymmetric(header: Record<string, unknown>, payload: unknown, key: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const digest = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  const sig = nodeSign(digest, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

/** simplejwt's access claims at `iat` (seconds). */
export function accessClaims(iat = T0 / 1000, extra: Record<string, unknown> = {}) {
  return {
    token_type: 'access',
    exp: iat + 300,
    iat,
    jti: 'e697bf87b192447a9b14d5ecf1ac1f88',
    user_id: '1',
    ...extra,
  };
}
