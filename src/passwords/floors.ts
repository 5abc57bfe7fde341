import { ConfigurationError } from '../errors.ts';

/**
 * The published minimum parameters (PWD-07): ASVS 5.0 V11.4.2 / Appendix C and
 * the OWASP Password Storage Cheat Sheet. Every hasher checks the parameters it
 * will write with in its constructor, so a weak configuration fails at start-up
 * with a `ConfigurationError` instead of silently storing weak hashes.
 *
 * ```ts
 * argon2MemoryFloor(2); // 19456 (KiB)
 * assertArgon2Floors({ memoryCost: 8192, timeCost: 2, parallelism: 1 }); // throws ConfigurationError
 * ```
 */

/** Argon2 memory floor in KiB for a time cost: t=1 → 47104, t=2 → 19456, t≥3 → 12288 (ASVS). */
export function argon2MemoryFloor(timeCost: number): number {
  if (timeCost <= 1) return 47104;
  return timeCost === 2 ? 19456 : 12288;
}

/** Salt and output sizes every new hash gets (NIST: salt ≥32 bits; we use 128). */
export const SALT_BYTES = 16;
export const KEY_BYTES = 32;

/** PBKDF2 iteration floors: ASVS for SHA-256, OWASP for SHA-1. */
export const PBKDF2_FLOORS = Object.freeze({ sha256: 600_000, sha1: 1_300_000 });

function assertInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

export function assertArgon2Floors(p: { memoryCost: number; timeCost: number; parallelism: number }): void {
  assertInteger('argon2 timeCost', p.timeCost, 1, 2 ** 32 - 1);
  assertInteger('argon2 parallelism', p.parallelism, 1, 255);
  const floor = argon2MemoryFloor(p.timeCost);
  assertInteger('argon2 memoryCost', p.memoryCost, 1, 2 ** 32 - 1);
  if (p.memoryCost < floor) {
    throw new ConfigurationError(
      `argon2 memoryCost ${p.memoryCost} KiB is below the floor of ${floor} KiB for timeCost ${p.timeCost}`,
    );
  }
}

/** scrypt: r ≥ 8 and N ≥ 2^17 (p=1), N ≥ 2^16 (p=2) or N ≥ 2^15 (p≥3) (ASVS). */
export function assertScryptFloors(p: { cost: number; blockSize: number; parallelization: number }): void {
  const log2 = Math.log2(p.cost);
  if (!Number.isInteger(log2) || log2 < 1 || log2 > 20) {
    throw new ConfigurationError(`scrypt cost (N) must be a power of two up to 2^20, got ${p.cost}`);
  }
  assertInteger('scrypt blockSize (r)', p.blockSize, 8, 32);
  assertInteger('scrypt parallelization (p)', p.parallelization, 1, 16);
  const ok = log2 >= 17 || (log2 >= 16 && p.parallelization >= 2) || (log2 >= 15 && p.parallelization >= 3);
  if (!ok) {
    throw new ConfigurationError(
      `scrypt N=${p.cost}, p=${p.parallelization} is below the floor (N≥2^17 with p=1, 2^16 with p=2, 2^15 with p≥3)`,
    );
  }
}

export function assertPbkdf2Floor(digest: 'sha256' | 'sha1', iterations: number): void {
  const floor = PBKDF2_FLOORS[digest];
  assertInteger(`pbkdf2_${digest} iterations`, iterations, 1, 2 ** 31 - 1);
  if (iterations < floor) {
    throw new ConfigurationError(`pbkdf2_${digest} iterations ${iterations} is below the floor of ${floor}`);
  }
}
