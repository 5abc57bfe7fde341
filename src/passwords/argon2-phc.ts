import { hash, parseOptions, verify } from '@node-rs/argon2';
import { KEY_BYTES } from './floors.ts';
import { passwordBytes } from './limits.ts';

// @node-rs/argon2 declares these as `const enum`s, which erasable TypeScript cannot import.
const ARGON2ID = 2;
const VERSION_0X13 = 1;

export interface Argon2Params {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * The argon2id work shared by Gatehouse's PHC hasher and Django's `argon2$…`
 * format: hash to a PHC string, verify one, and tell whether one is weaker
 * than the configured parameters.
 *
 * ```ts
 * const phc = await argon2idHash('pw', { memoryCost: 19456, timeCost: 2, parallelism: 1 }, salt);
 * ```
 */
export function argon2idHash(password: string, params: Argon2Params, salt: Buffer): Promise<string> {
  return hash(passwordBytes(password), {
    algorithm: ARGON2ID,
    version: VERSION_0X13,
    memoryCost: params.memoryCost,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
    outputLen: KEY_BYTES,
    salt,
  });
}

/** Verifies a PHC string (argon2id, argon2i or argon2d); false for anything malformed. */
export async function argon2Verify(password: string, phc: string): Promise<boolean> {
  try {
    return await verify(phc, passwordBytes(password));
  } catch {
    return false;
  }
}

/** Whether a PHC string is weaker than `params` (other variant, version, cost, salt or output length). */
export function argon2Weaker(phc: string, params: Argon2Params, minSaltLength: number): boolean {
  try {
    const p = parseOptions(phc);
    return (
      p.algorithm !== ARGON2ID ||
      p.version !== VERSION_0X13 ||
      p.memoryCost < params.memoryCost ||
      p.timeCost < params.timeCost ||
      p.parallelism < params.parallelism ||
      p.saltLen < minSaltLength ||
      p.outputLen < KEY_BYTES
    );
  } catch {
    return true;
  }
}
