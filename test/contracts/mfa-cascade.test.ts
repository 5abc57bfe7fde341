/**
 * A user's second factors go with the user: on the SQL backends every MFA
 * table refers to `users` with ON DELETE CASCADE, so deleting a user row (as
 * djoser's `DELETE /auth/users/me/` does) leaves no secret, code, pending
 * login, challenge or passkey behind. PostgreSQL runs when it answers (see
 * postgres.test.ts for GATEHOUSE_TEST_POSTGRES).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import pg from 'pg';
import { createPostgresStores } from '../../src/stores/postgres/index.ts';
import { createSqliteStores } from '../../src/stores/sqlite/index.ts';
import type { Stores } from '../../src/stores/types.ts';
import { makeUser } from './fixture.ts';

// The stores' default table prefix, as the tables are named in the database.
const TABLES = ['totp_devices', 'recovery_codes', 'pending_logins', 'webauthn_challenges', 'passkeys'].map(
  (name) => `gatehouse_${name}`,
);

/** One row in every MFA table for a new user; returns the user's id. */
async function enrol(stores: Stores): Promise<number> {
  const { id } = await makeUser(stores.users);
  await stores.totpDevices.create({
    userId: id,
    sealedSecret: 's',
    lastStep: 1,
    createdAt: 1,
    lastUsedAt: null,
  });
  await stores.recoveryCodes.replace({ userId: id, sealedCodes: 'c', createdAt: 1 });
  await stores.pendingLogins.create(
    { tokenHash: `h${id}`, kind: 'jwt', userId: id, binding: 'b', createdAt: 1, attempts: 0 },
    1e12,
  );
  await stores.webauthnChallenges.put({
    key: `registration:${id}`,
    challenge: 'c',
    userId: id,
    expiresAt: 1e12,
  });
  await stores.passkeys.create({
    userId: id,
    credentialId: `cred${id}`,
    publicKey: 'k',
    counter: 0,
    transports: [],
    name: 'Passkey',
    discoverable: true,
    backedUp: false,
    createdAt: 1,
    lastUsedAt: null,
  });
  return id;
}

test('sqlite: deleting a user deletes its rows in every MFA table, and no one else’s', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-cascade-'));
  const path = join(dir, 'db.sqlite3');
  const stores = createSqliteStores(path);
  try {
    const [gone, kept] = [await enrol(stores), await enrol(stores)];
    const db = new DatabaseSync(path);
    db.exec('PRAGMA foreign_keys = ON');
    db.prepare('DELETE FROM gatehouse_users WHERE id = ?').run(gone);
    for (const table of TABLES) {
      const count = (id: number) =>
        (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE user_id = ?`).get(id) as { n: number }).n;
      assert.equal(count(gone), 0, table);
      assert.equal(count(kept), 1, table);
    }
    db.close();
  } finally {
    await stores.close();
    await rm(dir, { recursive: true, force: true });
  }
});

const url = process.env.GATEHOUSE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const skip = process.env.GATEHOUSE_TEST_POSTGRES === '0' ? 'GATEHOUSE_TEST_POSTGRES=0' : false;

test('postgres: deleting a user deletes its rows in every MFA table, and no one else’s', {
  skip,
}, async () => {
  const schema = `gh_test_${randomBytes(6).toString('hex')}`;
  const stores = await createPostgresStores(url, { schema });
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const [gone, kept] = [await enrol(stores), await enrol(stores)];
    await admin.query(`DELETE FROM ${schema}.gatehouse_users WHERE id = $1`, [gone]);
    for (const table of TABLES) {
      const count = async (id: number) =>
        (await admin.query(`SELECT count(*)::int AS n FROM ${schema}.${table} WHERE user_id = $1`, [id]))
          .rows[0].n;
      assert.equal(await count(gone), 0, table);
      assert.equal(await count(kept), 1, table);
    }
  } finally {
    await stores.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
});
