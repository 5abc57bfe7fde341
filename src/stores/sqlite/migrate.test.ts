import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openSqliteDatabase } from './database.ts';
import { migrate } from './migrate.ts';
import { sqliteMigrations } from './schema.ts';

describe('sqlite migrations', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-migrate-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('migrations are recorded, and running them again applies nothing', () => {
    const path = join(dir, 'nested', 'app.db');
    const db = openSqliteDatabase(path);
    assert.deepEqual(migrate(db, sqliteMigrations), [
      '0001_tables',
      '0002_refresh_families_table',
      '0005_django_import',
    ]);
    assert.deepEqual(migrate(db, sqliteMigrations), []);
    const rows = db.prepare('SELECT id, applied_at FROM gatehouse_migrations ORDER BY id').all();
    assert.deepEqual(
      rows.map((r) => r.id),
      ['0001_tables', '0002_refresh_families_table', '0005_django_import'],
    );
    assert.ok(!Number.isNaN(Date.parse(rows[0].applied_at as string)));
    db.close();
    // A second connection (a restart) finds the schema current.
    const again = openSqliteDatabase(path);
    assert.deepEqual(migrate(again, sqliteMigrations), []);
    again.close();
  });

  test('only new migrations run, in order', () => {
    const db = openSqliteDatabase(join(dir, 'order.db'));
    migrate(db, [{ id: 'a', sql: 'CREATE TABLE t (x INTEGER)' }]);
    const more = [
      { id: 'a', sql: 'CREATE TABLE t (x INTEGER)' },
      { id: 'b', sql: 'INSERT INTO t VALUES (1)' },
      { id: 'c', sql: 'INSERT INTO t VALUES (2)' },
    ];
    assert.deepEqual(migrate(db, more), ['b', 'c']);
    assert.deepEqual(
      db
        .prepare('SELECT x FROM t ORDER BY rowid')
        .all()
        .map((r) => r.x),
      [1, 2],
    );
    db.close();
  });

  test('a failing migration rolls back and is not recorded', () => {
    const db = openSqliteDatabase(join(dir, 'fail.db'));
    const bad = { id: 'bad', sql: 'CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);' };
    assert.throws(() => migrate(db, [bad]), /no such table: nowhere/);
    assert.equal(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'half'").get(), undefined);
    assert.equal(db.prepare("SELECT 1 FROM gatehouse_migrations WHERE id = 'bad'").get(), undefined);
    db.close();
  });

  test('the database opens in WAL mode with foreign keys on', () => {
    const db = openSqliteDatabase(join(dir, 'pragmas.db'), { busyTimeoutMs: 1234 });
    assert.equal(db.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
    assert.equal(db.prepare('PRAGMA foreign_keys').get()?.foreign_keys, 1);
    assert.equal(db.prepare('PRAGMA busy_timeout').get()?.timeout, 1234);
    assert.equal(db.prepare('PRAGMA synchronous').get()?.synchronous, 1);
    db.close();
  });
});
