import type { Random } from '../internal/random.ts';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';

/** How many single-use codes a user holds: ten, as dj-rest-auth and django-allauth. */
export const RECOVERY_CODE_COUNT = 10;

/**
 * Crockford's base32 alphabet, lowercase: the ten digits and the letters
 * without i, l, o and u. Lowercase because the codes are shown as
 * dj-rest-auth shows its hex codes (`xxxx-xxxx`); no i, l or o because they
 * are read as 1 and 0 (and a typed one is mapped back, so a misreading still
 * works); no u, Crockford's guard against accidental words. 32 symbols make
 * each character exactly 5 bits: a code of 8 carries 40 bits (dj-rest-auth's
 * 8 hex digits carry 32). A code is only ever tried online, against one
 * account, behind the 5-attempt limit of a pending login and the login
 * throttle: ten live codes in 2^40 leave about 1 chance in 10^11 per guess.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const GROUP = 4;
// Room for spaces and a dash or two around the 8 characters; anything longer is refused unread.
const MAX_INPUT_LENGTH = 32;

/**
 * A new set of recovery codes, `xxxx-xxxx`, each from the injected CSPRNG
 * and all different.
 *
 * ```ts
 * generateRecoveryCodes(cryptoRandom) // ['7k2m-x9qf', … ten codes]
 * ```
 */
export function generateRecoveryCodes(random: Random, count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    const raw = random.string(2 * GROUP, ALPHABET);
    codes.add(`${raw.slice(0, GROUP)}-${raw.slice(GROUP)}`);
  }
  return [...codes];
}

/**
 * A code as the user typed it, in the stored form, or null when it cannot be
 * one: case is ignored, spaces and dashes anywhere are dropped (so a missing
 * dash is fine), i and l read as 1 and o as 0. The length is capped first.
 *
 * ```ts
 * normalizeRecoveryCode(' 7K2M X9QF ') // '7k2m-x9qf'
 * normalizeRecoveryCode('7k2mx9qf')    // '7k2m-x9qf'
 * ```
 */
export function normalizeRecoveryCode(input: string): string | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  let out = '';
  for (let i = 0; i < input.length; i++) {
    let c = input.charCodeAt(i);
    if (c === 0x20 || c === 0x2d) continue; // ' ' and '-'
    // ASCII case folding only: String#toLowerCase would turn the Kelvin sign into 'k'.
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    let ch = String.fromCharCode(c);
    if (ch === 'i' || ch === 'l') ch = '1';
    else if (ch === 'o') ch = '0';
    if (!ALPHABET.includes(ch)) return null;
    out += ch;
  }
  if (out.length !== 2 * GROUP) return null;
  return `${out.slice(0, GROUP)}-${out.slice(GROUP)}`;
}

/**
 * Which stored code the user's input is, or null. Codes whose bit is set in
 * `usedMask` (bit i for code i, the form a store can flip atomically) never
 * match. Every stored code is compared, in constant time, whatever matches.
 *
 * ```ts
 * const index = matchRecoveryCode(codes, body.code, { usedMask: row.usedMask });
 * if (index === null || !(await store.markRecoveryCodeUsed(userId, setId, index))) throw invalidCode();
 * ```
 */
export function matchRecoveryCode(
  codes: readonly string[],
  input: string,
  { usedMask = 0 }: { usedMask?: number } = {},
): number | null {
  const candidate = normalizeRecoveryCode(input);
  if (candidate === null) return null;
  let matched: number | null = null;
  for (let i = 0; i < codes.length; i++) {
    const equal = timingSafeEqual(codes[i], candidate);
    if (equal && !isUsed(usedMask, i) && matched === null) matched = i;
  }
  return matched;
}

/**
 * The codes still usable, in their original order: what
 * `GET /auth/mfa/recovery-codes/` lists.
 *
 * ```ts
 * unusedRecoveryCodes(codes, 0b101) // every code but the first and the third
 * ```
 */
export function unusedRecoveryCodes(codes: readonly string[], usedMask: number): string[] {
  return codes.filter((_, i) => !isUsed(usedMask, i));
}

function isUsed(usedMask: number, index: number): boolean {
  // Math, not `&`: the mask is a plain number and must not wrap at 32 bits.
  return Math.floor(usedMask / 2 ** index) % 2 === 1;
}
