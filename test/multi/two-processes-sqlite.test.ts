/**
 * Issue 8's refresh races across two server processes on one SQLite file
 * (the contract's "on one machine, one SQLite file"): every decision is one
 * writing statement, and SQLite runs those one at a time across processes,
 * so a thief on one process and a password change on the other, or one token
 * presented to both at once, leave no live token behind.
 *
 * ```sh
 * node --test test/multi/two-processes-sqlite.test.ts
 * ```
 */
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { register } from '../helpers/accounts.ts';
import { refreshesThroughPasswordChange, sameRefreshTokenOnTwo } from '../helpers/refresh-races.ts';
import { type RunningServer, startServer } from '../helpers/server.ts';

describe('two processes on one SQLite file (issue 8, JWT-21)', () => {
  let a: RunningServer;
  let b: RunningServer;

  before(async () => {
    const secret = { SECRET_KEY: randomBytes(32).toString('base64url') };
    a = await startServer(secret);
    b = await startServer({ ...secret, DATABASE_URL: `sqlite:${a.dbPath}` });
    for (const username of ['grace', 'heidi']) await register(a.url, username, 'Pw-12345678');
  });

  after(async () => {
    // B first: A's stop removes the folder that holds the database.
    await b?.stop();
    await a?.stop();
  });

  test('issue 8.2: refreshes looping on A, and logins with the old password on A, through a password change on B keep nothing', async () => {
    await refreshesThroughPasswordChange({
      thief: a.url,
      owner: b.url,
      username: 'grace',
      password: 'Pw-12345678',
    });
  });

  test('issue 8.3: one refresh token presented on A and B at once: afterwards no token of its family refreshes', async () => {
    await sameRefreshTokenOnTwo(a.url, b.url, 'heidi', 'Pw-12345678');
  });
});
