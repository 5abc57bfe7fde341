/**
 * Every store contract on the PostgreSQL backend, each suite in a schema of
 * its own (`gh_test_<random>`, dropped after), so suites never see each
 * other's rows and nothing outside those schemas is touched. Skipped, and
 * said so, when GATEHOUSE_TEST_POSTGRES is '0' or, when it is unset, when no
 * server answers.
 *
 * ```sh
 * GATEHOUSE_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres node --test test/contracts/postgres.test.ts
 * ```
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import pg from 'pg';
import type { Clock } from '../../src/internal/clock.ts';
import { openPostgresImportTarget } from '../../src/stores/postgres/import-target.ts';
import { createPostgresStores, migrate, postgresMigrations } from '../../src/stores/postgres/index.ts';
import { createPostgresPool } from '../../src/stores/postgres/pool.ts';
import type { Stores } from '../../src/stores/types.ts';
import { counterStoreContract } from './counter-store.contract.ts';
import { makeUser, type StoreFixture, unique } from './fixture.ts';
import { importTargetContract } from './import-target.contract.ts';
import { passkeyStoreContract } from './passkey-store.contract.ts';
import { pendingLoginStoreContract } from './pending-login-store.contract.ts';
import { recoveryCodeStoreContract } from './recovery-code-store.contract.ts';
import { refreshTokenStoreContract } from './refresh-token-store.contract.ts';
import { sessionStoreContract } from './session-store.contract.ts';
import { tokenStoreContract } from './token-store.contract.ts';
import { totpDeviceStoreContract } from './totp-device-store.contract.ts';
import { userStoreContract } from './user-store.contract.ts';
import { webAuthnChallengeStoreContract } from './webauthn-challenge-store.contract.ts';

const url = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Why the suites cannot run here, or undefined when they can. */
async function skipReason(): Promise<string | undefined> {
  if (process.env.GATEHOUSE_TEST_POSTGRES === '0')
    return 'PostgreSQL not available (GATEHOUSE_TEST_POSTGRES=0)';
  if (process.env.GATEHOUSE_TEST_POSTGRES === '1') return undefined; // must be there: fail, never skip
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `PostgreSQL not reachable at ${url}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => {});
  }
}

const newSchema = () => `gh_test_${randomBytes(6).toString('hex')}`;

/** Drops a test schema over a connection of its own, once the stores using it have closed. */
async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Opens PostgreSQL stores in a new schema; closing also drops the schema. */
function fixture<S>(pick: (stores: Stores) => S, clock?: Clock): () => Promise<StoreFixture<S>> {
  return async () => {
    const schema = newSchema();
    const stores = await createPostgresStores(url, { schema, clock, poolSize: 10 });
    const close = async () => {
      await stores.close();
      await dropSchema(schema);
    };
    return { store: pick(stores), users: stores.users, close };
  };
}

const reason = await skipReason();
if (reason) {
  test('PostgreSQL store contracts', { skip: reason }, () => {});
} else {
  userStoreContract(
    'postgres',
    fixture((s) => s.users),
  );
  sessionStoreContract(
    'postgres',
    fixture((s) => s.sessions),
  );
  tokenStoreContract(
    'postgres',
    fixture((s) => s.tokens),
  );
  refreshTokenStoreContract(
    'postgres',
    fixture((s) => s.refreshTokens),
  );
  counterStoreContract('postgres', (clock) => fixture((s) => s.counters, clock)());
  totpDeviceStoreContract(
    'postgres',
    fixture((s) => s.totpDevices),
  );
  recoveryCodeStoreContract(
    'postgres',
    fixture((s) => s.recoveryCodes),
  );
  pendingLoginStoreContract(
    'postgres',
    fixture((s) => s.pendingLogins),
  );
  webAuthnChallengeStoreContract(
    'postgres',
    fixture((s) => s.webauthnChallenges),
  );
  passkeyStoreContract(
    'postgres',
    fixture((s) => s.passkeys),
  );
  importTargetContract('postgres', async () => {
    const schema = newSchema();
    const target = await openPostgresImportTarget(url, { schema });
    const stores = await createPostgresStores(url, { schema });
    const close = async () => {
      await target.close();
      await stores.close();
      await dropSchema(schema);
    };
    return { target, stores, close };
  });

  describe('PostgreSQL specifics', () => {
    test('concurrent consumes of one jti run on separate connections, and one wins', async () => {
      const schema = newSchema();
      const app = `gh_test_app_${randomBytes(4).toString('hex')}`;
      const stores = await createPostgresStores(`${url}?application_name=${app}`, { schema, poolSize: 20 });
      try {
        const user = await makeUser(stores.users);
        const jti = unique('jti');
        const familyId = unique('fam');
        await stores.refreshTokens.startFamily(
          { id: familyId, userId: user.id, bornAt: 0 },
          { jti, familyId, userId: user.id, expiresAt: 1e12 },
        );
        const results = await Promise.all(
          Array.from({ length: 20 }, () => stores.refreshTokens.consume(jti)),
        );
        assert.equal(results.filter((r) => r.status === 'consumed').length, 1);
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        const { rows } = await admin
          .query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [app])
          .finally(() => admin.end());
        assert.ok(rows[0].n > 1, `the consumes shared ${rows[0].n} connection(s)`);
      } finally {
        await stores.close();
        await dropSchema(schema);
      }
    });

    test('migrations are recorded once, even when several instances start together', async () => {
      const schema = newSchema();
      const all = await Promise.all(Array.from({ length: 4 }, () => createPostgresStores(url, { schema })));
      const pool = createPostgresPool(url, { schema });
      try {
        assert.deepEqual(await migrate(pool, postgresMigrations, { schema }), []);
        const { rows } = await pool.query('SELECT id FROM gatehouse_migrations');
        assert.deepEqual(
          rows.map((r) => r.id).sort(),
          postgresMigrations.map((m) => m.id),
        );
        const more = [...postgresMigrations, { id: '9999_extra', sql: 'CREATE TABLE extra (x BIGINT)' }];
        assert.deepEqual(await migrate(pool, more, { schema }), ['9999_extra']);
      } finally {
        await pool.end();
        await Promise.all(all.map((s) => s.close()));
        await dropSchema(schema);
      }
    });

    test('a foreign-key violation passes through: a caller bug, not a 503', async () => {
      const schema = newSchema();
      const stores = await createPostgresStores(url, { schema });
      try {
        const orphan = {
          id: unique('sess'),
          keyHash: unique('key'),
          userId: 999_999,
          authHash: 'x',
          createdAt: 0,
          lastSeenAt: 0,
          ip: '',
          userAgent: '',
        };
        await assert.rejects(stores.sessions.create(orphan), (error: unknown) => {
          assert.equal((error as { code?: string }).code, '23503');
          assert.notEqual((error as Error).name, 'StoreUnavailableError');
          return true;
        });
      } finally {
        await stores.close();
        await dropSchema(schema);
      }
    });
  });
}
