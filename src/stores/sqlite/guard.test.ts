import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { StoreUnavailableError } from '../../errors.ts';
import { UsernameTakenError } from '../types.ts';
import { openSqliteDatabase } from './database.ts';
import { createSqliteStores } from './index.ts';

describe('sqlite unavailability becomes StoreUnavailableError', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gatehouse-guard-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const newUser = (username: string) => ({ username, email: '', password: 'x', dateJoined: 0 });

  test('a write blocked by another connection’s BEGIN EXCLUSIVE rejects once the busy timeout passes', async () => {
    const path = join(dir, 'locked.db');
    const stores = createSqliteStores(path, { busyTimeoutMs: 20 });
    const other = openSqliteDatabase(path);
    other.exec('BEGIN EXCLUSIVE');
    try {
      await assert.rejects(stores.users.create(newUser('alice')), (error: unknown) => {
        assert.ok(error instanceof StoreUnavailableError);
        assert.match(error.message, /database is locked/);
        return true;
      });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // Once the lock is gone the same store works again.
    assert.equal((await stores.users.create(newUser('alice'))).username, 'alice');
    await stores.close();
  });

  test('a closed database rejects with StoreUnavailableError, ping included', async () => {
    const stores = createSqliteStores(join(dir, 'closed.db'));
    await stores.ping();
    await stores.close();
    await stores.close(); // closing twice is harmless
    await assert.rejects(stores.ping(), StoreUnavailableError);
    await assert.rejects(stores.sessions.getByKeyHash('x'), StoreUnavailableError);
    await assert.rejects(stores.refreshTokens.consume('x'), StoreUnavailableError);
  });

  test('constraint violations are not unavailability', async () => {
    const stores = createSqliteStores(join(dir, 'constraints.db'));
    await stores.users.create(newUser('bob'));
    await assert.rejects(stores.users.create(newUser('bob')), UsernameTakenError);
    // A session for a user that does not exist breaks the foreign key: a caller bug, not a 503.
    const orphan = {
      id: 's',
      keyHash: 'k',
      userId: 999,
      authHash: 'a',
      createdAt: 0,
      lastSeenAt: 0,
      ip: '',
      userAgent: '',
    };
    await assert.rejects(stores.sessions.create(orphan), (error: unknown) => {
      assert.ok(!(error instanceof StoreUnavailableError));
      assert.match(String(error), /FOREIGN KEY constraint failed/);
      return true;
    });
    await stores.close();
  });
});
