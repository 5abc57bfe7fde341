/**
 * Issue 8, findings 2 and 3 (SECURITY.md JWT-21): a refresh family is bound to
 * the user's credential epoch and its revocation is atomic with rotation. The
 * races run for real — concurrent requests on one server, on SQLite and on
 * PostgreSQL — and each test asserts the property that must hold in every
 * interleaving, never a count of races won or lost.
 *
 * ```sh
 * GATEHOUSE_TEST_POSTGRES=1 node --test test/http/refresh-races.test.ts
 * ```
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeApp, type Reply, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/postgres-database.ts';

const PASSWORD = 'Pw-12345678';
const BLACKLISTED = '{"detail":"Token is blacklisted","code":"token_not_valid"}';

interface Backend {
  name: string;
  skip?: string;
  open(): Promise<{ t: TestApp; close(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    async open() {
      const t = await makeApp();
      return { t, close: () => t.close() };
    },
  },
  {
    name: 'PostgreSQL',
    skip: await postgresSkipReason(),
    async open() {
      const db = await createTestDatabase();
      const t = await makeApp({ env: { DATABASE_URL: db.url } });
      return {
        t,
        async close() {
          await t.close();
          await db.drop();
        },
      };
    },
  },
];

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

for (const backend of backends) {
  describe(`issue 8 refresh races on ${backend.name} (JWT-21)`, { skip: backend.skip }, () => {
    let t: TestApp;
    let close: () => Promise<void>;
    before(async () => ({ t, close } = await backend.open()));
    after(() => close());

    const post = (path: string, json: unknown) => t.client().request('POST', path, { json });
    const obtain = async (username: string) => {
      const res = await post('/api/token/', { username, password: PASSWORD });
      assert.equal(res.status, 200, res.body);
      return res.json as { refresh: string; access: string };
    };
    const profile = (access: string) =>
      t.client().request('GET', '/api/profile/', { headers: { authorization: `Bearer ${access}` } });

    /**
     * Six families refresh in a loop (a thief holding copies) and, for a
     * password change, three clients keep logging in with the old password,
     * while the owner ends its credentials. Once that has answered, no refresh
     * token of those families refreshes, no pair obtained with the old password
     * works, and no access token minted during the race authenticates.
     */
    async function straddle(username: string, end: 'password change' | 'logout everywhere') {
      await t.user(username, PASSWORD);
      const owner = t.client();
      assert.equal((await owner.login(username, PASSWORD)).status, 200);
      // One after another: parallel logins past the account limit are refused before their password is judged.
      const pairs = [];
      for (const _ of range(6)) pairs.push(await obtain(username));
      const latest = pairs.map((p) => p.refresh);
      const minted = pairs.map((p) => p.access);
      const oldPasswordPairs: { refresh: string; access: string }[] = [];
      let ended = false;
      const refreshers = latest.map(async (_, i) => {
        while (!ended) {
          const res = await post('/api/token/refresh/', { refresh: latest[i] });
          if (res.status !== 200) return;
          latest[i] = res.json.refresh;
          minted.push(res.json.access);
        }
      });
      // With an unchanged password a login racing logout-everywhere is a new login: only the change has "old" pairs.
      const logins = end === 'password change' ? 3 : 0;
      const obtainers = range(logins).map(async () => {
        while (!ended) {
          const res = await post('/api/token/', { username, password: PASSWORD });
          if (res.status !== 200) return;
          oldPasswordPairs.push(res.json);
        }
      });
      let answer: Reply;
      if (end === 'password change') {
        answer = await owner.request('POST', '/api/password/change/', {
          json: { old_password: PASSWORD, new_password: 'Fresh-pass-9911' },
          csrf: true,
        });
        assert.equal(answer.status, 200, answer.body);
      } else {
        answer = await owner.request('POST', '/api/logoutall/', { csrf: true });
        assert.equal(answer.status, 204, answer.body);
      }
      ended = true;
      await Promise.all([...refreshers, ...obtainers]);

      for (const refresh of [...latest, ...oldPasswordPairs.map((p) => p.refresh)]) {
        const res = await post('/api/token/refresh/', { refresh });
        assert.equal(res.status, 401, `a refresh token outlived the ${end}: ${res.body}`);
      }
      for (const access of [...minted, ...oldPasswordPairs.map((p) => p.access)]) {
        const res = await profile(access);
        assert.equal(res.status, 401, `an access token outlived the ${end}: ${res.body}`);
      }
    }

    test('issue 8.2: families refreshing in a loop, and logins with the old password, through a password change keep nothing', async () => {
      for (const round of range(3)) await straddle(`thief${round}`, 'password change');
    });

    test('issue 8.2: families refreshing in a loop through a logout everywhere keep nothing', async () => {
      for (const round of range(3)) await straddle(`looper${round}`, 'logout everywhere');
    });

    test('issue 8.3: the same refresh token twice at once — the loser answers "Token is blacklisted" and the winner\'s successor is dead', async () => {
      await t.user('twice', PASSWORD);
      for (const _ of range(15)) {
        const { refresh } = await obtain('twice');
        const answers = await Promise.all([
          post('/api/token/refresh/', { refresh }),
          post('/api/token/refresh/', { refresh }),
        ]);
        // One consume wins (JWT-18), so the other is a replay in every interleaving: it ends the family.
        const won = answers.filter((a) => a.status === 200);
        assert.equal(won.length, 1);
        assert.equal(answers.find((a) => a.status !== 200)?.body, BLACKLISTED);
        for (const w of won) {
          const successor = await post('/api/token/refresh/', { refresh: w.json.refresh });
          assert.equal(
            successor.status,
            401,
            `the winner's successor survived reuse detection: ${successor.body}`,
          );
        }
      }
    });

    test('issue 8.3: twelve refreshes of one token at once — afterwards no token of the family refreshes', async () => {
      await t.user('dozen', PASSWORD);
      for (const _ of range(5)) {
        const { refresh } = await obtain('dozen');
        const answers = await Promise.all(range(12).map(() => post('/api/token/refresh/', { refresh })));
        assert.equal(answers.filter((a) => a.status === 200).length, 1);
        for (const a of answers.filter((x) => x.status === 200)) {
          assert.equal((await post('/api/token/refresh/', { refresh: a.json.refresh })).status, 401);
        }
      }
    });
  });
}
