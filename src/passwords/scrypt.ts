import { scrypt } from 'node:crypto';
import { cryptoRandom, type Random } from '../internal/random.ts';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';
import { assertScryptFloors, KEY_BYTES, SALT_BYTES } from './floors.ts';
import type { PasswordHasher } from './hasher.ts';
import { isHashablePassword, passwordBytes } from './limits.ts';

const PHC =
  /^\$scrypt\$ln=([0-9]{1,2}),r=([0-9]{1,2}),p=([0-9]{1,2})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{22,})$/;

/** No stored hash may make one verify allocate more than this. */
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;

/**
 * `crypto.scrypt` on the libuv threadpool. Node's default `maxmem` (32 MiB) is
 * below what N=2^17, r=8 needs (128·N·r ≈ 128 MiB), so it is computed from the
 * parameters (OpenSSL's own formula) with headroom, capped at 1 GiB.
 */
export function scryptKey(
  password: string,
  salt: Buffer,
  keyLength: number,
  n: number,
  r: number,
  p: number,
) {
  const maxmem = 128 * r * (n + p + 2) + 16 * 1024 * 1024;
  if (maxmem > MAX_SCRYPT_MEMORY) return Promise.reject(new RangeError(`scrypt would need ${maxmem} bytes`));
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(passwordBytes(password), salt, keyLength, { N: n, r, p, maxmem }, (e, key) =>
      e ? reject(e) : resolve(key),
    ),
  );
}

export interface ScryptOptions {
  /** N, a power of two; default 131072 (2^17). */
  cost?: number;
  /** r; default 8. */
  blockSize?: number;
  /** p; default 1. */
  parallelization?: number;
  random?: Random;
}

/**
 * scrypt (N=2^17, r=8, p=1, 16-byte salt, 32-byte key) in the PHC string
 * format passlib uses: `$scrypt$ln=17,r=8,p=1$<salt>$<key>` (unpadded base64).
 * An alternative to argon2id where the native addon is unwanted.
 *
 * ```ts
 * const hasher = new ScryptHasher();
 * const encoded = await hasher.hash('correct horse'); // '$scrypt$ln=17,r=8,p=1$…$…'
 * await hasher.verify('correct horse', encoded); // true
 * ```
 */
export class ScryptHasher implements PasswordHasher {
  readonly algorithm = 'scrypt';
  readonly cost: number;
  readonly blockSize: number;
  readonly parallelization: number;
  readonly #random: Random;

  constructor(options: ScryptOptions = {}) {
    this.cost = options.cost ?? 2 ** 17;
    this.blockSize = options.blockSize ?? 8;
    this.parallelization = options.parallelization ?? 1;
    assertScryptFloors(this);
    this.#random = options.random ?? cryptoRandom;
  }

  identifies(encoded: string): boolean {
    const m = PHC.exec(encoded);
    return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 20 && Number(m[2]) >= 1 && Number(m[3]) >= 1;
  }

  async hash(password: string): Promise<string> {
    const salt = this.#random.bytes(SALT_BYTES);
    const { cost: n, blockSize: r, parallelization: p } = this;
    const key = await scryptKey(password, salt, KEY_BYTES, n, r, p);
    return `$scrypt$ln=${Math.log2(n)},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    if (!isHashablePassword(password) || !this.identifies(encoded)) return false;
    const [, ln, r, p, salt, expected] = PHC.exec(encoded)!;
    const stored = Buffer.from(expected, 'base64');
    try {
      const n = 2 ** Number(ln);
      const key = await scryptKey(
        password,
        Buffer.from(salt, 'base64'),
        stored.length,
        n,
        Number(r),
        Number(p),
      );
      return timingSafeEqual(key, stored);
    } catch {
      return false; // parameters OpenSSL refuses (e.g. over its memory limit)
    }
  }

  mustUpdate(encoded: string): boolean {
    const m = PHC.exec(encoded);
    if (m === null) return true;
    const [, ln, r, p, salt, key] = m;
    return (
      2 ** Number(ln) < this.cost ||
      Number(r) < this.blockSize ||
      Number(p) < this.parallelization ||
      Buffer.from(salt, 'base64').length < SALT_BYTES ||
      Buffer.from(key, 'base64').length < KEY_BYTES
    );
  }
}

function b64(bytes: Buffer): string {
  // `=` is only ever padding in base64; `/=+$/` would be O(n²) on a run of them (issue 8.1).
  return bytes.toString('base64').replaceAll('=', '');
}
