import { crc32 } from 'node:zlib';
import { ALNUM, type Random } from '../internal/random.ts';

/** The fixed, greppable prefix of every Gatehouse API key. */
export const TOKEN_PREFIX = 'gth_';
const RANDOM_LENGTH = 32; // 32 × log2(62) ≈ 190 bits
const CHECKSUM_LENGTH = 6; // CRC32 in base62
const SHAPE = new RegExp(`^${TOKEN_PREFIX}[A-Za-z0-9]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Mints an API key: `gth_` + 32 random base62 characters + a 6-character
 * CRC32 checksum, so secret scanners can recognise a key offline and a typo
 * is refused before any store lookup.
 *
 * ```ts
 * mintToken(cryptoRandom) // 'gth_7Qm…(38 characters)'
 * ```
 */
export function mintToken(random: Random): string {
  const body = random.string(RANDOM_LENGTH, ALNUM);
  return `${TOKEN_PREFIX}${body}${checksum(body)}`;
}

/** Whether a value has the shape and checksum of a key we mint. No store is consulted. */
export function isWellFormedToken(value: string): boolean {
  if (!SHAPE.test(value)) return false;
  const body = value.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + RANDOM_LENGTH);
  return value.slice(TOKEN_PREFIX.length + RANDOM_LENGTH) === checksum(body);
}

/** DRF's `Token.generate_key()`: `binascii.hexlify(os.urandom(20))`, 40 lowercase hex digits (160 bits). */
const DRF_KEY = /^[0-9a-f]{40}$/;

/**
 * Whether a value has the shape of a key DRF's `authtoken` made. Such keys
 * exist in Gatehouse only when `gatehouse importdjango` brought them over
 * (stored, like ours, as their SHA-256): a mobile app keeps its
 * `Authorization: Token <40 hex>` across the move. DRF compares keys exactly,
 * so upper-case hex is no key. No store is consulted.
 *
 * ```ts
 * isDrfKey('9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b'); // true
 * isDrfKey('9944B09199C62BCF9418AD846DD0E4BBDFC6EE4B'); // false
 * ```
 */
export function isDrfKey(value: string): boolean {
  return typeof value === 'string' && value.length === 40 && DRF_KEY.test(value);
}

function checksum(body: string): string {
  let n = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}
