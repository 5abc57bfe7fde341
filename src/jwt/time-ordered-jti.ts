import type { Random } from '../internal/random.ts';

/**
 * A `jti` in simplejwt's shape (32 lowercase hex characters) that is a UUIDv7:
 * its first 48 bits are the issue time in milliseconds. `iat` has one-second
 * precision, too coarse to tell a token minted just before a logout-everywhere
 * from one minted just after; the jti's millisecond is not.
 *
 * ```ts
 * const jti = timeOrderedJti(clock.now(), cryptoRandom); // '0193…7…'
 * jtiMillis(jti) // the issue time, or null for a jti that is not a UUIDv7
 * ```
 */
export function timeOrderedJti(nowMs: number, random: Random): string {
  const bytes = random.bytes(16);
  const time = Math.floor(nowMs);
  for (let i = 0; i < 6; i++) bytes[i] = Math.floor(time / 2 ** (8 * (5 - i))) & 0xff;
  bytes[6] = (bytes[6] & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  return bytes.toString('hex');
}

export function jtiMillis(jti: string): number | null {
  if (!/^[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/.test(jti)) return null;
  return Number.parseInt(jti.slice(0, 12), 16);
}
