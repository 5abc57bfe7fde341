import { createHash, randomBytes } from 'node:crypto';
import { ConfigurationError } from '../errors.ts';
import { timingSafeEqual } from '../internal/timing-safe-equal.ts';
import type { PasswordHasher } from '../passwords/hasher.ts';
import { isHashablePassword } from '../passwords/limits.ts';
import { PasswordHashers } from '../passwords/password-hashers.ts';

const FORMAT = /^test_sha256\$([A-Za-z0-9_-]{16})\$([0-9a-f]{64})$/;

/**
 * Whether this process is running tests: `NODE_ENV=test` (Jest and Vitest set
 * it), or Node's own test runner (`node --test` sets NODE_TEST_CONTEXT in the
 * processes it runs, and `--test` is in execArgv without isolation).
 *
 * ```ts
 * isTestProcess(); // true under `node --test`
 * ```
 */
export function isTestProcess(
  env: Record<string, string | undefined> = process.env,
  execArgv: readonly string[] = process.execArgv,
): boolean {
  return env.NODE_ENV === 'test' || env.NODE_TEST_CONTEXT !== undefined || execArgv.includes('--test');
}

/**
 * A password hasher for test suites only: one salted SHA-256, microseconds
 * where argon2id takes milliseconds (Django's test settings use MD5 for the
 * same reason). Its hashes (`test_sha256$<salt>$<hex>`) are recognised by no
 * production hasher, so a password set in a test can never log in anywhere
 * else, and it refuses to be made outside a test process (see `isTestProcess`):
 * a fast hasher in production would make a stolen database cheap to crack.
 *
 * ```ts
 * const gh = createGatehouse({ stores: createMemoryStores(), secretKey, hashers: testPasswordHashers() });
 * ```
 */
export class TestPasswordHasher implements PasswordHasher {
  readonly algorithm = 'test_sha256';

  constructor(options: { env?: Record<string, string | undefined>; execArgv?: readonly string[] } = {}) {
    if (!isTestProcess(options.env, options.execArgv)) {
      throw new ConfigurationError(
        'TestPasswordHasher is for tests only: run under `node --test` or with NODE_ENV=test',
      );
    }
  }

  identifies(encoded: string): boolean {
    return typeof encoded === 'string' && encoded.length <= 128 && FORMAT.test(encoded);
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(12).toString('base64url');
    return `test_sha256$${salt}$${digest(salt, password)}`;
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    if (!isHashablePassword(password) || !this.identifies(encoded)) return false;
    const [, salt, stored] = FORMAT.exec(encoded)!;
    return timingSafeEqual(digest(salt, password), stored);
  }

  mustUpdate(_encoded: string): boolean {
    return false;
  }
}

function digest(salt: string, password: string): string {
  return createHash('sha256').update(`${salt}$${password}`, 'utf8').digest('hex');
}

/**
 * `PasswordHashers` for a test suite: the fast test hasher makes every new
 * hash (and the dummy hash unknown users are checked against), and the
 * default hashers still verify, so fixtures holding argon2id or Django
 * hashes keep working. Throws outside a test process.
 *
 * ```ts
 * const gh = createGatehouse({ stores, secretKey, hashers: testPasswordHashers() });
 * await gh.accounts.create({ username: 'alice', password: 'Pw-12345678' }); // microseconds
 * ```
 */
export function testPasswordHashers(): PasswordHashers {
  return new PasswordHashers({ hashers: [new TestPasswordHasher(), ...new PasswordHashers().hashers] });
}
