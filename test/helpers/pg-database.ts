/**
 * A throwaway database on the shared PostgreSQL server (GATEHOUSE_TEST_POSTGRES_URL,
 * default postgres://postgres@127.0.0.1:5432/postgres), for suites that run the
 * reference server on PostgreSQL: `DATABASE_URL` names it, `drop()` removes it.
 *
 * ```ts
 * const db = await createTestDatabase();
 * const t = await makeApp({ env: { DATABASE_URL: db.url } });
 * await t.close(); await db.drop();
 * ```
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const POSTGRES_URL =
  process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Why PostgreSQL suites cannot run here, or undefined (GATEHOUSE_TEST_POSTGRES=1: never skip). */
export async function postgresSkipReason(): Promise<string | undefined> {
  if (process.env.GATEHOUSE_TEST_POSTGRES === '0')
    return 'PostgreSQL not available (GATEHOUSE_TEST_POSTGRES=0)';
  if (process.env.GATEHOUSE_TEST_POSTGRES === '1') return undefined;
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    return `PostgreSQL not reachable at ${POSTGRES_URL}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function createTestDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `gh_test_${randomBytes(6).toString('hex')}`;
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
  return { url: url.toString(), name, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
