/**
 * A PostgreSQL database of its own for one HTTP suite (`gh_http_<random>`,
 * dropped after), and the rule for when such suites run: skipped when
 * GATEHOUSE_TEST_POSTGRES is '0'; required (never skipped) when it is '1';
 * when unset, run if a server answers — the rule of test/contracts/postgres.test.ts.
 *
 * ```ts
 * const skip = await postgresSkipReason();
 * const db = await createTestDatabase();
 * const t = await makeApp({ env: { DATABASE_URL: db.url } });
 * await t.close();
 * await db.drop();
 * ```
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_URL =
  process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Why PostgreSQL suites cannot run here, or undefined when they can. */
export async function postgresSkipReason(): Promise<string | undefined> {
  if (process.env.GATEHOUSE_TEST_POSTGRES === '0')
    return 'PostgreSQL not available (GATEHOUSE_TEST_POSTGRES=0)';
  if (process.env.GATEHOUSE_TEST_POSTGRES === '1') return undefined; // must be there: fail, never skip
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL not reachable at ${POSTGRES_URL}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates an empty database; `drop()` removes it, closing whatever connections are left. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `gh_http_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
