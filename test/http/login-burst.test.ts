/**
 * Issue 8, finding 4 (SECURITY.md AUTH-09b): the login throttle counts an
 * attempt before the password is checked, so a parallel burst gets no more
 * judgements than the limit and the right password at its end answers 429 —
 * on every login endpoint and on the password change's old-password check,
 * with the counters in process memory (SQLite) and in PostgreSQL.
 *
 * ```sh
 * GATEHOUSE_TEST_POSTGRES=1 node --test test/http/login-burst.test.ts
 * ```
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, postgresSkipReason } from '../helpers/postgres-database.ts';

const PASSWORD = 'Pw-12345678';
const BURST = 200;
const THROTTLED = /^\{"detail":"Request was throttled\. Expected available in \d+ seconds?\."\}$/;

interface Backend {
  name: string;
  skip?: string;
  open(env: Record<string, string>): Promise<{ t: TestApp; close(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'SQLite (counters in memory)',
    async open(env) {
      const t = await makeApp({ env });
      return { t, close: () => t.close() };
    },
  },
  {
    name: 'PostgreSQL (counters in PostgreSQL)',
    skip: await postgresSkipReason(),
    async open(env) {
      const db = await createTestDatabase();
      const t = await makeApp({ env: { ...env, DATABASE_URL: db.url } });
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

type Verdict = 'wrong' | 'throttled' | 'accepted';

/** A login endpoint: sends one attempt and says how it was answered. */
interface Endpoint {
  name: string;
  attempt(t: TestApp, csrf: string, username: string, password: string): Promise<Verdict>;
}

/** A CSRF secret, sent back as cookie and header: what a browser tab firing many requests at once holds. */
async function csrfSecret(t: TestApp): Promise<string> {
  const c = t.client();
  await c.primeCsrf();
  return c.csrf!;
}

function verdict(status: number, body: string, wrong: number, accepted: number): Verdict {
  if (status === 429) {
    assert.match(body, THROTTLED);
    return 'throttled';
  }
  if (status === wrong) return 'wrong';
  assert.equal(status, accepted, body);
  return 'accepted';
}

const endpoints: Endpoint[] = [
  {
    name: 'POST /api/login/',
    async attempt(t, csrf, username, password) {
      const res = await t.client().request('POST', '/api/login/', {
        json: { username, password },
        headers: { cookie: `csrftoken=${csrf}`, 'x-csrftoken': csrf },
      });
      return verdict(res.status, res.body, 401, 200);
    },
  },
  {
    name: 'POST /api-token-auth/',
    async attempt(t, _csrf, username, password) {
      const res = await t.client().request('POST', '/api-token-auth/', { json: { username, password } });
      return verdict(res.status, res.body, 400, 200);
    },
  },
  {
    name: 'POST /api/token/',
    async attempt(t, _csrf, username, password) {
      const res = await t.client().request('POST', '/api/token/', { json: { username, password } });
      return verdict(res.status, res.body, 401, 200);
    },
  },
  {
    name: 'POST /api-auth/login/',
    async attempt(t, csrf, username, password) {
      const res = await t.client().request('POST', '/api-auth/login/', {
        form: { username, password, csrfmiddlewaretoken: csrf },
        headers: { cookie: `csrftoken=${csrf}` },
      });
      if (res.status === 429) return 'throttled'; // an HTML page here, with the same Retry-After
      return verdict(res.status, res.body, 200, 302);
    },
  },
];

function tally(verdicts: Verdict[]): Record<Verdict, number> {
  const counts = { wrong: 0, throttled: 0, accepted: 0 };
  for (const v of verdicts) counts[v]++;
  return counts;
}

for (const backend of backends) {
  describe(`issue 8.4 login burst on ${backend.name} (AUTH-09b)`, { skip: backend.skip }, () => {
    describe('the per-account bucket (5/min)', () => {
      let t: TestApp;
      let close: () => Promise<void>;
      // A wide address bucket, so only the account bucket is under test here.
      before(async () => ({ t, close } = await backend.open({ GATEHOUSE_LOGIN_ADDRESS_RATE: '100000/min' })));
      after(() => close());

      for (const endpoint of endpoints) {
        test(`issue 8.4: ${BURST} parallel wrong passwords at ${endpoint.name} are judged 5 times; then the right one is refused`, async () => {
          const username = `burst-${endpoint.name.replace(/[^a-z]/g, '')}`;
          await t.user(username, PASSWORD);
          const csrf = await csrfSecret(t);
          const burst = await Promise.all(
            Array.from({ length: BURST }, () => endpoint.attempt(t, csrf, username, 'wrong-password')),
          );
          assert.deepEqual(tally(burst), { wrong: 5, throttled: BURST - 5, accepted: 0 });
          assert.equal(await endpoint.attempt(t, csrf, username, PASSWORD), 'throttled');
        });
      }

      test(`issue 8.4: ${BURST} parallel wrong old passwords at POST /api/password/change/ are judged 5 times; then the right one is refused`, async () => {
        await t.user('changer', PASSWORD);
        const owner = t.client();
        assert.equal((await owner.login('changer', PASSWORD)).status, 200);
        const change = (old_password: string) =>
          owner.request('POST', '/api/password/change/', {
            json: { old_password, new_password: 'Fresh-pass-9911' },
            csrf: true,
          });
        const burst = await Promise.all(Array.from({ length: BURST }, () => change('wrong-password')));
        const verdicts = burst.map((r) => verdict(r.status, r.body, 400, 200));
        assert.deepEqual(tally(verdicts), { wrong: 5, throttled: BURST - 5, accepted: 0 });
        for (const r of burst.filter((x) => x.status === 400)) {
          assert.equal(
            r.body,
            '{"old_password":["Your old password was entered incorrectly. Please enter it again."]}',
          );
        }
        const right = await change(PASSWORD);
        assert.equal(right.status, 429);
        assert.match(right.body, THROTTLED);
      });

      test("successful logins count in neither bucket, also when they arrive together (with issue 8.4's counting first)", async () => {
        await t.user('regular', PASSWORD);
        // Four batches of five at once: each is within the limit, and each success is taken back.
        for (let batch = 0; batch < 4; batch++) {
          const results = await Promise.all(
            Array.from({ length: 5 }, () => endpoints[2].attempt(t, '', 'regular', PASSWORD)),
          );
          assert.deepEqual(tally(results), { wrong: 0, throttled: 0, accepted: 5 });
        }
        // All five failures are still allowed: the twenty successes left nothing behind.
        for (let i = 0; i < 5; i++) {
          assert.equal(await endpoints[2].attempt(t, '', 'regular', 'wrong-password'), 'wrong');
        }
        assert.equal(await endpoints[2].attempt(t, '', 'regular', PASSWORD), 'throttled');
      });
    });

    describe('the per-address bucket (20/min)', () => {
      let t: TestApp;
      let close: () => Promise<void>;
      before(async () => ({ t, close } = await backend.open({})));
      after(() => close());

      test(`issue 8.4: ${BURST} parallel wrong passwords for as many accounts are judged 20 times; then a right one is refused`, async () => {
        await t.user('sprayed', PASSWORD);
        const burst = await Promise.all(
          Array.from({ length: BURST }, (_, i) =>
            endpoints[2].attempt(t, '', `nobody-${i}`, 'wrong-password'),
          ),
        );
        assert.deepEqual(tally(burst), { wrong: 20, throttled: BURST - 20, accepted: 0 });
        assert.equal(await endpoints[2].attempt(t, '', 'sprayed', PASSWORD), 'throttled');
      });
    });
  });
}
